"""Reads of workers' drop and swap requests (placements/services/shift_changes.py) for the
staff page, the staff home, the fill board, the worker's schedule and the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from members.selectors import portal_workers_hired_in
from placements.models import Assignment, ShiftChangeRequest

if TYPE_CHECKING:
    from members.models import Worker

RECENT_DAYS = 14
_SHOWN = (
    "worker", "swap_to", "decided_by", "assignment__shift__classification", "assignment__shift__job_order__contract__client",
    "assignment__shift__job_order__site", "assignment__cooperative",
)


def _upcoming(queryset, now: datetime):
    """Requests whose shift has not started and is still the asking worker's (confirmed):
    the others cannot be approved and are left out."""
    return queryset.filter(assignment__starts_at__gt=now, assignment__status=Assignment.Status.CONFIRMED)


def shift_changes_waiting(cooperative, now: datetime) -> int:
    """How many requests wait for a coordinator's decision. One query."""
    return _upcoming(ShiftChangeRequest.objects.filter(cooperative=cooperative, status=ShiftChangeRequest.Status.PENDING), now).count()


def shift_changes_open(cooperative, now: datetime) -> list[ShiftChangeRequest]:
    """Open requests of shifts still to come, soonest shift first: waiting for a coordinator
    and, apart, swaps still waiting for the co-worker. One query."""
    return list(
        _upcoming(ShiftChangeRequest.objects.filter(cooperative=cooperative, status__in=ShiftChangeRequest.OPEN), now)
        .select_related(*_SHOWN).order_by("assignment__starts_at", "requested_at", "id")
    )


def shift_changes_decided(cooperative, now: datetime, days: int = RECENT_DAYS, limit: int = 50) -> list[ShiftChangeRequest]:
    """Requests closed in the last `days` days, latest first (at most `limit`). One query."""
    return list(
        ShiftChangeRequest.objects.filter(cooperative=cooperative, decided_at__gte=now - timedelta(days=days))
        .exclude(status__in=ShiftChangeRequest.OPEN)
        .select_related(*_SHOWN).order_by("-decided_at", "-id")[:limit]
    )


def worker_shift_changes(worker, now: datetime, days: int = RECENT_DAYS) -> list[ShiftChangeRequest]:
    """The worker's requests and the swaps offered to them, of shifts not started yet:
    the open ones and those closed in the last `days` days. One query."""
    return list(
        ShiftChangeRequest.objects.filter(Q(worker=worker) | Q(swap_to=worker), assignment__starts_at__gt=now)
        .filter(Q(status__in=ShiftChangeRequest.OPEN) | Q(decided_at__gte=now - timedelta(days=days)))
        .select_related(*_SHOWN).order_by("assignment__starts_at", "id")
    )


def swap_coworkers(assignment: Assignment) -> list[Worker]:
    """Whom a worker may name for a swap: the co-op's other active workers hired in the
    shift's classification with a portal account, by name (whether each may take this
    shift is checked when offered). One query."""
    return portal_workers_hired_in(assignment.cooperative_id, assignment.shift.classification_id,
                                   exclude_worker_id=assignment.worker_id)


def reopened_by_drop():
    """An annotation for shift querysets: whether a worker's drop request reopened it."""
    return Exists(ShiftChangeRequest.objects.filter(
        assignment__shift=OuterRef("pk"), kind=ShiftChangeRequest.Kind.DROP, status=ShiftChangeRequest.Status.APPROVED
    ))
