"""What governance's API modules share: the objects a request names (a 400 when they are not the
co-op's) and the mixin of the election and resolution routes."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import ValidationError

from governance.models import BoardSeat, Candidate, Election
from governance.views.common import RESULTS_PERMISSIONS, require_any
from members.selectors import worker_by_uuid


BALLOTS_PAGE_SIZE = 500


def worker_or_400(cooperative, worker_uuid, field="worker"):
    if worker_uuid is None:
        return None
    worker = worker_by_uuid(cooperative, worker_uuid)
    if worker is None:
        raise ValidationError({field: ["No such worker in this cooperative."]})
    return worker


def seat_or_400(name: str, field="seat") -> BoardSeat:
    seat = BoardSeat.objects.filter(name=name).first()
    if seat is None:
        raise ValidationError({field: [f"No seat named {name!r}."]})
    return seat


def candidates_prefetch():
    return Prefetch("candidates", queryset=Candidate.objects.select_related("worker").order_by("worker__last_name", "worker__first_name"))


class VoteMixin:
    """Shared by election and resolution routes: `model` and the URL kwarg that names one."""

    model = Election
    kwarg = "election_uuid"

    def get_vote(self, kwargs):
        return get_object_or_404(self.model.objects.select_related("cooperative"), uuid=kwargs[self.kwarg])

    def require_results_access(self, request):
        require_any(request._request, *RESULTS_PERMISSIONS)
