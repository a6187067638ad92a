"""Clients, contracts with bill rates, job orders, shifts, assignments and timesheets.

The co-op is the employer of record: it dispatches its own employees (members.Worker) to
client facilities and bills the client. Rules live in placements/services/.
"""

import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.models import TenantModel, validate_time_zone


class Client(TenantModel):
    """A client facility (hospital, clinic, nursing home)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles", validators=[validate_time_zone])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "name"], name="unique_client_name")]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """The site's time zone: shifts are wall-clock times there."""
        return ZoneInfo(self.time_zone)


class ClientContact(TenantModel):
    """A person who acts for a client: posts job orders, approves timesheets, downloads
    invoices. Invited by email (role client): until they accept, `user` is empty and
    `invitation` is the open one; on acceptance the account is linked here, and the client
    portal shows only the clients a user is a linked contact of."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="client_contacts"
    )
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True, help_text="The address invited (the account's, once linked).")
    invitation = models.OneToOneField(
        "alliedup.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="client_contact"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["client", "user"], name="unique_client_contact"),
            models.UniqueConstraint(fields=["client", "email"], condition=~Q(email=""), name="unique_client_contact_email"),
        ]

    def __str__(self):
        return self.name or self.email or str(self.user)


class ClientSite(TenantModel):
    """A site or unit of a client (e.g. "Oakland campus, 3 West")."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["client", "name"], name="unique_site_name")]

    def __str__(self):
        return f"{self.client} · {self.name}"


class ClientContract(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "reference"], name="unique_contract_reference"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="contract_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.client} {self.reference}"


class BillRate(TenantModel):
    """What the client pays per hour for a classification, from a date (effective-dated:
    the rate in force on a day is the latest one whose effective_from is on or before it)."""

    contract = models.ForeignKey(ClientContract, on_delete=models.CASCADE, related_name="bill_rates")
    classification = models.ForeignKey("members.JobClassification", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField()
    regular_rate = models.DecimalField(max_digits=12, decimal_places=4)
    overtime_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))
    holiday_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))
    double_time_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("2.00"))

    class Meta:
        ordering = ["classification_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "classification", "effective_from"], name="unique_bill_rate_date"),
            models.CheckConstraint(condition=Q(regular_rate__gt=0), name="bill_rate_positive"),
            models.CheckConstraint(condition=Q(overtime_multiplier__gte=1, holiday_multiplier__gte=1, double_time_multiplier__gte=1), name="bill_multipliers_at_least_one"),
        ]


class JobOrder(TenantModel):
    """A client's request for workers: a classification, dates, a daily shift pattern and a
    headcount. Creating it produces one Shift per position per day."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(ClientContract, on_delete=models.PROTECT, related_name="job_orders")
    site = models.ForeignKey(ClientSite, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    classification = models.ForeignKey("members.JobClassification", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    shift_start = models.TimeField()
    shift_end = models.TimeField(help_text="Earlier than the start: the shift ends the next day.")
    weekdays = models.CharField(max_length=7, default="0123456", help_text="Python weekdays, Monday=0.")
    headcount = models.PositiveSmallIntegerField(default=1)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="job_order_dates_in_order"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="job_order_headcount_positive"),
        ]


class Shift(TenantModel):
    """One position for one shift (a headcount of 3 is three shifts)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="shifts")
    classification = models.ForeignKey("members.JobClassification", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start")]
        indexes = [models.Index(fields=["cooperative", "status", "starts_at"])]


class Assignment(TenantModel):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    ACTIVE = (Status.OFFERED, Status.ACCEPTED, Status.CONFIRMED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="assignments")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    # Copied from the shift so overlap checks are one indexed query on the worker's rows.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancel_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set by the nightly credential sweep when a required credential will not be valid
    # through the shift; cleared when the worker renews it.
    credential_issue = models.CharField(max_length=300, blank=True)
    credential_flagged_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="When the shift reminder went to the worker (sent once).")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shift"], condition=Q(status__in=["offered", "accepted", "confirmed"]), name="one_active_assignment_per_shift"
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "worker", "starts_at"])]


class Timesheet(TenantModel):
    """Clock-in/out and unpaid breaks for one assignment, submitted by the worker and
    approved or disputed by the client (or staff on the client's behalf). Approved is final
    for the worker and the client; staff correct it with a TimesheetCorrection (the record
    of what changed and why, a reversing ledger entry and a new one, and a pay correction in
    the next pay run)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        DISPUTED = "disputed", _("Disputed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="timesheet")
    clock_in = models.DateTimeField()
    clock_out = models.DateTimeField()
    break_minutes = models.PositiveSmallIntegerField(default=0, help_text="Unpaid meal breaks: not hours worked.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_on_behalf_of_client = models.BooleanField(default=False)
    dispute_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(clock_out__gt=F("clock_in")), name="clock_out_after_clock_in"),
        ]
        indexes = [
            # The timesheet queue reads the few submitted ones among a co-op's whole history.
            models.Index(fields=["cooperative", "submitted_at", "id"], condition=Q(status="submitted"), name="timesheets_awaiting"),
        ]


class TimesheetCorrection(TenantModel):
    """Staff's correction of an approved timesheet: what it said, what it says now, and why.
    Append-only. The next pay run settles it (`paid_in_run`): it recomputes the timesheet's
    workweek and pays the difference from what an approved run paid."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    timesheet = models.ForeignKey(Timesheet, on_delete=models.PROTECT, related_name="corrections")
    clock_in_before = models.DateTimeField()
    clock_out_before = models.DateTimeField()
    break_minutes_before = models.PositiveSmallIntegerField()
    hours_before = models.DecimalField(max_digits=5, decimal_places=2)
    clock_in_after = models.DateTimeField()
    clock_out_after = models.DateTimeField()
    break_minutes_after = models.PositiveSmallIntegerField()
    hours_after = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.CharField(max_length=300)
    corrected_at = models.DateTimeField(default=timezone.now)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set by the pay run that pays the difference; final once that run is approved.
    paid_in_run = models.ForeignKey("payroll.PayRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the worker was emailed about it (once).")

    class Meta:
        ordering = ["corrected_at", "id"]

    @property
    def hours_change(self):
        return self.hours_after - self.hours_before


