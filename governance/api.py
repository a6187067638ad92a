"""API of governance, mounted under /api/v1/c/<coop_slug>/governance/ (see alliedup/api/urls.py).

Thin views: parse with governance.serializers, fetch objects named in the URL through the
scoped managers (another co-op's object is a 404), call one service or selector. Staff and
the board read with "governance.view" and write with "governance.manage"; worker-owners cast
ballots with "governance.vote"; results, published ballots and receipt checks are for voters
and staff alike; documents for everyone, filtered by governance.selectors.documents_for.
No route returns who voted how.
"""

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from alliedup.permissions import roles_for
from governance import selectors_pages as pages
from governance import serializers as s
from governance.documents import results_context
from governance.models import BoardSeat, BoardTerm, Candidate, Committee, CommitteeMember, Election, GovernanceDocument, Resolution
from governance.selectors import documents_for, majority_status, terms_on, turnout, votes_for_worker
from governance.services import board as board_services
from governance.services import committees as committee_services
from governance.services import documents as document_services
from governance.services import voting
from governance.views.common import RESULTS_PERMISSIONS, require_any
from members.selectors import worker_by_uuid, worker_for_user

BALLOTS_PAGE_SIZE = 500


def _worker(cooperative, worker_uuid, field="worker"):
    if worker_uuid is None:
        return None
    worker = worker_by_uuid(cooperative, worker_uuid)
    if worker is None:
        raise ValidationError({field: ["No such worker in this cooperative."]})
    return worker


def _seat(name: str, field="seat") -> BoardSeat:
    seat = BoardSeat.objects.filter(name=name).first()
    if seat is None:
        raise ValidationError({field: [f"No seat named {name!r}."]})
    return seat


def _candidates_prefetch():
    return Prefetch("candidates", queryset=Candidate.objects.select_related("worker").order_by("worker__last_name", "worker__first_name"))


class VoteMixin:
    """Shared by election and resolution routes: `model` and the URL kwarg that names one."""

    model = Election
    kwarg = "election_uuid"

    def get_vote(self, kwargs):
        return get_object_or_404(self.model.objects.select_related("cooperative"), uuid=kwargs[self.kwarg])

    def require_results_access(self, request):
        require_any(request._request, *RESULTS_PERMISSIONS)


# --- elections and resolutions ------------------------------------------------------------------


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
        election = Election.objects.prefetch_related(_candidates_prefetch()).get(pk=election.pk)
        return Response(s.ElectionDetailSerializer(election).data, status=status.HTTP_201_CREATED)


class ElectionDetailView(CooperativeAPIView):
    """An election with its candidates."""

    required_permission = "governance.view"

    @extend_schema(responses=s.ElectionDetailSerializer)
    def get(self, request, coop_slug, election_uuid):
        election = get_object_or_404(Election.objects.prefetch_related(_candidates_prefetch()), uuid=election_uuid)
        return Response(s.ElectionDetailSerializer(election).data)


class ElectionNominateView(CooperativeAPIView):
    """Put a worker-owner on the ballot (draft or nominations open)."""

    required_permission = "governance.manage"

    @extend_schema(request=s.NominateSerializer, responses={201: s.ElectionCandidateSerializer})
    def post(self, request, coop_slug, election_uuid):
        election = get_object_or_404(Election, uuid=election_uuid)
        data = s.NominateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        worker = _worker(self.cooperative, data.validated_data["worker"])
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
        seats = [_seat(name, "seats") for name in data.validated_data["seats"]]
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


# --- board --------------------------------------------------------------------------------------


class BoardView(CooperativeAPIView):
    """Seats, the terms held today and the worker-owner majority (breaches listed)."""

    required_permission = "governance.view"

    @extend_schema(responses=s.BoardSerializer)
    def get(self, request, coop_slug):
        today = self.cooperative.today()
        return Response(s.BoardSerializer({"on": today, "seats": BoardSeat.objects.order_by("name"),
                                           "terms": terms_on(self.cooperative, today), "majority": majority_status(self.cooperative, today)}).data)


class SeatCreateView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.SeatCreateSerializer, responses={201: s.BoardSeatSerializer})
    def post(self, request, coop_slug):
        data = s.SeatCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seat = board_services.seat_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(s.BoardSeatSerializer(seat).data, status=status.HTTP_201_CREATED)


