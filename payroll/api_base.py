"""What payroll's API modules share."""

from typing import TYPE_CHECKING

from rest_framework.exceptions import NotFound

from members.selectors import worker_for_user

if TYPE_CHECKING:
    from members.models import Worker


def own_worker(cooperative, user) -> "Worker":
    """The signed-in user's employee record in the co-op, or a 404 (payroll's /me/ routes)."""
    worker = worker_for_user(cooperative, user)
    if worker is None:
        raise NotFound("No employee record is linked to your account here.")
    return worker
