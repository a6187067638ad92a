"""Leaving the co-op, as members sees it: what each reason for leaving does to a worker-owner's
status, and the door through which members' own code ends an ownership.

The exit hook (the one place it is described; docs and the other modules point here):
- The exit itself, the status change and in the same transaction the bylaws' redemption
  schedule, is patronage's `patronage.services.exit.ownership_exit`. Staff pages and the API
  call it there directly.
- patronage sits above members in the layers (docs/architecture.md), so members never imports
  it. Instead patronage installs its exit here with `exit_service_register` when Django loads
  the apps (`patronage.apps.PatronageConfig.ready`), and `ownership_exit` below hands over to it.
- members' own callers go through `ownership_exit` below: a staff move of an owner to lapsed
  or withdrawn (`members.services.status.member_move`) and the year-end lapse
  (`members.services.retention`). So no owner leaves without a redemption schedule, and
  members stays importable on its own.
- Without patronage installed the hook is empty and an exit raises ImproperlyConfigured.
  tests/patronage/test_exit_redemption.py checks that loading the apps installs it.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from members.models import MemberStatus, Worker

# The status each reason leaves the worker in. A termination ends ownership like a
# withdrawal does; the schedule and the status history keep which one it was.
EXIT_STATUS = {
    "withdrawal": MemberStatus.WITHDRAWN,
    "lapse": MemberStatus.LAPSED,
    "termination": MemberStatus.WITHDRAWN,
}
MAX_DAYS_AHEAD = 366
EXIT_REASONS = {"withdrawal": "Withdrawal", "lapse": "Lapse", "termination": "Termination"}

_exit_service: Callable | None = None


def exit_service_register(service: Callable) -> None:
    """Install the service that carries out an exit (patronage's `ownership_exit`, called with
    worker, reason, effective_on, recorded_by, note). Called once when the apps load."""
    global _exit_service
    _exit_service = service


def ownership_exit(*, worker: Worker, reason: str, effective_on: date, recorded_by=None, note: str = ""):
    """End `worker`'s ownership for `reason` (a key of EXIT_STATUS) on `effective_on` through the
    registered exit service, which changes the status and schedules the redemption in one
    transaction (the caller's, if one is open).

    Returns what the service returns: the RedemptionSchedule, whose `status_change` is the
    MemberStatusChange recorded. Raises the service's ValidationError, and ImproperlyConfigured
    when no app registered an exit service (patronage is not installed)."""
    if _exit_service is None:
        raise ImproperlyConfigured("No exit service is registered: add \"patronage\" to INSTALLED_APPS.")
    return _exit_service(worker=worker, reason=reason, effective_on=effective_on, recorded_by=recorded_by, note=note)