class Invoice(TenantModel):
    """What a client owes for a period: one line per approved timesheet segment and kind of
    hours (regular, overtime, double time) × the bill rate in force that day. A number is
    given when it is issued; an issued invoice never changes (void it and issue another)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=30, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_reference = models.CharField(max_length=80, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], condition=~Q(number=""), name="unique_invoice_number"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="invoice_period_in_order"),
        ]
        indexes = [models.Index(fields=["cooperative", "client", "status"])]

    def __str__(self):
        return self.number or f"Draft invoice for {self.client}"

    @property
    def is_credit(self) -> bool:
        """Adjustments took more off than the new hours add: the co-op owes the client."""
        return self.total < 0


class InvoiceLine(TenantModel):
    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular"
        OVERTIME = "overtime", "Overtime"
        DOUBLE_TIME = "double", "Double time"
        HOLIDAY = "holiday", "Holiday"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    timesheet = models.ForeignKey(Timesheet, on_delete=models.PROTECT, related_name="invoice_lines")
    workday = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    classification = models.ForeignKey("members.JobClassification", on_delete=models.PROTECT, related_name="+")
    worker_name = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    rate = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # Copied from the invoice when it is voided, so the constraint below can free the hours.
    is_void = models.BooleanField(default=False)
    # An adjustment of hours billed before (a timesheet corrected, overtime moved onto billed
    # hours by a late approval, a holiday added): the difference between what the hours bill
    # now and what earlier lines billed, pointing at the latest invoice that billed them.
    corrects_invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["workday", "worker_name", "kind", "id"]
        constraints = [
            # The same hours are billed once (a void invoice releases them); adjustments add
            # differences to them.
            models.UniqueConstraint(
                fields=["timesheet", "workday", "kind"], condition=Q(is_void=False, corrects_invoice__isnull=True),
                name="hours_billed_once",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0) | Q(corrects_invoice__isnull=False), name="invoice_hours_positive"),
        ]

    @property
    def is_adjustment(self) -> bool:
        return self.corrects_invoice_id is not None


def resume_upload_to(instance, filename):
    # Random name, outside any publicly served folder: resumes carry personal data.
    dot = filename.rfind(".")
    return f"resumes/{instance.cooperative_id}/{uuid.uuid4().hex}{filename[dot:].lower()[:6] if dot != -1 else ''}"


class Applicant(TenantModel):
    """Someone who applied through the public job board."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        HIRED = "hired", "Hired"
        DECLINED = "declined", "Declined"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    classification = models.ForeignKey("members.JobClassification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True, max_length=3000)
    resume = models.FileField(upload_to=resume_upload_to)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    decline_reason = models.CharField(max_length=300, blank=True)
    hired_worker = models.ForeignKey("members.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-applied_at"]
        indexes = [models.Index(fields=["cooperative", "status", "-applied_at"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class CalendarFeed(TenantModel):
    """A worker's private calendar address (/cal/<token>.ics): calendar apps fetch it without
    signing in, so the random token is the only key. Only its SHA-256 is kept (a copy of the
    database does not open anyone's calendar), which is why the link is shown once, when it
    is made. Revoked rows stay for the audit trail; a worker has at most one live feed."""

    worker = models.ForeignKey("members.Worker", on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 (hex) of the token in the URL.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed_per_worker"),
        ]

    def __str__(self):
        return f"Calendar feed of {self.worker}"


class ShiftChangeRequest(TenantModel):
    """A worker's request to drop a confirmed assignment, or to swap it to a named
    co-worker, before the co-op's cut-off (`Cooperative.shift_change_cutoff_hours`). A swap
    is first offered to the co-worker, who accepts it; then a coordinator approves or
    declines. Rules live in placements/services/shift_changes.py."""

    class Kind(models.TextChoices):
        DROP = "drop", _("Drop")
        SWAP = "swap", _("Swap")

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for the co-worker")
        PENDING = "pending", _("Waiting for the coordinator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined by the coordinator")
        TURNED_DOWN = "turned_down", _("Turned down by the co-worker")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.OFFERED, Status.PENDING)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="change_requests")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="shift_change_requests",
                               help_text="Who asked: the assignment's worker when they asked.")
    swap_to = models.ForeignKey("members.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="swap_offers")
    reason = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="When the co-worker accepted the swap.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.CharField(max_length=300, blank=True)
    # A swap approved: the co-worker's assignment that replaced the worker's.
    new_assignment = models.OneToOneField(Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(status__in=["offered", "pending"]),
                                    name="one_open_change_per_assignment"),
            models.CheckConstraint(condition=Q(kind="drop", swap_to__isnull=True) | Q(kind="swap", swap_to__isnull=False),
                                   name="swap_names_a_coworker"),
            models.CheckConstraint(condition=~Q(swap_to=F("worker")), name="swap_to_someone_else"),
        ]
        indexes = [models.Index(fields=["cooperative", "status", "requested_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} request of {self.worker}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
