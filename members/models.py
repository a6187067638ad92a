"""The ownership path: workers, their classifications and credentials, the hours ledger,
member status history and candidacy. Rules live in members/services/, not here."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from alliedup.models import TenantModel
from members.choices import EquityEntryKind, EquityPlan, HoursSource, MemberStatus  # noqa: F401 (MemberStatus: the vocabulary is public)


class JobClassification(TenantModel):
    """A job classification of the CBA (RN, LVN, CNA, …). Hours count per classification."""

    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="unique_classification_code")
        ]

    def __str__(self):
        return self.name


class CredentialType(TenantModel):
    """A licence or certification (RN licence, BLS, TB test…) and the classifications that need it."""

    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    expires = models.BooleanField(default=True, help_text="Whether a credential of this type carries an expiry date.")
    required_for = models.ManyToManyField(
        JobClassification, through="CredentialRequirement", blank=True, related_name="required_credentials"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "code"], name="unique_credential_code")]

    def __str__(self):
        return self.name


class CredentialRequirement(TenantModel):
    """A classification requires a credential type (explicit so the row carries its co-op)."""

    credential_type = models.ForeignKey(CredentialType, on_delete=models.CASCADE, related_name="+")
    classification = models.ForeignKey(JobClassification, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["credential_type", "classification"], name="unique_credential_requirement")
        ]


class Worker(TenantModel):
    """An employee of the co-op (the employer of record), whatever their ownership status.

    `status` is the current step of the ownership path; every change goes through
    members.services.status and leaves a MemberStatusChange row.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="worker_records"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    hire_date = models.DateField()
    is_active = models.BooleanField(default=True, help_text="Employed now; false once separated.")
    status = models.CharField(max_length=12, choices=MemberStatus.choices, default=MemberStatus.EMPLOYEE)
    owner_since = models.DateField(null=True, blank=True)
    owner_classification = models.ForeignKey(
        JobClassification, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The classification whose hours keep the ownership status (the qualifying one).",
    )
    classifications = models.ManyToManyField(JobClassification, through="WorkerClassification", related_name="workers")

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "email"], name="unique_worker_email"),
            models.UniqueConstraint(
                fields=["cooperative", "user"], condition=Q(user__isnull=False), name="unique_worker_user"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["owner", "lapsed"], owner_since__isnull=False)
                | ~Q(status__in=["owner", "lapsed"]),
                name="owner_has_owner_since",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "status"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class WorkerClassification(TenantModel):
    """A classification a worker is hired into, with their CBA wage step."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="worker_classifications")
    classification = models.ForeignKey(JobClassification, on_delete=models.PROTECT, related_name="+")
    wage_step = models.PositiveSmallIntegerField(default=1)
    since = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "classification"], name="unique_worker_classification"),
            models.CheckConstraint(condition=Q(wage_step__gte=1), name="wage_step_positive"),
        ]


def credential_upload_to(instance, filename):
    # Random name: the original file name may carry personal data and is not trusted.
    return f"credentials/{instance.cooperative_id}/{uuid.uuid4().hex}{_ext(filename)}"


def _ext(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:8] if dot != -1 else ""


class WorkerCredential(TenantModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="credentials")
    credential_type = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=80, blank=True)
    issuer = models.CharField(max_length=120, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to=credential_upload_to, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(issued_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="credential_expires_after_issue",
            )
        ]


# An opening balance holds at most a leap year of round-the-clock hours (366 × 24).
OPENING_MAX_HOURS = 8784
_OPENING_WITHIN_A_YEAR = Q(source="opening", hours__lte=OPENING_MAX_HOURS, hours__gte=-OPENING_MAX_HOURS)


class HoursEntry(TenantModel):
    """Append-only ledger of hours worked: one entry per approved timesheet (or other source),
    per worker, classification and workday. Never edited; a correction is a reversing entry
    (negative hours, pointing at the entry it reverses). Paid leave is not hours worked."""

    Source = HoursSource

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="hours_entries")
    classification = models.ForeignKey(JobClassification, on_delete=models.PROTECT, related_name="+")
    workday = models.DateField()
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    source = models.CharField(max_length=12, choices=Source.choices)
    source_ref = models.CharField(max_length=64, help_text="The timesheet's id, import batch line, …")
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.CharField(max_length=200, blank=True)
    posted_at = models.DateTimeField(default=timezone.now)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["workday", "id"]
        verbose_name_plural = "hours entries"
        constraints = [
            # One posting per source document: a retried approval posts nothing twice.
            models.UniqueConstraint(
                fields=["cooperative", "source", "source_ref"], condition=Q(reverses__isnull=True),
                name="one_hours_entry_per_source",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(hours__gt=0) & (Q(hours__lte=24) | _OPENING_WITHIN_A_YEAR))
                | (Q(reverses__isnull=False) & Q(hours__lt=0) & (Q(hours__gte=-24) | _OPENING_WITHIN_A_YEAR)),
                name="hours_within_a_day_and_signed_by_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "worker", "classification", "workday"]),
            # A co-op's hours over a few days (the partial months at a window's edges, see
            # HoursMonth; patronage's year): the columns summed are in the key, so PostgreSQL
            # answers from the index alone (not INCLUDE: SQLite, the demo's, has no such index).
            models.Index(fields=["cooperative", "workday", "worker", "classification", "hours"], name="hours_entry_coop_day"),
            # The few opening balances (roster imports), which charts of hours worked take out
            # of the monthly rollup (selectors.monthly_hours_by_classification).
            models.Index(fields=["cooperative", "workday"], condition=Q(source=HoursSource.OPENING), name="hours_entry_opening"),
        ]

    def __str__(self):
        return f"{self.worker_id} {self.workday} {self.hours}h"


class HoursMonth(TenantModel):
    """The hours ledger summed per worker, classification and calendar month: a rollup the
    windowed aggregates (350 hours in 12 months, an owner's membership year) read for the
    whole months of a window, taking only the partial edge months from the ledger.

    Derived, never edited by hand: `members.services.hours` adds each ledger entry to its
    month in the same transaction that writes the entry (reversals add their negative
    hours), and `hours_rollup_rebuild` recomputes a co-op's months from the ledger (the
    bulk generator and the demo load the ledger with COPY and call it). A month whose
    entries were all reversed keeps its row with 0 hours. Why monthly, not daily: the ledger
    holds about one entry per worker and workday, so a daily rollup would be as large as the
    ledger; a month folds ~20 entries into one row and a 12-month window into 12.
    """

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    classification = models.ForeignKey(JobClassification, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The month's first day.")
    hours = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "worker", "classification", "month"], name="one_hours_month"),
        ]
        indexes = [
            models.Index(fields=["cooperative", "month", "worker", "classification", "hours"], name="hours_month_coop_month"),
        ]

    def __str__(self):
        return f"{self.worker_id} {self.month:%Y-%m} {self.hours}h"


class MemberStatusChange(TenantModel):
    """History of the ownership path: who moved whom from what to what, when and why."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=MemberStatus.choices)
    effective_on = models.DateField()
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["cooperative", "to_status", "effective_on"])]


