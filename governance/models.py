"""Governance: the board and its terms, elections and resolutions with secret ballots,
governance documents, committees (the Labor-Management Committee).

Secrecy (design § 2): a ballot's content (`ElectionBallot`, `ResolutionBallot`) has no
column or join path to a voter. Who voted is `VoterParticipation`, one row per roll entry
(so nobody votes twice, enforced by the database). Ballots carry a random UUID key and a
random receipt code and no timestamp or sequence, so their order cannot be matched to the
order of participation. Against someone who reads the database itself (system columns such
as xmin and ctid, a pg_dump's row order) a cast ballot is first held sealed in
`PendingBallot` and later moved into the ballot table in random order, in batches, by a
transaction of its own (governance/services/ballot_box.py, docs/governance.md "Ballot secrecy
against database readers"). Rules live in governance/services/.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.models import TenantModel


class BoardSeat(TenantModel):
    class Kind(models.TextChoices):
        WORKER_OWNER = "worker_owner", "Worker-owner seat (elected by worker-owners)"
        APPOINTED = "appointed", "Appointed seat"
        INDEPENDENT = "independent", "Independent seat"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    officer_role = models.CharField(max_length=60, blank=True, help_text="Chair, secretary, treasurer…")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "name"], name="unique_board_seat_name")]

    def __str__(self):
        return self.name


class BoardTerm(TenantModel):
    """Who holds a seat from when to when; `worker` is set when the holder is a worker of
    the co-op (a worker-owner counts toward the majority while their status is owner)."""

    class Source(models.TextChoices):
        ELECTED = "elected", "Elected"
        APPOINTED = "appointed", "Appointed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seat = models.ForeignKey(BoardSeat, on_delete=models.PROTECT, related_name="terms")
    holder_name = models.CharField(max_length=200)
    worker = models.ForeignKey("members.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="board_terms")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    election = models.ForeignKey("Election", null=True, blank=True, on_delete=models.PROTECT, related_name="terms")

    class Meta:
        ordering = ["seat__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="term_ends_after_start"),
        ]


class Election(TenantModel):
    class Method(models.TextChoices):
        PLURALITY = "plurality", _("Vote for up to N (plurality)")
        RANKED = "ranked", _("Ranked choice (instant runoff; Scottish STV for several seats)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOMINATIONS = "nominations", _("Nominations open")
        VOTING = "voting", _("Voting open")
        CLOSED = "closed", _("Closed (counted)")
        CERTIFIED = "certified", _("Certified")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    number_of_seats = models.PositiveSmallIntegerField(default=1)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.PLURALITY)
    nominations_open_at = models.DateTimeField()
    nominations_close_at = models.DateTimeField()
    voting_opens_at = models.DateTimeField()
    voting_closes_at = models.DateTimeField()
    record_date = models.DateField(help_text="The voter roll is the worker-owners in good standing on this day.")
    quorum_percent = models.DecimalField(max_digits=5, decimal_places=2, default=50)
    ballot_batch_min = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(2)],
        help_text="Cast ballots move from the sealed holding table into the ballot table in random batches of at least "
                  "this many, so a database reader can narrow a voter's ballot down to no fewer than this many.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    roll_fixed_at = models.DateTimeField(null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="The count: rounds, elected, turnout, quorum.")
    certified_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-voting_opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(nominations_close_at__gt=F("nominations_open_at")), name="nominations_window_in_order"),
            models.CheckConstraint(condition=Q(voting_opens_at__gte=F("nominations_close_at")), name="voting_after_nominations"),
            models.CheckConstraint(condition=Q(voting_closes_at__gt=F("voting_opens_at")), name="voting_window_in_order"),
            models.CheckConstraint(condition=Q(number_of_seats__gte=1), name="election_has_seats"),
            models.CheckConstraint(condition=Q(ballot_batch_min__gte=2), name="election_ballot_batch_of_two_or_more"),
        ]

    def __str__(self):
        return self.title


class Candidate(TenantModel):
    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        ACCEPTED = "accepted", "On the ballot"
        WITHDRAWN = "withdrawn", "Withdrawn"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="candidacies_for_board")
    statement = models.TextField(blank=True, max_length=3000)
    photo = models.ImageField(upload_to="candidates/", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)

    class Meta:
        ordering = ["worker__last_name", "worker__first_name"]
        constraints = [models.UniqueConstraint(fields=["election", "worker"], name="one_candidacy_per_election")]

    def __str__(self):
        return str(self.worker)


class Resolution(TenantModel):
    """A yes / no / abstain vote of the worker-owners (bylaws amendment, reserve share, budget)."""

    class Threshold(models.TextChoices):
        SIMPLE = "simple", _("Simple majority of yes + no")
        TWO_THIRDS = "two_thirds", _("Two-thirds of yes + no")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VOTING = "voting", _("Voting open")
        CLOSED = "closed", _("Closed (counted)")
        CERTIFIED = "certified", _("Certified")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    text = models.TextField()
    voting_opens_at = models.DateTimeField()
    voting_closes_at = models.DateTimeField()
    record_date = models.DateField()
    quorum_percent = models.DecimalField(max_digits=5, decimal_places=2, default=50)
    threshold = models.CharField(max_length=10, choices=Threshold.choices, default=Threshold.SIMPLE)
    ballot_batch_min = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(2)],
        help_text="Cast ballots move from the sealed holding table into the ballot table in random batches of at least "
                  "this many, so a database reader can narrow a voter's ballot down to no fewer than this many.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    roll_fixed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    certified_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-voting_opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(voting_closes_at__gt=F("voting_opens_at")), name="resolution_window_in_order"),
            models.CheckConstraint(condition=Q(ballot_batch_min__gte=2), name="resolution_ballot_batch_of_two_or_more"),
        ]

    def __str__(self):
        return self.title


class VoterRollEntry(TenantModel):
    """A voter on the roll of one election or resolution, fixed at the record date: later
    status changes never alter it."""

    election = models.ForeignKey(Election, null=True, blank=True, on_delete=models.CASCADE, related_name="roll")
    resolution = models.ForeignKey(Resolution, null=True, blank=True, on_delete=models.CASCADE, related_name="roll")
    worker = models.ForeignKey("members.Worker", on_delete=models.PROTECT, related_name="roll_entries")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(election__isnull=False) & Q(resolution__isnull=True)) | (Q(election__isnull=True) & Q(resolution__isnull=False)),
                name="roll_entry_for_one_vote",
            ),
            models.UniqueConstraint(fields=["election", "worker"], condition=Q(election__isnull=False), name="one_roll_entry_per_election"),
            models.UniqueConstraint(fields=["resolution", "worker"], condition=Q(resolution__isnull=False), name="one_roll_entry_per_resolution"),
        ]


class VoterParticipation(TenantModel):
    """That a voter on the roll has voted: one row per roll entry (the database refuses a
    second). It says nothing about the ballot and carries no time."""

    roll_entry = models.OneToOneField(VoterRollEntry, on_delete=models.PROTECT, related_name="participation")


class PendingBallot(TenantModel):
    """A cast ballot waiting to be moved into the ballot table (ballot_box.ballots_flush).

    It is written in the voter's own transaction, next to their VoterParticipation, so its
    system column xmin is theirs: that is why nothing in it is readable without the
    application's key. `sealed` is the receipt and the content encrypted (Fernet, with no
    timestamp) under a key derived from SECRET_KEY, which the database never holds;
    `receipt_digest` is a keyed HMAC of the receipt, so the voter's receipt finds the row
    while it waits, and nobody without the key can match it to a published receipt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, null=True, blank=True, on_delete=models.PROTECT, related_name="pending_ballots")
    resolution = models.ForeignKey(Resolution, null=True, blank=True, on_delete=models.PROTECT, related_name="pending_ballots")
    receipt_digest = models.CharField(max_length=64, unique=True)
    sealed = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(election__isnull=False) & Q(resolution__isnull=True)) | (Q(election__isnull=True) & Q(resolution__isnull=False)),
                name="pending_ballot_for_one_vote",
            ),
        ]


