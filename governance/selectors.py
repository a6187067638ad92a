"""Reads of governance used by services, pages, the API and other apps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Value
from django.db.models.functions import Concat

from alliedup.models import Cooperative, Role
from governance.models import BoardTerm, Election, ElectionBallot, GovernanceDocument, Resolution, ResolutionBallot, VoterRollEntry
from members.choices import MemberStatus
from members.selectors import workers_qs

if TYPE_CHECKING:
    from members.models import Worker


@dataclass(frozen=True)
class MajorityStatus:
    filled_seats: int
    owner_seats: int
    required: bool
    breaches: tuple  # terms held by someone whose ownership has lapsed (a worker-owner seat without an owner)

    @property
    def owner_share(self) -> Decimal:
        return Decimal(self.owner_seats) / self.filled_seats if self.filled_seats else Decimal(1)

    @property
    def holds(self) -> bool:
        return not self.required or self.filled_seats == 0 or self.owner_seats * 2 > self.filled_seats


def terms_on(cooperative: Cooperative, on: date):
    return (BoardTerm.objects.filter(cooperative=cooperative, starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .select_related("seat", "worker").order_by("seat__name"))


def majority_status(cooperative: Cooperative, on: date) -> MajorityStatus:
    """Worker-owners among the board's filled seats on `on` (one query). A holder counts as a
    worker-owner while their status is owner today; a worker-owner seat whose holder's
    ownership has lapsed is a breach to fix."""
    terms = list(terms_on(cooperative, on))
    owners = [t for t in terms if t.worker is not None and t.worker.status == MemberStatus.OWNER]
    breaches = tuple(t for t in terms if t.seat.kind == "worker_owner" and t not in owners)
    return MajorityStatus(len(terms), len(owners), cooperative.board_owner_majority_required, breaches)


def roll_entry_for(vote, worker) -> VoterRollEntry | None:
    field = "election" if isinstance(vote, Election) else "resolution"
    return VoterRollEntry.objects.filter(**{field: vote}, worker=worker).select_related("participation").first()


def turnout(vote) -> dict:
    """On the roll, voted, and the share (never who voted how): see turnout_from_counts."""
    agg = vote.roll.aggregate(on_roll=Count("id"), voted=Count("participation"))
    return turnout_from_counts(agg["on_roll"], agg["voted"], vote.quorum_percent)


def turnout_from_counts(on_roll: int, voted: int, quorum_percent) -> dict:
    """The turnout of a vote from its two counts: {"on_roll", "voted", "percent", "quorum_met"}.

    percent = voted ÷ on the roll × 100 to two decimals, an exact half going to the even
    digit (1 of 800 is 0.12), as counts have always recorded it; 0 for an empty roll. The
    quorum is met when the unrounded share is at least `quorum_percent` and the roll is not
    empty. Used by `turnout` (one vote) and by insights (many, via with_turnout_counts)."""
    share = Decimal(voted) * 100 / on_roll if on_roll else Decimal(0)
    return {"on_roll": on_roll, "voted": voted, "percent": share.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN),
            "quorum_met": on_roll > 0 and share >= quorum_percent}


def with_turnout_counts(votes):
    """`votes` (a queryset of elections or of resolutions) annotated with `on_roll` (roll
    entries) and `voted` (roll entries with a participation), in the same single query
    whatever the number of votes; pass them to turnout_from_counts. Counts only: nothing
    here reaches a ballot."""
    return votes.annotate(on_roll=Count("roll", distinct=True), voted=Count("roll__participation", distinct=True))


def published_ballots(vote):
    """After the count: every receipt code with its ballot, in receipt order."""
    if isinstance(vote, Election):
        return ElectionBallot.objects.filter(election=vote).order_by("receipt_code")
    return ResolutionBallot.objects.filter(resolution=vote).order_by("receipt_code")


def documents_for(cooperative: Cooperative, user, roles: frozenset, worker=None):
    """Governance documents this person may read: worker-owners, the board and staff read
    all; others (employees, candidates, clients) only public ones."""
    docs = GovernanceDocument.objects.filter(cooperative=cooperative).order_by("-published_at")
    if roles & {Role.ADMIN, Role.COORDINATOR, Role.PAYROLL, Role.BOARD}:
        return docs
    if worker is not None and worker.status == MemberStatus.OWNER:
        return docs
    return docs.filter(is_public=True)


def votes_for_worker(worker):
    """Elections and resolutions this worker is on the roll of, with whether they voted."""
    entries = VoterRollEntry.objects.filter(worker=worker).select_related("election", "resolution", "participation")
    return list(entries)


def open_resolutions(cooperative: Cooperative):
    return Resolution.objects.filter(cooperative=cooperative, status=Resolution.Status.VOTING)


def certified_resolutions(cooperative: Cooperative):
    """The co-op's resolutions whose result is certified (adopted or not): what another app may
    cite as a member decision (patronage's collective reserve share). A queryset."""
    return Resolution.objects.filter(cooperative=cooperative, status=Resolution.Status.CERTIFIED)


# --- role homes ---------------------------------------------------------------------------

RECENT_DOCUMENT_DAYS = 30


@dataclass(frozen=True)
class BoardHome:
    """What waits for the board on its home: votes open now (with turnout counts, never who
    voted how), elections taking nominations, and documents published lately."""

    open_elections: list  # Election, annotated with on_roll and voted
    open_resolutions: list  # Resolution, likewise
    in_nominations: list  # Election
    recent_documents: list  # GovernanceDocument, newest first


def board_home(cooperative: Cooperative, now, *, documents: int = 5) -> BoardHome:
    """The board home's figures (three queries)."""
    elections = list(with_turnout_counts(
        Election.objects.filter(cooperative=cooperative, status__in=[Election.Status.VOTING, Election.Status.NOMINATIONS])
    ).order_by("voting_closes_at", "id"))
    return BoardHome(
        open_elections=[e for e in elections if e.status == Election.Status.VOTING],
        open_resolutions=list(with_turnout_counts(open_resolutions(cooperative)).order_by("voting_closes_at", "id")),
        in_nominations=[e for e in elections if e.status == Election.Status.NOMINATIONS],
        recent_documents=list(GovernanceDocument.objects.filter(
            cooperative=cooperative, published_at__gte=now - timedelta(days=RECENT_DOCUMENT_DAYS)).order_by("-published_at")[:documents]),
    )


def votes_waiting(worker, now) -> list:
    """The elections and resolutions open now whose roll holds `worker` and in which they
    have not voted yet, closing soonest first (one query)."""
    def open_now(field):
        return Q(**{f"{field}__status": "voting", f"{field}__voting_opens_at__lte": now, f"{field}__voting_closes_at__gt": now})

    entries = (VoterRollEntry.objects.filter(worker=worker, participation__isnull=True)
               .filter(open_now("election") | open_now("resolution")).select_related("election", "resolution"))
    return sorted((e.election or e.resolution for e in entries), key=lambda vote: vote.voting_closes_at)


# --- Workers by name (the governance forms' name boxes, issue 17) ------------------------------
# Each box resolves the typed name within its own `people` (a queryset of the co-op's workers)
# and is offered suggestions from the one search endpoint, whose `among` names one of PEOPLE.

NAME_SEARCH_LIMIT = 20
_EMAIL_SUFFIX = re.compile(r"(.*?)\s*<([^<>\s]+@[^<>\s]+)>")


def owners(cooperative: Cooperative):
    """The co-op's worker-owners today: who may hold a worker-owner seat or stand for election."""
    return workers_qs(cooperative, status=MemberStatus.OWNER)


def committee_workers(cooperative: Cooperative):
    """The co-op's workers who may be named as a committee member: anyone not withdrawn."""
    return workers_qs(cooperative, exclude_status=MemberStatus.WITHDRAWN)


PEOPLE = {"owners": owners, "workers": committee_workers}


def people_matching(people, text: str, *, limit: int = NAME_SEARCH_LIMIT) -> list:
    """Those of `people` whose first or last name contains each word of `text`, in any case
    ("delgado, ro" finds Rosa Delgado), by last then first name, at most `limit`. One query;
    none when `text` has no word."""
    words = [w for w in re.split(r"[\s,]+", text) if w][:5]
    if not words:
        return []
    query = people
    for word in words:
        query = query.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(query.order_by("last_name", "first_name", "pk")[:limit])


def people_named(people, text: str, *, limit: int = NAME_SEARCH_LIMIT) -> list:
    """Those of `people` typed `text` can mean, at most `limit` + 1 (so a caller can tell
    "too many"): the one whose email is given as "Name <email>" (a label of people_labels);
    else those called exactly `text` ("Last, First" or "First Last", any case); else
    people_matching. One or two queries."""
    text = " ".join(text.split())
    if m := _EMAIL_SUFFIX.fullmatch(text):
        return list(people.filter(email__iexact=m[2])[:1])
    exact = list(people.annotate(
        last_first=Concat("last_name", Value(", "), "first_name"), first_last=Concat("first_name", Value(" "), "last_name"),
    ).filter(Q(last_first__iexact=text) | Q(first_last__iexact=text)).order_by("last_name", "first_name", "pk")[:limit + 1])
    return exact or people_matching(people, text, limit=limit + 1)


def people_labels(workers) -> list[tuple[Worker, str]]:
    """(worker, label) for each of `workers`: "Last, First", with the email added for
    namesakes in the list ("Last, First <email>"), so that a label names one person."""
    names = [f"{w.last_name}, {w.first_name}" for w in workers]
    repeated = {n for n in names if names.count(n) > 1}
    return [(w, f"{n} <{w.email}>" if n in repeated else n) for w, n in zip(workers, names)]


# Read by insights (the turnout figures: counts from the roll, never a ballot) ------------------


def _counted_between(model, cooperative: Cooperative, first: datetime, after: datetime, fields: tuple[str, ...]) -> list:
    return list(
        with_turnout_counts(
            model.objects.filter(cooperative=cooperative, status__in=[model.Status.CLOSED, model.Status.CERTIFIED],
                                 voting_closes_at__gte=first, voting_closes_at__lt=after)
        ).order_by("voting_closes_at", "id").only(*fields)
    )


def counted_elections(cooperative: Cooperative, first: datetime, after: datetime) -> list[Election]:
    """The co-op's counted or certified elections whose voting closed in [first, after), by
    close (then id), with only `title`, `voting_closes_at` and `quorum_percent` loaded and
    their turnout counts `on_roll` and `voted` (with_turnout_counts). One query; no ballot is read."""
    return _counted_between(Election, cooperative, first, after, ("title", "voting_closes_at", "quorum_percent"))


def counted_resolutions(cooperative: Cooperative, first: datetime, after: datetime) -> list[Resolution]:
    """The co-op's counted or certified resolutions whose voting closed in [first, after), as
    counted_elections (with `result` loaded too: the count's outcome). One query; no ballot is read."""
    return _counted_between(Resolution, cooperative, first, after, ("title", "voting_closes_at", "quorum_percent", "result"))
