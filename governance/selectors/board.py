"""The board: terms in office, whether worker-owners hold the majority, the board's home page
and the documents a reader may open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q

from alliedup.models import Cooperative, Role
from governance.models import (
    BoardTerm,
    Election,
    GovernanceDocument,
)
from members.choices import MemberStatus

if TYPE_CHECKING:
    pass
from governance.selectors.votes import open_resolutions, with_turnout_counts


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


def documents_for(cooperative: Cooperative, user, roles: frozenset, worker=None):
    """Governance documents this person may read: worker-owners, the board and staff read
    all; others (employees, candidates, clients) only public ones."""
    docs = GovernanceDocument.objects.filter(cooperative=cooperative).order_by("-published_at")
    if roles & {Role.ADMIN, Role.COORDINATOR, Role.PAYROLL, Role.BOARD}:
        return docs
    if worker is not None and worker.status == MemberStatus.OWNER:
        return docs
    return docs.filter(is_public=True)


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
