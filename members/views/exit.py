"""What the worker's record page and the worker's own "My ownership" page (members.views) show
about keeping and leaving the ownership: the retention status and, for an owner, the form that
ends it.

Leaving itself is patronage's (the app above members): the exit form posts to
patronage.views.exit.worker_exit, mounted under members' path and name (members:worker_exit), and
the redemption schedules and their payment forms come from patronage's {% redemption_schedules %}
tag in the templates. members imports nothing of patronage.
"""

from datetime import date

from members.forms import OwnershipExitForm
from members.models import MemberStatus, Worker
from members.services.retention import retention_status


def my_exit_context(worker: Worker, today: date) -> dict:
    """The worker's retention status (two queries at most)."""
    return {"retention_status": retention_status(worker, today)}


def exit_context(worker: Worker, today: date) -> dict:
    """The record page's "Leaving the co-op" part: the retention status, and the exit form for
    an owner (shown to staff who manage members)."""
    context = my_exit_context(worker, today)
    if worker.status == MemberStatus.OWNER:
        context["exit_form"] = OwnershipExitForm(initial={"effective_on": today})
    return context
