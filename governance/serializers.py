"""Serializers of the governance API. Candidates, workers, terms and committees are named
by uuid; seats by their name (unique in a co-op); committee members by id."""

from rest_framework import serializers

from alliedup.api import fields as api_fields
from governance.models import (
    BoardSeat, BoardTerm, Candidate, Committee, CommitteeMeeting, CommitteeMember, Election, GovernanceDocument, Resolution,
    ResolutionBallot,
)


class ElectionCandidateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="worker.__str__")
    worker = serializers.UUIDField(source="worker.uuid")

    class Meta:
        model = Candidate
        fields = ["uuid", "name", "worker", "status", "statement"]


class ElectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Election
        fields = ["uuid", "title", "description", "number_of_seats", "method", "status", "nominations_open_at", "nominations_close_at",
                  "voting_opens_at", "voting_closes_at", "record_date", "quorum_percent", "roll_fixed_at", "counted_at", "certified_at"]


class ElectionDetailSerializer(ElectionSerializer):
    candidates = ElectionCandidateSerializer(many=True)

    class Meta(ElectionSerializer.Meta):
        fields = ElectionSerializer.Meta.fields + ["candidates"]


class ElectionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    number_of_seats = serializers.IntegerField(min_value=1, max_value=50, default=1)
    method = serializers.ChoiceField(choices=Election.Method.choices, default=Election.Method.PLURALITY)
    nominations_open_at = api_fields.DateTimeField()
    nominations_close_at = api_fields.DateTimeField()
    voting_opens_at = api_fields.DateTimeField()
    voting_closes_at = api_fields.DateTimeField()
    record_date = api_fields.DateField()
    quorum_percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, default="50.00")


class NominateSerializer(serializers.Serializer):
    worker = serializers.UUIDField(help_text="The worker-owner's uuid.")
    statement = serializers.CharField(required=False, allow_blank=True, default="", max_length=3000)


class CertifySerializer(serializers.Serializer):
    seats = serializers.ListField(child=serializers.CharField(max_length=120), help_text="Seat names, one per elected candidate, in the order elected.")
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class TurnoutSerializer(serializers.Serializer):
    on_roll = serializers.IntegerField()
    voted = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    quorum_met = serializers.BooleanField()


class RoundRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    votes = serializers.CharField(help_text="Votes (decimal text in a ranked count: transfers carry fractions).")


class RoundSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    rows = serializers.SerializerMethodField()
    elected = serializers.ListField(child=serializers.CharField())
    excluded = serializers.ListField(child=serializers.CharField())
    exhausted = serializers.CharField(allow_null=True)

    def get_rows(self, round_) -> RoundRowSerializer(many=True):
        return [{"name": n, "votes": str(v)} for n, v in round_["rows"]]


class ResultSerializer(serializers.Serializer):
    """The count of a closed vote (elections: rounds and elected; resolutions: tallies).

    Read from the count stored on the vote, which older counts (or a count imported from
    elsewhere) may lack keys of: a missing figure is null, an optional one is left out."""

    on_roll = serializers.IntegerField(source="result.on_roll", allow_null=True)
    voted = serializers.IntegerField(source="result.voted", allow_null=True)
    turnout_percent = serializers.CharField(source="result.turnout_percent", allow_null=True)
    quorum_percent = serializers.CharField(source="result.quorum_percent", allow_null=True)
    quorum_met = serializers.BooleanField(source="result.quorum_met", allow_null=True)
    valid_ballots = serializers.IntegerField(source="result.valid_ballots", required=False)
    quota = serializers.CharField(source="result.quota", allow_null=True, required=False)
    tie_broken_by_lot = serializers.BooleanField(source="result.tie_broken_by_lot", required=False)
    rounds = RoundSerializer(many=True, required=False)
    elected = serializers.ListField(child=serializers.CharField(), required=False, help_text="Names, in the order elected.")
    tallies = serializers.DictField(child=serializers.IntegerField(), required=False)
    adopted = serializers.BooleanField(source="result.adopted", required=False)


class PublishedBallotSerializer(serializers.Serializer):
    receipt_code = serializers.CharField()
    ballot = serializers.CharField(help_text="What the ballot says: candidates' names (in rank order) or yes/no/abstain.")


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(max_length=40, help_text="The receipt code, e.g. ABCD-EFGH-JKLM (dashes and case do not matter).")


class ElectionBallotCastSerializer(serializers.Serializer):
    choices = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True,
                                    help_text="Candidate uuids: up to N (plurality) or in order of preference (ranked).")


class ResolutionBallotCastSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=ResolutionBallot.Choice.choices)


class CastReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text="Shown once: the voter notes it to find their ballot in the published list.")


class ResolutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resolution
        fields = ["uuid", "title", "text", "voting_opens_at", "voting_closes_at", "record_date", "quorum_percent", "threshold",
                  "status", "roll_fixed_at", "certified_at"]


class ResolutionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    voting_opens_at = api_fields.DateTimeField()
    voting_closes_at = api_fields.DateTimeField()
    record_date = api_fields.DateField()
    quorum_percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, default="50.00")
    threshold = serializers.ChoiceField(choices=Resolution.Threshold.choices, default=Resolution.Threshold.SIMPLE)


class MyVoteSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text='"election" or "resolution"')
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    status = serializers.CharField()
    voting_opens_at = serializers.DateTimeField()
    voting_closes_at = serializers.DateTimeField()
    voted = serializers.BooleanField()
    can_vote_now = serializers.BooleanField()


# --- board ------------------------------------------------------------------------------------


class BoardSeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = BoardSeat
        fields = ["name", "kind", "officer_role", "is_active"]


class SeatCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=BoardSeat.Kind.choices)
    officer_role = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class BoardTermSerializer(serializers.ModelSerializer):
    seat = serializers.CharField(source="seat.name")
    worker = serializers.UUIDField(source="worker.uuid", allow_null=True, default=None)
    worker_is_owner = serializers.SerializerMethodField()

    class Meta:
        model = BoardTerm
        fields = ["uuid", "seat", "holder_name", "worker", "worker_is_owner", "starts_on", "ends_on", "source"]

    def get_worker_is_owner(self, term) -> bool:
        return term.worker is not None and term.worker.status == "owner"


class TermCreateSerializer(serializers.Serializer):
    seat = serializers.CharField(max_length=120, help_text="The seat's name.")
    holder_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    worker = serializers.UUIDField(required=False, allow_null=True, default=None)
    source = serializers.ChoiceField(choices=BoardTerm.Source.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class TermEndSerializer(serializers.Serializer):
    ends_on = api_fields.DateField()


class MajoritySerializer(serializers.Serializer):
    filled_seats = serializers.IntegerField()
    owner_seats = serializers.IntegerField()
    required = serializers.BooleanField()
    holds = serializers.BooleanField()
    breaches = serializers.SerializerMethodField(help_text="Terms of worker-owner seats whose holder is no longer a worker-owner.")

    def get_breaches(self, status) -> list[str]:
        return [str(t.uuid) for t in status.breaches]


class BoardSerializer(serializers.Serializer):
    on = serializers.DateField()
    seats = BoardSeatSerializer(many=True)
    terms = BoardTermSerializer(many=True, help_text="Terms held on `on`.")
    majority = MajoritySerializer()


# --- committees -------------------------------------------------------------------------------


class CommitteeMemberSerializer(serializers.ModelSerializer):
    worker = serializers.UUIDField(source="worker.uuid", allow_null=True, default=None)

    class Meta:
        model = CommitteeMember
        fields = ["id", "name", "worker", "side", "chosen_by_peers", "starts_on", "ends_on"]


class MeetingSerializer(serializers.ModelSerializer):
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = CommitteeMeeting
        fields = ["uuid", "held_on", "agenda", "minutes", "attendees"]

    def get_attendees(self, meeting) -> list[int]:
        return [m.pk for m in getattr(meeting, "attendee_list", [])]


class BalanceSerializer(serializers.Serializer):
    management = serializers.IntegerField()
    workers = serializers.IntegerField()
    equal = serializers.BooleanField()
    required = serializers.BooleanField()
    text = serializers.CharField(source="__str__")


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["uuid", "name", "kind", "equal_representation"]


class CommitteeDetailSerializer(serializers.Serializer):
    committee = CommitteeSerializer()
    balance = BalanceSerializer()
    members = CommitteeMemberSerializer(many=True)
    meetings = MeetingSerializer(many=True)


class CommitteeCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Committee.Kind.choices)
    equal_representation = serializers.BooleanField(default=False, help_text="Always true for the LMC.")


class MemberCreateSerializer(serializers.Serializer):
    worker = serializers.UUIDField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    side = serializers.ChoiceField(choices=CommitteeMember.Side.choices)
    chosen_by_peers = serializers.BooleanField(default=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class MeetingCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    minutes = serializers.CharField(required=False, allow_blank=True, default="")
    attendees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, help_text="Member ids.")


# --- documents --------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = GovernanceDocument
        fields = ["uuid", "kind", "title", "is_public", "published_at"]


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=GovernanceDocument.Kind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text="PDF, DOCX or XLSX, up to 20 MB.")
    is_public = serializers.BooleanField(default=False)