class ElectionBallot(TenantModel):
    """A cast ballot: the candidates chosen (plurality) or ranked (first preference first),
    as candidate ids. No link to a voter, no time, a random key. Written only by a flush of
    pending ballots (many at once, in random order), never in the voter's transaction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="ballots")
    receipt_code = models.CharField(max_length=20, unique=True)
    choices = models.JSONField(default=list)

    class Meta:
        ordering = ["receipt_code"]  # the published list is in receipt order, never cast order


class ResolutionBallot(TenantModel):
    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="ballots")
    receipt_code = models.CharField(max_length=20, unique=True)
    choice = models.CharField(max_length=8, choices=Choice.choices)

    class Meta:
        ordering = ["receipt_code"]


def document_upload_to(instance, filename):
    dot = filename.rfind(".")
    return f"governance/{instance.cooperative_id}/{uuid.uuid4().hex}{filename[dot:].lower()[:6] if dot != -1 else ''}"


class GovernanceDocument(TenantModel):
    """Budget, minutes, financial statements, bylaws: for worker-owners, the board and staff;
    everyone in the co-op when marked public."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        MINUTES = "minutes", _("Board minutes")
        FINANCIALS = "financials", _("Financial statements")
        BYLAWS = "bylaws", _("Bylaws")
        OTHER = "other", _("Other")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_upload_to)
    is_public = models.BooleanField(default=False, help_text="Visible to every member of the co-op, not only worker-owners.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at"]


class Committee(TenantModel):
    class Kind(models.TextChoices):
        LABOR_MANAGEMENT = "lmc", "Labor-Management Committee"
        CULTURE = "culture", "Workers' Culture Committee"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    equal_representation = models.BooleanField(default=False, help_text="As many management as worker members (the LMC).")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "name"], name="unique_committee_name")]

    def __str__(self):
        return self.name


class CommitteeMember(TenantModel):
    class Side(models.TextChoices):
        MANAGEMENT = "management", "Management"
        WORKERS = "workers", "Workers"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    worker = models.ForeignKey("members.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    chosen_by_peers = models.BooleanField(default=False)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["side", "name"]


class CommitteeMeeting(TenantModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    attendees = models.ManyToManyField(CommitteeMember, blank=True, related_name="+", through="MeetingAttendance")

    class Meta:
        ordering = ["-held_on"]


class MeetingAttendance(TenantModel):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="unique_attendance")]