class TermCreateView(CooperativeAPIView):
    """Seat someone; refused (400) when the seat is held then or the majority would break."""

    required_permission = "governance.manage"

    @extend_schema(request=s.TermCreateSerializer, responses={201: s.BoardTermSerializer})
    def post(self, request, coop_slug):
        data = s.TermCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        worker = _worker(self.cooperative, d.pop("worker"))
        term = board_services.term_add(seat=_seat(d.pop("seat")), worker=worker, user=worker.user if worker else None,
                                       added_by=request.user, **d)
        return Response(s.BoardTermSerializer(term).data, status=status.HTTP_201_CREATED)


class TermEndView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.TermEndSerializer, responses=s.BoardTermSerializer)
    def post(self, request, coop_slug, term_uuid):
        term = get_object_or_404(BoardTerm.objects.select_related("seat", "worker"), uuid=term_uuid)
        data = s.TermEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = board_services.term_end(term=term, ends_on=data.validated_data["ends_on"], ended_by=request.user)
        return Response(s.BoardTermSerializer(term).data)


# --- committees ---------------------------------------------------------------------------------


class CommitteeListView(CooperativeListAPIView):
    required_permissions = {"GET": "governance.view", "POST": "governance.manage"}
    serializer_class = s.CommitteeSerializer

    def get_queryset(self):
        return Committee.objects.order_by("name")

    @extend_schema(request=s.CommitteeCreateSerializer, responses={201: s.CommitteeSerializer})
    def post(self, request, coop_slug):
        data = s.CommitteeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        committee = committee_services.committee_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(s.CommitteeSerializer(committee).data, status=status.HTTP_201_CREATED)


def _committee_detail(committee):
    return s.CommitteeDetailSerializer({
        "committee": committee, "balance": committee_services.committee_balance(committee),
        "members": committee.members.select_related("worker").order_by("side", "name"),
        "meetings": pages.committee_meetings(committee),
    }).data


class CommitteeDetailView(CooperativeAPIView):
    """A committee with its members by side, its balance (sitting today) and its meetings."""

    required_permission = "governance.view"

    @extend_schema(responses=s.CommitteeDetailSerializer)
    def get(self, request, coop_slug, committee_uuid):
        return Response(_committee_detail(get_object_or_404(Committee.objects.select_related("cooperative"), uuid=committee_uuid)))


class CommitteeMemberCreateView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.MemberCreateSerializer, responses={201: s.CommitteeDetailSerializer})
    def post(self, request, coop_slug, committee_uuid):
        committee = get_object_or_404(Committee.objects.select_related("cooperative"), uuid=committee_uuid)
        data = s.MemberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        committee_services.committee_member_add(committee=committee, worker=_worker(self.cooperative, d.pop("worker")),
                                                added_by=request.user, **d)
        return Response(_committee_detail(committee), status=status.HTTP_201_CREATED)


class CommitteeMeetingCreateView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.MeetingCreateSerializer, responses={201: s.CommitteeDetailSerializer})
    def post(self, request, coop_slug, committee_uuid):
        committee = get_object_or_404(Committee.objects.select_related("cooperative"), uuid=committee_uuid)
        data = s.MeetingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        ids = d.pop("attendees")
        attendees = list(CommitteeMember.objects.filter(committee=committee, pk__in=ids))
        if len(attendees) != len(set(ids)):
            raise ValidationError({"attendees": ["Not all of these are members of this committee."]})
        committee_services.meeting_record(committee=committee, attendees=attendees, recorded_by=request.user, **d)
        return Response(_committee_detail(committee), status=status.HTTP_201_CREATED)


# --- documents ----------------------------------------------------------------------------------


def _readable(request, cooperative):
    user = request.user
    return documents_for(cooperative, user, roles_for(user, cooperative), worker_for_user(cooperative, user))


