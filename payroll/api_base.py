"""What payroll's API modules share."""

from rest_framework.exceptions import NotFound

from members.models import Worker
from members.selectors import worker_for_user


def own_worker(cooperative, user) -> Worker:
    """The signed-in user's employee record in the co-op, or a 404 (payroll's /me/ routes)."""
    worker = worker_for_user(cooperative, user)
    if worker is None:
        raise NotFound("No employee record is linked to your account here.")
    return worker
