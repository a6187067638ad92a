"""Elections and resolutions as voters and staff read them: the roll, turnout (from the roll,
never from a ballot), the published ballots, what waits for a worker's vote."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from alliedup.models import Cooperative
from governance.models import (
    Election,
    ElectionBallot,
    Resolution,
    ResolutionBallot,
    VoterRollEntry,
)

if TYPE_CHECKING:
    pass


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


def votes_waiting(worker, now) -> list:
    """The elections and resolutions open now whose roll holds `worker` and in which they
    have not voted yet, closing soonest first (one query)."""
    def open_now(field):
        return Q(**{f"{field}__status": "voting", f"{field}__voting_opens_at__lte": now, f"{field}__voting_closes_at__gt": now})

    entries = (VoterRollEntry.objects.filter(worker=worker, participation__isnull=True)
               .filter(open_now("election") | open_now("resolution")).select_related("election", "resolution"))
    return sorted((e.election or e.resolution for e in entries), key=lambda vote: vote.voting_closes_at)
