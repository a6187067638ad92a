"""API of elections and resolutions: set-up, the phases (nominations, voting, count, certify),
turnout, results, published ballots, receipt checks, casting, and a voter's own votes."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from governance.api.base import BALLOTS_PAGE_SIZE, VoteMixin, candidates_prefetch, seat_or_400, worker_or_400
from governance.selectors import pages
from governance import serializers as s
from governance.documents import results_context
from governance.models import Election, Resolution
from governance.selectors import turnout, votes_for_worker
from governance.services import voting
from members.selectors import worker_for_user


class ElectionListView(CooperativeListAPIView):
    """Elections, newest voting window first; POST sets one up (draft)."""

    required_permissions = {"GET": "governance.view", "POST": "governance.manage"}
    serializer_class = s.ElectionSerializer

    def get_queryset(self):
        return Election.objects.order_by("-voting_opens_at")

    @extend_schema(request=s.ElectionCreateSerializer, responses={201: s.ElectionDetailSerializer})
    def post(self, request, coop_slug):
        data = s.ElectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        election = voting.election_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        election = Election.objects.prefetch_related(candidates_prefetch()).get(pk=election.pk)
        return Response(s.ElectionDetailSerializer(election).data, status=status.HTTP_201_CREATED)


class ElectionDetailView(CooperativeAPIView):
    """An election with its candidates."""

    required_permission = "governance.view"

    @extend_schema(responses=s.ElectionDetailSerializer)
    def get(self, request, coop_slug, election_uuid):
        election = get_object_or_404(Election.objects.prefetch_related(candidates_prefetch()), uuid=election_uuid)
        return Response(s.ElectionDetailSerializer(election).data)


class ElectionNominateView(CooperativeAPIView):
    """Put a worker-owner on the ballot (draft or nominations open)."""

    required_permission = "governance.manage"

    @extend_schema(request=s.NominateSerializer, responses={201: s.ElectionCandidateSerializer})
    def post(self, request, coop_slug, election_uuid):
        election = get_object_or_404(Election, uuid=election_uuid)
        data = s.NominateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        worker = worker_or_400(self.cooperative, data.validated_data["worker"])
        candidate = voting.candidate_nominate(election=election, worker=worker, statement=data.validated_data["statement"],
                                              nominated_by=request.user)
        return Response(s.ElectionCandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class _PhaseView(VoteMixin, CooperativeAPIView):
    required_permission = "governance.manage"
    serializer = s.ElectionSerializer

    def act(self, vote, request):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, coop_slug, **kwargs):
        vote = self.act(self.get_vote(kwargs), request)
        return Response(self.serializer(self.model.objects.get(pk=vote.pk)).data)


@extend_schema(request=None, responses=s.ElectionSerializer)
class ElectionNominationsOpenView(_PhaseView):
    """Open nominations (from draft)."""

    def act(self, vote, request):
        return voting.nominations_open(election=vote, opened_by=request.user)


@extend_schema(request=None, responses=s.ElectionSerializer)
class ElectionVotingOpenView(_PhaseView):
    """Fix the voter roll at the record date and open voting (idempotent)."""

    def act(self, vote, request):
        return voting.voting_open(vote=vote, opened_by=request.user)


@extend_schema(request=None, responses=s.ElectionSerializer)
class ElectionCountView(_PhaseView):
    """Close and count after the window ends (idempotent); the ballots are then published."""

    def act(self, vote, request):
        return voting.vote_count(vote=vote)


class ElectionCertifyView(CooperativeAPIView):
    """The board secretary certifies: each elected candidate takes one of `seats`, in the
    order elected; the worker-owner majority is checked."""

    required_permission = "governance.manage"

    @extend_schema(request=s.CertifySerializer, responses=s.ElectionSerializer)
    def post(self, request, coop_slug, election_uuid):
        election = get_object_or_404(Election, uuid=election_uuid)
        data = s.CertifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seats = [seat_or_400(name, "seats") for name in data.validated_data["seats"]]
        voting.election_certify(election=election, seats=seats, term_starts_on=data.validated_data["term_starts_on"],
                                term_ends_on=data.validated_data["term_ends_on"], certified_by=request.user)
        return Response(s.ElectionSerializer(Election.objects.get(pk=election.pk)).data)


class _TurnoutView(VoteMixin, CooperativeAPIView):
    """On the roll, voted, the share and whether the quorum is met: counts only."""

    required_permission = "governance.view"

    @extend_schema(responses=s.TurnoutSerializer)
    def get(self, request, coop_slug, **kwargs):
        return Response(s.TurnoutSerializer(turnout(self.get_vote(kwargs))).data)


class _ResultsView(VoteMixin, CooperativeAPIView):
    """The count of a closed vote; 400 before it is counted."""

    required_permission = "governance.documents"

    @extend_schema(responses=s.ResultSerializer)
    def get(self, request, coop_slug, **kwargs):
        self.require_results_access(request)
        vote = self.get_vote(kwargs)
        if not pages.is_counted(vote):
            raise ValidationError({"non_field_errors": ["Results are published after voting closes and the votes are counted."]})
        return Response(s.ResultSerializer(results_context(vote)).data)


class _BallotsView(VoteMixin, CooperativeAPIView):
    """Every published ballot (receipt code and content in words), in receipt order, after
    the count; `?page=` pages through them."""

    required_permission = "governance.documents"

    @extend_schema(responses=s.PublishedBallotSerializer(many=True))
    def get(self, request, coop_slug, **kwargs):
        self.require_results_access(request)
        vote = self.get_vote(kwargs)
        if not pages.is_counted(vote):
            raise ValidationError({"non_field_errors": ["Ballots are published after voting closes and the votes are counted."]})
        try:
            page = max(int(request.query_params.get("page", 1)), 1)
        except ValueError:
            raise ValidationError({"page": ["A page number."]}) from None
        rows = pages.published_ballot_rows(vote, offset=(page - 1) * BALLOTS_PAGE_SIZE, limit=BALLOTS_PAGE_SIZE)
        return Response(s.PublishedBallotSerializer([{"receipt_code": c, "ballot": t} for c, t in rows], many=True).data)


class _ReceiptView(VoteMixin, CooperativeAPIView):
    """Check a receipt code: the ballot it belongs to (while voting is open, the voter's check
    that it was recorded; after the count, the published ballot), or 400 (malformed, unknown
    or tampered codes alike)."""

    required_permission = "governance.documents"

    @extend_schema(request=s.ReceiptSerializer, responses=s.PublishedBallotSerializer)
    def post(self, request, coop_slug, **kwargs):
        self.require_results_access(request)
        vote = self.get_vote(kwargs)
        data = s.ReceiptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = voting.receipt_lookup(vote=vote, code=data.validated_data["receipt"])
        return Response(s.PublishedBallotSerializer({"receipt_code": ballot.receipt_code, "ballot": pages.ballot_in_words(vote, ballot)}).data)


class ElectionTurnoutView(_TurnoutView):
    pass


class ElectionResultsView(_ResultsView):
    pass


class ElectionBallotsView(_BallotsView):
    pass


class ElectionReceiptView(_ReceiptView):
    pass


class ElectionCastView(CooperativeAPIView):
    """Cast the signed-in worker-owner's ballot; returns the receipt code (shown once).
    A bad ballot or a vote outside the window is a 400 and writes nothing."""

    required_permission = "governance.vote"

    @extend_schema(request=s.ElectionBallotCastSerializer, responses={201: s.CastReceiptSerializer})
    def post(self, request, coop_slug, election_uuid):
        election = get_object_or_404(Election, uuid=election_uuid)
        data = s.ElectionBallotCastSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _cast(self.cooperative, request, election, data.validated_data["choices"])


def _cast(cooperative, request, vote, choices):
    worker = worker_for_user(cooperative, request.user)
    if worker is None:
        raise ValidationError({"non_field_errors": ["No employee record is linked to your account in this cooperative."]})
    receipt = voting.ballot_cast(vote=vote, worker=worker, choices=choices)
    response = Response({"receipt": receipt}, status=status.HTTP_201_CREATED)
    response["Cache-Control"] = "no-store"
    return response


class ResolutionListView(CooperativeListAPIView):
    """Resolutions, newest voting window first; POST sets one up (draft)."""

    required_permissions = {"GET": "governance.view", "POST": "governance.manage"}
    serializer_class = s.ResolutionSerializer

    def get_queryset(self):
        return Resolution.objects.order_by("-voting_opens_at")

    @extend_schema(request=s.ResolutionCreateSerializer, responses={201: s.ResolutionSerializer})
    def post(self, request, coop_slug):
        data = s.ResolutionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resolution = voting.resolution_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(s.ResolutionSerializer(resolution).data, status=status.HTTP_201_CREATED)


class ResolutionDetailView(CooperativeAPIView):
    required_permission = "governance.view"

    @extend_schema(responses=s.ResolutionSerializer)
    def get(self, request, coop_slug, resolution_uuid):
        return Response(s.ResolutionSerializer(get_object_or_404(Resolution, uuid=resolution_uuid)).data)


class _ResolutionVote:
    model = Resolution
    kwarg = "resolution_uuid"
    serializer = s.ResolutionSerializer


@extend_schema(request=None, responses=s.ResolutionSerializer)
class ResolutionVotingOpenView(_ResolutionVote, ElectionVotingOpenView):
    """Fix the voter roll at the record date and open voting (idempotent)."""


@extend_schema(request=None, responses=s.ResolutionSerializer)
class ResolutionCountView(_ResolutionVote, ElectionCountView):
    """Close and count after the window ends (idempotent)."""


@extend_schema(request=None, responses=s.ResolutionSerializer)
class ResolutionCertifyView(_ResolutionVote, _PhaseView):
    """Certify a counted resolution."""

    def act(self, vote, request):
        return voting.resolution_certify(resolution=vote, certified_by=request.user)


class ResolutionTurnoutView(_ResolutionVote, _TurnoutView):
    pass


class ResolutionResultsView(_ResolutionVote, _ResultsView):
    pass


class ResolutionBallotsView(_ResolutionVote, _BallotsView):
    pass


class ResolutionReceiptView(_ResolutionVote, _ReceiptView):
    pass


class ResolutionCastView(CooperativeAPIView):
    """Cast the signed-in worker-owner's yes / no / abstain; returns the receipt code."""

    required_permission = "governance.vote"

    @extend_schema(request=s.ResolutionBallotCastSerializer, responses={201: s.CastReceiptSerializer})
    def post(self, request, coop_slug, resolution_uuid):
        resolution = get_object_or_404(Resolution, uuid=resolution_uuid)
        data = s.ResolutionBallotCastSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _cast(self.cooperative, request, resolution, data.validated_data["choice"])


class MyVotesView(CooperativeAPIView):
    """The elections and resolutions the signed-in worker is on the roll of, with whether they voted."""

    required_permission = "governance.vote"

    @extend_schema(responses=s.MyVoteSerializer(many=True))
    def get(self, request, coop_slug):
        worker = worker_for_user(self.cooperative, request.user)
        rows = []
        for entry in votes_for_worker(worker) if worker else []:
            vote = entry.election or entry.resolution
            voted = hasattr(entry, "participation")
            rows.append({"kind": "election" if entry.election_id else "resolution", "uuid": vote.uuid, "title": vote.title,
                         "status": vote.status, "voting_opens_at": vote.voting_opens_at, "voting_closes_at": vote.voting_closes_at,
                         "voted": voted, "can_vote_now": not voted and pages.voting_is_open(vote)})
        return Response(s.MyVoteSerializer(rows, many=True).data)