class Candidacy(TenantModel):
    """The 90-day candidacy opened when a worker reaches the hours threshold."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed (worker-owner)"
        LAPSED = "lapsed", "Lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="candidacies")
    classification = models.ForeignKey(JobClassification, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    deadline = models.DateField()
    qualifying_hours = models.DecimalField(max_digits=7, decimal_places=2, help_text="Hours in the window on the opening date.")
    intake_call_on = models.DateField(null=True, blank=True)
    interviews_done_on = models.DateField(null=True, blank=True)
    education_done_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    welcome_letter = models.FileField(upload_to="letters/", blank=True)
    welcome_letter_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on"]
        verbose_name_plural = "candidacies"
        constraints = [
            # At most one open candidacy per worker: a second sweep run cannot open another.
            models.UniqueConstraint(fields=["worker"], condition=Q(status="open"), name="one_open_candidacy"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("opened_on")), name="deadline_after_opening"),
        ]

    def __str__(self):
        return f"Candidacy of {self.worker} ({self.get_status_display()})"


class CandidacyExtension(TenantModel):
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="extensions")
    previous_deadline = models.DateField()
    new_deadline = models.DateField()
    reason = models.CharField(max_length=300)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    extended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(new_deadline__gt=models.F("previous_deadline")), name="extension_moves_deadline_later")
        ]





class MembershipAgreement(TenantModel):
    """A version of the co-op's membership agreement. The current one is the highest
    version in effect; a candidate signs the current version, never an older one."""

    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200, default="Membership agreement")
    body = models.TextField(help_text="Plain text; blank lines separate paragraphs.")
    effective_from = models.DateField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "version"], name="unique_agreement_version")]

    def __str__(self):
        return f"{self.title} v{self.version}"


def signed_agreement_upload_to(instance, filename):
    return f"agreements/{instance.cooperative_id}/{instance.uuid}.pdf"


class AgreementSignature(TenantModel):
    """A worker's signature: typed name + the consent checkbox, when and from where, and
    the signed PDF copy."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(MembershipAgreement, on_delete=models.PROTECT, related_name="signatures")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="agreement_signatures")
    candidacy = models.ForeignKey(Candidacy, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures")
    typed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    pdf = models.FileField(upload_to=signed_agreement_upload_to, blank=True)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [models.UniqueConstraint(fields=["agreement", "worker"], name="one_signature_per_version")]


class EquityAccount(TenantModel):
    """A worker's equity buy-in: what is owed, how it is paid, and the entries paying it.
    Paid, owed and status are derived from the entries (members.selectors.equity_summary)."""

    Plan = EquityPlan

    worker = models.OneToOneField(Worker, on_delete=models.PROTECT, related_name="equity_account")
    buy_in = models.DecimalField(max_digits=12, decimal_places=2, help_text="The co-op's buy-in when the account opened.")
    plan = models.CharField(max_length=12, choices=Plan.choices, default=Plan.FULL)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(buy_in__gte=0), name="buy_in_not_negative")]


