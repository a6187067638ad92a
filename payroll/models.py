"""Payroll: the collective agreement's wage tables, pay periods and runs, pay lines,
co-op deductions, pay statements and the sick leave ledger.

Rules live in payroll/services/ and the pure overtime engine in worktime/overtime.py.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.models import TenantModel

# Free-text reasons staff give for money they move (an adjustment, approving negative pay):
# they are printed on the worker's pay statement and kept in the audit trail, so bounded.
REASON_MAX_LENGTH = 300


class CollectiveAgreement(TenantModel):
    """The CBA: its term, how wage steps are reached, overtime terms and union dues."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "In force"
        EXPIRED = "expired", "Expired"

    class StepBasis(models.TextChoices):
        ASSIGNED = "assigned", "Step set by staff for each worker"
        YEARS = "years", "Years of service in the classification"
        HOURS = "hours", "Hours worked in the classification"

    class DuesKind(models.TextChoices):
        PERCENT = "percent", "Percent of gross (with an optional cap)"
        FLAT = "flat", "Flat amount per pay run"
        NONE = "none", "No dues deducted"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    union = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    benchmark_source = models.CharField(
        max_length=300, blank=True, help_text='e.g. "Kaiser Permanente Southern California, 2025 scale (synthetic)".'
    )
    step_basis = models.CharField(max_length=8, choices=StepBasis.choices, default=StepBasis.ASSIGNED)
    hours_per_step = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("2080.00"), help_text="With steps by hours: hours per step."
    )
    dues_kind = models.CharField(max_length=8, choices=DuesKind.choices, default=DuesKind.PERCENT)
    dues_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1.50"))
    dues_cap = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Most dues taken in one pay run."
    )
    dues_flat = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    # Statutory California overtime (Labor Code §510) unless a §514 agreement overrides it.
    daily_overtime_after = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("8.00"))
    daily_double_time_after = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("12.00"))
    weekly_overtime_after = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("40.00"))
    seventh_day_rule = models.BooleanField(default=True)
    # Hours worked on a holiday of the co-op's calendar (worktime.Holiday) are paid at this
    # multiple of the regular rate (a premium of multiple − 1 on top of straight time;
    # overtime premiums already paid count toward it, so nothing pyramids). 1.00: none.
    holiday_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="agreement_ends_after_start"),
            models.CheckConstraint(condition=Q(dues_percent__gte=0, dues_percent__lte=10), name="dues_percent_sane"),
            models.CheckConstraint(condition=Q(dues_flat__gte=0), name="dues_flat_not_negative"),
            models.CheckConstraint(
                condition=Q(daily_double_time_after__gte=F("daily_overtime_after")), name="double_time_after_overtime"
            ),
            models.CheckConstraint(condition=Q(hours_per_step__gt=0), name="hours_per_step_positive"),
            models.CheckConstraint(condition=Q(holiday_multiplier__gte=1, holiday_multiplier__lte=3), name="holiday_multiplier_sane"),
        ]

    def __str__(self):
        return self.name


class WageTable(TenantModel):
    """The hourly wage of one classification by step, in force from a date (to a date).
    Two tables of one classification never overlap (checked by payroll.services.wages)."""

    agreement = models.ForeignKey(CollectiveAgreement, on_delete=models.PROTECT, related_name="wage_tables")
    classification = models.ForeignKey("members.JobClassification", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Last day in force; empty: until replaced.")
    benchmark_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["classification_id", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="wage_table_ends_after_start",
            ),
            models.UniqueConstraint(fields=["classification", "effective_from"], name="unique_wage_table_start"),
        ]


class WageStep(TenantModel):
    table = models.ForeignKey(WageTable, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField()
    hourly_rate = models.DecimalField(max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["table", "step"], name="unique_wage_step"),
            models.CheckConstraint(condition=Q(step__gte=1), name="wage_step_at_least_one"),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="wage_positive"),
        ]


