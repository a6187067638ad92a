"""The tenancy core: users, the cooperative (tenant), roles, invitations and the audit trail.

Every tenant-owned model elsewhere inherits `TenantModel`: a non-null `cooperative` FK and a
django-scopes manager, so a query with no active cooperative raises `ScopeError`.
"""

import uuid
import zoneinfo
from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in (by email). What they may do comes from `CooperativeRole`s;
    `is_staff` only opens the Django admin for platform operators."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The language the person chose on the portal (settings.LANGUAGES); blank: the browser's.
    # Emails and PDFs sent to a worker use it (alliedup.i18n.language_for).
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone (e.g. America/Los_Angeles).")


class Cooperative(models.Model):
    """The tenant. Each number of the ownership path, payroll cuts and patronage is a setting
    here, because each co-op's bylaws and CBA differ; defaults are AlliedUP's (design § 2)."""

    class RetentionYear(models.TextChoices):
        CALENDAR = "calendar", "Calendar year"
        ANNIVERSARY = "anniversary", "Anniversary of ownership"

    class PatronageBasis(models.TextChoices):
        HOURS = "hours", "Hours worked"
        WAGES = "wages", "Gross wages"

    class PayFrequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    address = models.CharField(
        max_length=300, blank=True, help_text="The employer's address, printed on pay statements and invoices."
    )

    # Ownership path
    candidacy_hours_threshold = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("350.00"),
        help_text="Hours worked in one job classification that make an employee eligible.",
    )
    candidacy_lookback_days = models.PositiveIntegerField(
        default=365, help_text="Rolling window ending on the check date in which those hours count."
    )
    candidacy_window_days = models.PositiveIntegerField(default=90)
    equity_buy_in = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("250.00"))
    equity_installments = models.PositiveSmallIntegerField(default=5)
    ownership_starts_at_first_installment = models.BooleanField(
        default=True, help_text="Bylaws: an installment plan starts ownership at the first installment."
    )
    retention_hours_per_year = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("100.00")
    )
    retention_year = models.CharField(
        max_length=12, choices=RetentionYear.choices, default=RetentionYear.CALENDAR
    )
    retention_warning_days = models.PositiveIntegerField(default=60)
    # Leaving the co-op (withdrawal, lapse, termination): what the bylaws repay, and when.
    equity_redemption_days = models.PositiveIntegerField(
        default=90, validators=[MaxValueValidator(3650)],
        help_text="Bylaws: days after an owner's exit within which the equity buy-in they paid is repaid.",
    )
    capital_redemption_installments = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Bylaws: annual installments, due on the anniversaries of the exit, repaying the capital account.",
    )

    # Payroll time cuts (CA Labor Code §500: a fixed workday and workweek set by the employer)
    workday_start = models.TimeField(default=time(0, 0))
    workweek_start = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.SUNDAY)
    pay_frequency = models.CharField(max_length=8, choices=PayFrequency.choices, default=PayFrequency.BIWEEKLY)
    sick_accrual_per_hours_worked = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("30.00"),
        help_text="Hours worked per hour of paid sick leave accrued (CA Labor Code §246).",
    )
    # Caps are the greater of hours and workdays (Labor Code §246(b)(4), (d)): 80 h or 10 days
    # accrued, 40 h or 5 days used a year; a day is the worker's own (payroll.selectors.sick_caps).
    sick_accrual_cap_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("80.00"))
    sick_accrual_cap_days = models.PositiveSmallIntegerField(default=10)
    sick_use_cap_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("40.00"))
    sick_use_cap_days = models.PositiveSmallIntegerField(default=5)
    sick_usable_after_days = models.PositiveIntegerField(
        default=90,
        help_text="Day of employment from which sick leave may be used, the hire date being day 1 (Labor Code §246(c)).",
    )

    # Guards on what staff and workers may enter (issue 14): a typo must not reach a pay stub.
    adjustment_max_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("5000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Largest amount, either sign, of one pay-run adjustment.",
    )
    adjustment_max_hours = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("80.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Largest number of hours, either sign, on one pay-run adjustment.",
    )
    timesheet_tolerance_minutes = models.PositiveIntegerField(
        default=120,
        validators=[MaxValueValidator(24 * 60)],
        help_text="How far a timesheet's start and end may lie from its shift's (early or late).",
    )

    # Patronage and governance
    patronage_basis = models.CharField(
        max_length=8, choices=PatronageBasis.choices, default=PatronageBasis.HOURS
    )
    patronage_cash_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("20.00")), MaxValueValidator(Decimal("100.00"))],
        help_text="Share of each allocation paid in cash; IRS Subchapter T requires at least 20%.",
    )
    patronage_whole_year = models.BooleanField(
        default=False, help_text="Bylaws: count a member's whole year of patronage, not only the part while an owner.",
    )
    patronage_allocate_losses = models.BooleanField(
        default=False, help_text="Bylaws: a loss year is allocated to members' capital accounts (else nothing is allocated).",
    )
    board_owner_majority_required = models.BooleanField(
        default=True, help_text="Bylaws: worker-owners hold more than half of the board's filled seats.",
    )
    placements_goal_per_year = models.PositiveIntegerField(default=3000)
    # Placements: how late a worker may still drop or swap a confirmed shift themselves.
    shift_change_cutoff_hours = models.PositiveIntegerField(
        default=48, validators=[MaxValueValidator(24 * 30)],
        help_text="Hours before a shift starts after which a worker can no longer ask to drop or swap it (they call the coordinator).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(candidacy_hours_threshold__gt=0), name="coop_threshold_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(equity_installments__gte=1), name="coop_installments_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(capital_redemption_installments__gte=1), name="coop_capital_redemption_installments_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(patronage_cash_percent__gte=20, patronage_cash_percent__lte=100),
                name="coop_patronage_cash_at_least_20",
            ),
            models.CheckConstraint(
                condition=models.Q(workweek_start__gte=0, workweek_start__lte=6),
                name="coop_workweek_start_weekday",
            ),
            models.CheckConstraint(
                condition=models.Q(adjustment_max_amount__gt=0, adjustment_max_hours__gt=0),
                name="coop_adjustment_limits_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> date:
        """Today's date in the co-op's own time zone (where its days and deadlines fall)."""
        return timezone.localdate(timezone=self.zone)


class TenantModel(models.Model):
    """Base for every tenant-owned row: it carries its cooperative, and its default manager
    refuses to query outside `django_scopes.scope(cooperative=...)`."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="+", db_index=True
    )

    objects = ScopedManager(cooperative="cooperative")

    class Meta:
        abstract = True


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    PAYROLL = "payroll", _("Payroll")
    WORKER = "worker", _("Worker")
    BOARD = "board", _("Board member")
    CLIENT = "client", _("Client contact")


class CooperativeRole(TenantModel):
    """One role of one user in one cooperative; a user holds one row per role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="cooperative_roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "user", "role"], name="unique_role_per_user_and_coop"
            )
        ]
        indexes = [models.Index(fields=["user", "cooperative"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class Invitation(TenantModel):
    """An invitation by email into a role; accepted by the user who signs in with that
    (verified) email. A worker invitation also names the employee record the accepting
    account is linked to; a client contact points at its invitation from placements."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    worker = models.ForeignKey(
        "members.Worker", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations",
        help_text="The employee record linked to the account that accepts.",
    )
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(worker__isnull=True) | models.Q(role="worker"),
                name="invitation_worker_only_for_worker_role",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.email} as {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class AuditEvent(TenantModel):
    """Append-only record of a state change: who, when, what, and before/after."""

    action = models.CharField(max_length=100, help_text="Namespaced, e.g. members.candidacy.opened")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cooperative", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.object_repr}"
