"""Fiscal years, patronage allocations with their lines, and the capital account ledger.
Rules live in patronage/services/ (design § 2, Patronage: IRS Subchapter T)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.models import TenantModel


class FiscalYear(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ALLOCATED = "allocated", "Allocated"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "starts_on"], name="unique_fiscal_year_start"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="fiscal_year_in_order"),
        ]

    def __str__(self):
        return f"Fiscal year {self.starts_on:%b %d, %Y} – {self.ends_on:%b %d, %Y}"


class PatronageAllocation(TenantModel):
    """The year's net earnings from member business, less the collective reserve, allocated
    to worker-owners by patronage: draft → approved → issued → paid (the cash part)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        ISSUED = "issued", "Issued"
        PAID = "paid", "Cash paid"

    class Basis(models.TextChoices):
        HOURS = "hours", _("Hours worked")
        WAGES = "wages", _("Gross wages")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fiscal_year = models.OneToOneField(FiscalYear, on_delete=models.PROTECT, related_name="allocation")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    net_earnings = models.DecimalField(max_digits=14, decimal_places=2)
    earnings_source = models.CharField(max_length=300, help_text="Where the figure comes from (audited statements, …).")
    reserve_percent = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share kept as collective (indivisible) reserve, set by the board.",
    )
    reserve_decided_by = models.CharField(max_length=300, help_text="The board resolution (or who approved the reserve share).")
    reserve_resolution = models.ForeignKey(
        "governance.Resolution", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The adopted, certified member resolution that set the reserve share, when it was voted online.",
    )
    basis = models.CharField(max_length=8, choices=Basis.choices)
    cash_percent = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(20), MaxValueValidator(100)])
    whole_year = models.BooleanField(default=False, help_text="Count the whole year's patronage, not only while an owner.")
    reserve = models.DecimalField(max_digits=14, decimal_places=2)
    pool = models.DecimalField(max_digits=14, decimal_places=2, help_text="Net earnings less the reserve: what members share.")
    total_units = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issue_requested_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    cash_paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-fiscal_year__starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(cash_percent__gte=20, cash_percent__lte=100), name="allocation_cash_at_least_20"),
            models.CheckConstraint(condition=Q(reserve_percent__gte=0, reserve_percent__lte=100), name="allocation_reserve_percent"),
            models.CheckConstraint(condition=Q(pool=F("net_earnings") - F("reserve")), name="allocation_pool_is_net_less_reserve"),
        ]


class PatronageAllocationLine(TenantModel):
    """One worker-owner's share: units of patronage, the amount allocated, its cash and
    retained parts (allocated = cash + retained, enforced by the database)."""

    allocation = models.ForeignKey(PatronageAllocation, on_delete=models.CASCADE, related_name="lines")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="patronage_lines")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    units = models.DecimalField(max_digits=14, decimal_places=2)
    allocated = models.DecimalField(max_digits=14, decimal_places=2)
    cash = models.DecimalField(max_digits=14, decimal_places=2)
    retained = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["-allocated", "worker_id"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "worker"], name="one_line_per_worker"),
            models.CheckConstraint(condition=Q(allocated=F("cash") + F("retained")), name="line_cash_plus_retained"),
        ]


class CapitalAccountEntry(TenantModel):
    """Append-only ledger of a worker-owner's internal capital account (besides the equity
    buy-in, which lives in the members equity ledger and is added by the selector):
    retained patronage (+), allocated losses (−), redemptions (−), and the opening balance
    (+) a co-op brings from before the platform (the roster import). `reference` makes each
    posting unique, so a retried issue posts nothing twice."""

    class Kind(models.TextChoices):
        PATRONAGE = "patronage", _("Retained patronage")
        LOSS = "loss", _("Allocated loss")
        REDEMPTION = "redemption", _("Redemption")
        OPENING = "opening", _("Opening balance (before the platform)")

    # Kinds that add to the account; the others take from it.
    CREDIT_KINDS = (Kind.PATRONAGE, Kind.OPENING)

    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="capital_entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    effective_on = models.DateField()
    reference = models.CharField(max_length=80)
    note = models.CharField(max_length=300, blank=True)
    allocation_line = models.OneToOneField(
        PatronageAllocationLine, null=True, blank=True, on_delete=models.PROTECT, related_name="capital_entry"
    )
    redemption_installment = models.ForeignKey(
        "RedemptionInstallment", null=True, blank=True, on_delete=models.PROTECT, related_name="payments",
        help_text="The installment of an exit's redemption schedule this redemption pays.",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name_plural = "capital account entries"
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "reference"], name="unique_capital_reference"),
            models.CheckConstraint(
                condition=(Q(kind__in=["patronage", "opening"]) & Q(amount__gt=0))
                | (~Q(kind__in=["patronage", "opening"]) & Q(amount__lt=0)),
                name="capital_amount_signed_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(redemption_installment__isnull=True) | Q(kind="redemption"),
                name="capital_installment_payment_is_redemption",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "worker", "effective_on"])]


class RedemptionSchedule(TenantModel):
    """What the co-op repays a worker-owner who leaves (withdrawal, lapse, termination), per
    the bylaws: the equity buy-in they paid (within `equity_redemption_days`) and their
    capital account balance (in `capital_redemption_installments` annual installments).
    Created once per ownership period by patronage.services.exit.ownership_exit; the amounts
    are those on the exit day. Payments are CapitalAccountEntry rows (kind redemption)."""

    class Reason(models.TextChoices):
        WITHDRAWAL = "withdrawal", _("Withdrawal")
        LAPSE = "lapse", _("Lapse (hours below the requirement)")
        TERMINATION = "termination", _("Termination")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="redemption_schedules")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    effective_on = models.DateField(help_text="The day ownership ended.")
    owner_since = models.DateField(help_text="Start of the ownership period this exit ended.")
    status_change = models.OneToOneField(
        "members.MemberStatusChange", on_delete=models.PROTECT, related_name="redemption_schedule",
    )
    equity_paid = models.DecimalField(max_digits=12, decimal_places=2, help_text="Equity buy-in paid in (not waived).")
    capital_balance = models.DecimalField(max_digits=14, decimal_places=2, help_text="Retained patronage less losses and redemptions.")
    equity_due = models.DecimalField(max_digits=12, decimal_places=2)
    capital_due = models.DecimalField(max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-effective_on", "-id"]
        constraints = [
            # A second exit of the same ownership period cannot create a second schedule.
            models.UniqueConstraint(fields=["worker", "owner_since"], name="one_redemption_per_ownership"),
            models.CheckConstraint(condition=Q(equity_due__gte=0, capital_due__gte=0), name="redemption_due_not_negative"),
        ]

    def __str__(self):
        return f"Redemption for {self.worker} ({self.get_reason_display()}, {self.effective_on})"


class RedemptionInstallment(TenantModel):
    """One amount of a redemption schedule, due on a day; paid by capital ledger entries
    (`payments`). `paid_on` is set when the payments reach the amount."""

    class Part(models.TextChoices):
        EQUITY = "equity", _("Equity buy-in")
        CAPITAL = "capital", _("Capital account")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schedule = models.ForeignKey(RedemptionSchedule, on_delete=models.PROTECT, related_name="installments")
    number = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=8, choices=Part.choices)
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="unique_redemption_installment_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="redemption_installment_positive"),
        ]
