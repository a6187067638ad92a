"""Reads of governance used by services, pages, the API and other apps."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from alliedup.models import Cooperative, Role
from governance.models import BoardTerm, Election, ElectionBallot, GovernanceDocument, Resolution, ResolutionBallot, VoterRollEntry
from members.models import MemberStatus


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
    """On the roll, voted, and the share (never who voted how)."""
    agg = vote.roll.aggregate(on_roll=Count("id"), voted=Count("participation"))
    share = Decimal(agg["voted"]) * 100 / agg["on_roll"] if agg["on_roll"] else Decimal(0)
    return {"on_roll": agg["on_roll"], "voted": agg["voted"], "percent": share.quantize(Decimal("0.01")),
            "quorum_met": agg["on_roll"] > 0 and share >= vote.quorum_percent}


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
