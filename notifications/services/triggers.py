"""The hooks other apps' services call, one line each, inside their transaction: each
queues notifications.tasks.notify_task for when the transaction commits (so the task
never looks for rows that are not there yet, and a rolled-back change tells nobody).

Which events notify is decided here; who is told, and what, when the task runs
(services/events.py)."""

import threading
from contextlib import contextmanager

from django.db import transaction

from notifications.models import Kind
from placements.models import Assignment

_state = threading.local()


@contextmanager
def paused():
    """Queue no notifications inside the block (this thread): for loading data in bulk, such
    as the load benchmark's 10,000-voter election, where nobody real is there to be told."""
    before = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


def _queue(cooperative_id: int, kind: str, subject: str) -> None:
    # alliedup.tasks.enqueue, taking the id: the caller's row may not have its co-op loaded.
    from notifications.tasks import notify_task

    if getattr(_state, "paused", False):
        return
    transaction.on_commit(lambda: notify_task.delay(cooperative=cooperative_id, kind=kind, subject=subject))


def shift_confirmed(*, assignment) -> None:
    """Staff assigned a worker (confirmed at once) or confirmed their request."""
    if assignment.status == Assignment.Status.CONFIRMED:
        _queue(assignment.cooperative_id, Kind.SHIFT_CONFIRMED, f"assignment:{assignment.pk}")


def shift_cancelled(*, assignment) -> None:
    """An assignment was cancelled (a no-show is not told: the shift is already past)."""
    if assignment.status == Assignment.Status.CANCELLED:
        _queue(assignment.cooperative_id, Kind.SHIFT_CANCELLED, f"assignment:{assignment.pk}")


def pay_statements_ready(*, run) -> None:
    """A pay run was approved: every worker in it may read their statement."""
    _queue(run.cooperative_id, Kind.PAY_STATEMENT, f"payrun:{run.pk}")


def voting_opened(*, vote) -> None:
    """An election or resolution opened for voting (its roll is fixed)."""
    _queue(vote.cooperative_id, Kind.VOTING_OPENED, f"{vote._meta.model_name}:{vote.pk}")