class EquityInstallment(TenantModel):
    """One due amount of an installment plan (the schedule; payments are EquityEntry rows)."""

    account = models.ForeignKey(EquityAccount, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["account", "number"], name="unique_installment_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="installment_positive"),
        ]


class EquityEntry(TenantModel):
    """Append-only ledger of the equity account. Payments and payroll deductions are
    positive; a waiver records the amount forgiven; a reversal is negative and points at
    the entry it cancels."""

    Kind = EquityEntryKind

    account = models.ForeignKey(EquityAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    effective_on = models.DateField()
    reference = models.CharField(max_length=80, help_text="Receipt, check or pay-run number; unique per account.")
    submission_key = models.CharField(max_length=64, blank=True, help_text="The form's one-time key: a double submit posts once.")
    reason = models.CharField(max_length=300, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name_plural = "equity entries"
        constraints = [
            models.UniqueConstraint(fields=["account", "reference"], name="unique_equity_reference"),
            models.UniqueConstraint(
                fields=["account", "submission_key"], condition=~Q(submission_key=""), name="unique_equity_submission"
            ),
            models.CheckConstraint(
                condition=(Q(kind="reversal") & Q(amount__lt=0) & Q(reverses__isnull=False))
                | (~Q(kind="reversal") & Q(amount__gt=0) & Q(reverses__isnull=True)),
                name="equity_entry_sign_by_kind",
            ),
            models.CheckConstraint(condition=~Q(kind="waiver") | ~Q(reason=""), name="waiver_has_reason"),
        ]


class RetentionNotice(TenantModel):
    """A warning (behind pace) or lapse notice sent for one membership year; one of each
    kind per worker and year, so the yearly job never sends twice."""

    class Kind(models.TextChoices):
        WARNING = "warning", "Behind pace"
        LAPSE = "lapse", "Status lapsed"

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="retention_notices")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year_start = models.DateField()
    year_end = models.DateField()
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="notices/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "kind", "year_end"], name="one_notice_per_kind_and_year")
        ]