class ShiftDifferential(TenantModel):
    """Extra pay for hours worked at night or on weekends, per the CBA. Night hours are
    those between `window_start` and `window_end` (wrapping midnight) in the co-op's zone;
    weekend hours those on Saturday and Sunday there."""

    class Kind(models.TextChoices):
        NIGHT = "night", "Night"
        WEEKEND = "weekend", "Weekend"

    class Basis(models.TextChoices):
        PER_HOUR = "per_hour", "Amount per hour"
        PERCENT = "percent", "Percent of the base wage"

    agreement = models.ForeignKey(CollectiveAgreement, on_delete=models.CASCADE, related_name="differentials")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    basis = models.CharField(max_length=8, choices=Basis.choices, default=Basis.PER_HOUR)
    amount = models.DecimalField(max_digits=12, decimal_places=4)
    window_start = models.TimeField(null=True, blank=True)
    window_end = models.TimeField(null=True, blank=True)
    classification = models.ForeignKey(
        "members.JobClassification", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Empty: every classification.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="differential_positive"),
            models.CheckConstraint(
                condition=~Q(kind="night") | Q(window_start__isnull=False, window_end__isnull=False),
                name="night_differential_has_window",
            ),
        ]


class PayPeriod(TenantModel):
    """Whole workweeks (weekly or biweekly per the co-op), so weekly overtime never straddles two runs."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_on = models.DateField()
    ends_on = models.DateField()
    pay_date = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "starts_on"], name="unique_pay_period_start"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="pay_period_in_order"),
            models.CheckConstraint(condition=Q(pay_date__gte=F("ends_on")), name="paid_after_period"),
        ]

    def __str__(self):
        return f"{self.starts_on:%b %d} – {self.ends_on:%b %d, %Y}"


class PayRun(TenantModel):
    """The pay of one period: draft → calculated → approved → exported. Approved is final:
    a correction goes into the next run as adjustment lines."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CALCULATED = "calculated", "Calculated"
        APPROVED = "approved", "Approved"
        EXPORTED = "exported", "Exported"

    FINAL = (Status.APPROVED, Status.EXPORTED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.OneToOneField(PayPeriod, on_delete=models.PROTECT, related_name="run")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    calculated_at = models.DateTimeField(null=True, blank=True)
    calculated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField(null=True, blank=True)
    taxes_imported_at = models.DateTimeField(null=True, blank=True)
    # A large run is calculated by the worker (services.runs_calculate.payrun_calculate_or_queue): set
    # while it waits or runs, cleared when it ends; a refusal leaves its reasons here.
    calculation_queued_at = models.DateTimeField(null=True, blank=True)
    calculation_error = models.TextField(blank=True)
    # A run in which someone's gross or net is negative is approved only with a named override
    # (services.runs_approve.payrun_approve): who, when and why, kept on the run and audited.
    negative_override_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    negative_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                             related_name="+")
    negative_override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period__starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(negative_override_at__isnull=True, negative_override_reason="")
                           | (Q(negative_override_at__isnull=False) & ~Q(negative_override_reason=""))),
                name="payrun_negative_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"Pay run {self.reference}"

    @property
    def reference(self) -> str:
        return f"PR-{self.period.starts_on:%Y%m%d}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class PayLine(TenantModel):
    """One amount of pay: per worker, workday, kind, and the timesheet it came from.

    Overtime lines are the premium on top of straight time (straight time for every hour is
    on the regular and differential lines), so each overtime hour is paid straight time plus
    0.5× (or 1.0×) of the week's regular rate, as Labor Code §510 reads. Lines from a
    timesheet also carry what the client was billed for those hours (wage-floor report).
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        DIFFERENTIAL = "differential", _("Shift differential")
        OVERTIME = "ot15", _("Overtime 1.5× (premium)")
        DOUBLE_TIME = "ot20", _("Double time 2× (premium)")
        HOLIDAY = "holiday", _("Holiday (premium)")
        SICK = "sick", _("Paid sick leave")
        ADJUSTMENT = "adjustment", _("Adjustment")

    EARNING_CODES = {
        "regular": "REG", "differential": "DIFF", "ot15": "OT15", "ot20": "OT20", "holiday": "HOL", "sick": "SICK", "adjustment": "ADJ",
    }

    # A run writes ~17 lines per worker: every index costs on that write, so foreign keys that
    # the composite indexes below already lead with, or that nothing looks up by, have none.
    cooperative = models.ForeignKey("alliedup.Cooperative", on_delete=models.PROTECT, related_name="+", db_index=False)
    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="lines")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="pay_lines")
    workday = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    classification = models.ForeignKey("members.JobClassification", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       db_index=False)
    timesheet = models.ForeignKey(
        "placements.Timesheet", null=True, blank=True, on_delete=models.PROTECT, related_name="pay_lines", db_index=False
    )
    hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0.00"))
    rate = models.DecimalField(max_digits=12, decimal_places=4, default=Decimal("0.0000"))
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    description = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)  # a staff adjustment's reason
    # Set on lines correcting an earlier, approved run (a late timesheet, a staff adjustment).
    corrects_run = models.ForeignKey(PayRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    is_manual = models.BooleanField(default=False, help_text="Entered by staff; kept when the run is recalculated.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False)
    # Wage floor (regular lines from a timesheet): what the client was billed for the segment.
    client = models.ForeignKey("placements.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    bill_rate = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    bill_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    absorbed = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"),
        help_text="What the co-op pays out of margin because the bill rate is below the CBA wage.",
    )

    class Meta:
        ordering = ["worker_id", "workday", "id"]
        indexes = [
            models.Index(fields=["cooperative", "run", "worker"]),
            models.Index(fields=["cooperative", "client", "workday"]),
            models.Index(fields=["cooperative", "timesheet"]),
        ]

    @property
    def earning_code(self) -> str:
        return self.EARNING_CODES[self.kind]


class PayDeduction(TenantModel):
    """A deduction the co-op itself owns (taxes are the payroll processor's)."""

    class Kind(models.TextChoices):
        UNION_DUES = "dues", _("Union dues")
        EQUITY = "equity", _("Equity installment")

    CODES = {"dues": "DUES", "equity": "EQUITY"}

    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="deductions")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="pay_deductions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["worker_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["run", "worker", "kind"], name="one_deduction_per_kind"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_positive"),
        ]

    @property
    def code(self) -> str:
        return self.CODES[self.kind]


