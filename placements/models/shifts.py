"""Job orders, shifts and assignments, workers' shift change requests and calendar feeds."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.models import TenantModel


class JobOrder(TenantModel):
    """A client's request for workers: a classification, dates, a daily shift pattern and a
    headcount. Creating it produces one Shift per position per day."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey("placements.ClientContract", on_delete=models.PROTECT, related_name="job_orders")
    site = models.ForeignKey("placements.ClientSite", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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