class DocumentListView(CooperativeListAPIView):
    """The governance documents the signed-in person may read; POST (multipart) publishes one."""

    required_permissions = {"GET": "governance.documents", "POST": "governance.manage"}
    serializer_class = s.DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return _readable(self.request, self.cooperative)

    @extend_schema(request=s.DocumentUploadSerializer, responses={201: s.DocumentSerializer})
    def post(self, request, coop_slug):
        data = s.DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = document_services.document_publish(cooperative=self.cooperative, published_by=request.user, **data.validated_data)
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(CooperativeAPIView):
    """GET downloads the file (404 unless this person may read it); DELETE removes it."""

    required_permissions = {"GET": "governance.documents", "DELETE": "governance.manage"}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, coop_slug, document_uuid):
        document = _readable(request, self.cooperative).filter(uuid=document_uuid).first()
        if document is None:
            raise Http404("No such document.")
        ext = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else ""
        response = FileResponse(document.file.open("rb"), as_attachment=True,
                                filename=f"{slugify(document.title)[:80] or 'document'}{'.' + ext if ext else ''}")
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(responses={204: None})
    def delete(self, request, coop_slug, document_uuid):
        document = get_object_or_404(GovernanceDocument, uuid=document_uuid)
        document_services.document_delete(document=document, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


app_name = "governance_api"
urlpatterns = [
    path("elections/", ElectionListView.as_view(), name="elections"),
    path("elections/<uuid:election_uuid>/", ElectionDetailView.as_view(), name="election_detail"),
    path("elections/<uuid:election_uuid>/candidates/", ElectionNominateView.as_view(), name="election_nominate"),
    path("elections/<uuid:election_uuid>/nominations-open/", ElectionNominationsOpenView.as_view(), name="election_nominations_open"),
    path("elections/<uuid:election_uuid>/voting-open/", ElectionVotingOpenView.as_view(), name="election_voting_open"),
    path("elections/<uuid:election_uuid>/count/", ElectionCountView.as_view(), name="election_count"),
    path("elections/<uuid:election_uuid>/certify/", ElectionCertifyView.as_view(), name="election_certify"),
    path("elections/<uuid:election_uuid>/turnout/", ElectionTurnoutView.as_view(), name="election_turnout"),
    path("elections/<uuid:election_uuid>/results/", ElectionResultsView.as_view(), name="election_results"),
    path("elections/<uuid:election_uuid>/ballots/", ElectionBallotsView.as_view(), name="election_ballots"),
    path("elections/<uuid:election_uuid>/receipt/", ElectionReceiptView.as_view(), name="election_receipt"),
    path("elections/<uuid:election_uuid>/ballot/", ElectionCastView.as_view(), name="election_cast"),
    path("resolutions/", ResolutionListView.as_view(), name="resolutions"),
    path("resolutions/<uuid:resolution_uuid>/", ResolutionDetailView.as_view(), name="resolution_detail"),
    path("resolutions/<uuid:resolution_uuid>/voting-open/", ResolutionVotingOpenView.as_view(), name="resolution_voting_open"),
    path("resolutions/<uuid:resolution_uuid>/count/", ResolutionCountView.as_view(), name="resolution_count"),
    path("resolutions/<uuid:resolution_uuid>/certify/", ResolutionCertifyView.as_view(), name="resolution_certify"),
    path("resolutions/<uuid:resolution_uuid>/turnout/", ResolutionTurnoutView.as_view(), name="resolution_turnout"),
    path("resolutions/<uuid:resolution_uuid>/results/", ResolutionResultsView.as_view(), name="resolution_results"),
    path("resolutions/<uuid:resolution_uuid>/ballots/", ResolutionBallotsView.as_view(), name="resolution_ballots"),
    path("resolutions/<uuid:resolution_uuid>/receipt/", ResolutionReceiptView.as_view(), name="resolution_receipt"),
    path("resolutions/<uuid:resolution_uuid>/ballot/", ResolutionCastView.as_view(), name="resolution_cast"),
    path("me/votes/", MyVotesView.as_view(), name="my_votes"),
    path("board/", BoardView.as_view(), name="board"),
    path("board/seats/", SeatCreateView.as_view(), name="seat_create"),
    path("board/terms/", TermCreateView.as_view(), name="term_create"),
    path("board/terms/<uuid:term_uuid>/end/", TermEndView.as_view(), name="term_end"),
    path("committees/", CommitteeListView.as_view(), name="committees"),
    path("committees/<uuid:committee_uuid>/", CommitteeDetailView.as_view(), name="committee_detail"),
    path("committees/<uuid:committee_uuid>/members/", CommitteeMemberCreateView.as_view(), name="committee_member_create"),
    path("committees/<uuid:committee_uuid>/meetings/", CommitteeMeetingCreateView.as_view(), name="committee_meeting_create"),
    path("documents/", DocumentListView.as_view(), name="documents"),
    path("documents/<uuid:document_uuid>/", DocumentDetailView.as_view(), name="document_detail"),
]