class PayStatement(TenantModel):
    """One worker's statement for a run: totals derived from its lines and deductions at
    calculation; taxes and net pay come from the processor's import."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="statements")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="pay_statements")
    hours_worked = models.DecimalField(max_digits=7, decimal_places=2)
    gross = models.DecimalField(max_digits=12, decimal_places=2)
    deductions = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    taxes = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    net = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    sick_hours_available = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["worker__last_name", "worker__first_name"]
        constraints = [models.UniqueConstraint(fields=["run", "worker"], name="one_statement_per_worker_and_run")]


class SickLeaveEntry(TenantModel):
    """Append-only ledger of paid sick leave (CA Labor Code §246): accrued hours are
    positive, used hours negative; the balance is the sum."""

    class Kind(models.TextChoices):
        ACCRUED = "accrued", "Accrued"
        USED = "used", "Used"

    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="sick_leave_entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    hours = models.DecimalField(max_digits=7, decimal_places=4)
    workday = models.DateField()
    run = models.ForeignKey(PayRun, null=True, blank=True, on_delete=models.PROTECT, related_name="sick_entries")
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["workday", "id"]
        verbose_name_plural = "sick leave entries"
        constraints = [
            # Accrual is posted once per run: approving twice accrues nothing more.
            models.UniqueConstraint(fields=["run", "worker"], condition=Q(kind="accrued"), name="one_accrual_per_run"),
            models.CheckConstraint(
                condition=(Q(kind="accrued") & Q(hours__gte=0)) | (Q(kind="used") & Q(hours__lt=0)),
                name="sick_hours_signed_by_kind",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "worker", "workday"])]


class SickLeaveRequest(TenantModel):
    """A worker's request for paid sick leave, from the portal: staff approve it (it becomes
    a used entry of the ledger, paid by the next run) or decline it with a reason; the
    worker may withdraw it while it waits."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="sick_leave_requests")
    workday = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decline_reason = models.CharField(max_length=300, blank=True)
    entry = models.OneToOneField(SickLeaveEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="request")
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the worker was emailed the decision (once).")

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="sick_request_hours_in_a_day"),
            # One waiting request per worker and day: a second would be a double count.
            models.UniqueConstraint(fields=["worker", "workday"], condition=Q(status="pending"), name="one_pending_sick_request_a_day"),
        ]
        indexes = [models.Index(fields=["cooperative", "status", "requested_at"])]
