"""Queueing a notice for when the transaction commits. The app that owns an event (a shift
confirmed, a pay run approved, a vote opened) has a one-line hook in its `notices.py` that
its service calls inside its transaction; the hook queues that app's task through `queue`,
so the task never looks for rows that are not there yet, and a rolled-back change tells
nobody. Who is told, and what, is read again when the task runs."""

import threading
from contextlib import contextmanager

from django.db import transaction

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


def queue(task, *, cooperative_id: int, **kwargs) -> None:
    """Queue `task` (a CooperativeTask sending notices) with `cooperative=cooperative_id` and
    `kwargs` once the current transaction commits; nothing while `paused`. Like
    alliedup.tasks.enqueue, but taking the id: the caller's row may not have its co-op loaded."""
    if getattr(_state, "paused", False):
        return
    transaction.on_commit(lambda: task.delay(cooperative=cooperative_id, **kwargs))
