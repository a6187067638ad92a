"""Read by insights, the turnout figures: counts from the roll, never a ballot."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from alliedup.models import Cooperative
from governance.models import (
    Election,
    Resolution,
)

if TYPE_CHECKING:
    pass
from governance.selectors.votes import with_turnout_counts


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
