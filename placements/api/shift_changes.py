"""API of drop and swap requests (placements/services/shift_changes.py), under
/api/v1/c/<coop_slug>/placements/ (routed from placements/api/).

Workers ("placements.work", an employee record linked): `me/assignments/<uuid>/change/` GET
(the cut-off, whether it is still open, an open request, the co-workers one may name) and
POST (ask: `{"kind": "drop"|"swap", "swap_to": <worker uuid>, "reason": ""}`), `me/shift-changes/`
(my requests and swaps offered to me), `…/<uuid>/withdraw/`, `…/<uuid>/accept/`,
`…/<uuid>/turn-down/`. Staff: `shift-changes/` ("placements.view"; open ones of shifts to
come by default, `?status=` any status), `shift-changes/<uuid>/approve/` and `…/decline/`
("placements.manage"). Refusals are 400s with the service's message.
"""

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members.selectors import worker_by_uuid, worker_for_user
from placements.models import Assignment, ShiftChangeRequest
from placements.selectors.shift_changes import (
    shift_changes_open,
    swap_coworkers,
    worker_shift_changes,
)
from placements.services import shift_changes as services

if TYPE_CHECKING:
    from members.models import Worker

_SHOWN = ("worker", "swap_to", "assignment__shift__classification", "assignment__shift__job_order__contract__client")


class ShiftChangeSerializer(serializers.ModelSerializer):
    assignment = serializers.UUIDField(source="assignment.uuid")
    shift = serializers.UUIDField(source="assignment.shift.uuid")
    starts_at = serializers.DateTimeField(source="assignment.starts_at")
    ends_at = serializers.DateTimeField(source="assignment.ends_at")
    client = serializers.CharField(source="assignment.shift.job_order.contract.client.name")
    classification = serializers.CharField(source="assignment.shift.classification.code")
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")
    swap_to = serializers.UUIDField(source="swap_to.uuid", allow_null=True, default=None)
    swap_to_name = serializers.CharField(source="swap_to.full_name", allow_null=True, default=None)

    class Meta:
        model = ShiftChangeRequest
        fields = ["uuid", "kind", "status", "assignment", "shift", "starts_at", "ends_at", "client", "classification", "worker",
                  "worker_name", "swap_to", "swap_to_name", "reason", "requested_at", "accepted_at", "decided_at", "decision_note"]


class CoworkerSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField(source="full_name")


class ChangeOptionsSerializer(serializers.Serializer):
    changes_open = serializers.BooleanField(help_text="Whether the worker may still ask (before the cut-off).")
    cutoff = serializers.DateTimeField(help_text="From this moment the worker calls the coordinator instead.")
    cutoff_hours = serializers.IntegerField()
    open_request = ShiftChangeSerializer(allow_null=True)
    coworkers = CoworkerSerializer(many=True, help_text="Whom a swap may name (checked again when offered).")


class ShiftChangeCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ShiftChangeRequest.Kind.choices)
    swap_to = serializers.UUIDField(required=False, allow_null=True, default=None, help_text="The co-worker (a swap only).")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.REASON_MAX)


class DeclineSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.REASON_MAX)


class _Mine:
    required_permission = "placements.work"

    def _worker(self, request) -> "Worker":
        worker = worker_for_user(self.cooperative, request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account here.")
        return worker


def _shown(change: ShiftChangeRequest) -> dict:
    return ShiftChangeSerializer(ShiftChangeRequest.objects.select_related(*_SHOWN, "assignment__shift").get(pk=change.pk)).data


class MyAssignmentChangeView(_Mine, CooperativeAPIView):
    """Drop or swap one of my confirmed shifts, before the co-op's cut-off."""

    def _assignment(self, request, assignment_uuid) -> tuple["Worker", Assignment]:
        worker = self._worker(request)
        assignment = get_object_or_404(
            Assignment.objects.select_related("shift__job_order__contract__client", "shift__classification"),
            uuid=assignment_uuid, worker=worker,
        )
        return worker, assignment

    @extend_schema(responses=ChangeOptionsSerializer)
    def get(self, request, coop_slug, assignment_uuid):
        _, assignment = self._assignment(request, assignment_uuid)
        open_request = assignment.change_requests.filter(status__in=ShiftChangeRequest.OPEN).select_related(*_SHOWN).first()
        return Response(ChangeOptionsSerializer({
            "changes_open": services.changes_open(assignment, cooperative=self.cooperative),
            "cutoff": services.change_cutoff(assignment, self.cooperative),
            "cutoff_hours": self.cooperative.shift_change_cutoff_hours,
            "open_request": open_request, "coworkers": swap_coworkers(assignment),
        }).data)

    @extend_schema(request=ShiftChangeCreateSerializer, responses={201: ShiftChangeSerializer})
    def post(self, request, coop_slug, assignment_uuid):
        worker, assignment = self._assignment(request, assignment_uuid)
        data = ShiftChangeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if d["kind"] == ShiftChangeRequest.Kind.SWAP:
            to_worker = worker_by_uuid(self.cooperative, d["swap_to"]) if d["swap_to"] else None
            if to_worker is None:
                raise ValidationError({"swap_to": ["Name a co-worker of this cooperative."]})
            change = services.shift_swap_offer(assignment=assignment, worker=worker, to_worker=to_worker, reason=d["reason"],
                                               requested_by=request.user)
        else:
            change = services.shift_drop_request(assignment=assignment, worker=worker, reason=d["reason"], requested_by=request.user)
        return Response(_shown(change), status=status.HTTP_201_CREATED)


class MyShiftChangeListView(_Mine, CooperativeListAPIView):
    """My drop and swap requests and the swaps offered to me, of shifts to come: open ones
    and those closed in the last 14 days."""

    serializer_class = ShiftChangeSerializer

    def get_queryset(self):
        return worker_shift_changes(self._worker(self.request), timezone.now())


class _MyDecision(_Mine, CooperativeAPIView):
    mine = "worker"  # or "swap_to": whose request this route may reach (others are a 404)

    def act(self, change, worker, user):
        raise NotImplementedError

    @extend_schema(request=None, responses=ShiftChangeSerializer)
    def post(self, request, coop_slug, shift_change_uuid):
        worker = self._worker(request)
        change = get_object_or_404(ShiftChangeRequest, uuid=shift_change_uuid, **{self.mine: worker})
        return Response(_shown(self.act(change, worker, request.user)))


class MyShiftChangeWithdrawView(_MyDecision):
    """Withdraw my open request."""

    def act(self, change, worker, user):
        return services.shift_change_withdraw(change=change, worker=worker, withdrawn_by=user)


class MySwapAcceptView(_MyDecision):
    """Accept a swap offered to me (it then waits for the coordinator)."""

    mine = "swap_to"

    def act(self, change, worker, user):
        return services.shift_swap_accept(change=change, worker=worker, accepted_by=user)


class MySwapTurnDownView(_MyDecision):
    """Turn down a swap offered to me."""

    mine = "swap_to"

    def act(self, change, worker, user):
        return services.shift_swap_turn_down(change=change, worker=worker, turned_down_by=user)


class ShiftChangeListView(CooperativeListAPIView):
    """Drop and swap requests: by default the open ones of shifts to come, soonest shift
    first; `?status=` any one status (all shifts, latest request first)."""

    required_permission = "placements.view"
    serializer_class = ShiftChangeSerializer

    def get_queryset(self):
        wanted = self.request.query_params.get("status")
        if not wanted:
            return shift_changes_open(self.cooperative, timezone.now())
        if wanted not in ShiftChangeRequest.Status.values:
            raise ValidationError({"status": [f"One of {', '.join(ShiftChangeRequest.Status.values)}."]})
        return (ShiftChangeRequest.objects.filter(cooperative=self.cooperative, status=wanted)
                .select_related(*_SHOWN, "assignment__shift").order_by("-requested_at", "-id"))

    @extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=ShiftChangeRequest.Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ShiftChangeApproveView(CooperativeAPIView):
    """Approve a request waiting for a coordinator: a drop reopens the shift, a swap moves
    it to the co-worker (400 with the reasons if they may no longer take it)."""

    required_permission = "placements.manage"

    @extend_schema(request=None, responses=ShiftChangeSerializer)
    def post(self, request, coop_slug, shift_change_uuid):
        change = get_object_or_404(ShiftChangeRequest, uuid=shift_change_uuid)
        return Response(_shown(services.shift_change_approve(change=change, approved_by=request.user)))


class ShiftChangeDeclineView(CooperativeAPIView):
    """Decline an open request, with an optional note to the worker; the shift stays theirs."""

    required_permission = "placements.manage"

    @extend_schema(request=DeclineSerializer, responses=ShiftChangeSerializer)
    def post(self, request, coop_slug, shift_change_uuid):
        change = get_object_or_404(ShiftChangeRequest, uuid=shift_change_uuid)
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_shown(services.shift_change_decline(change=change, declined_by=request.user, **data.validated_data)))


urlpatterns = [
    path("me/assignments/<uuid:assignment_uuid>/change/", MyAssignmentChangeView.as_view(), name="my_shift_change"),
    path("me/shift-changes/", MyShiftChangeListView.as_view(), name="my_shift_changes"),
    path("me/shift-changes/<uuid:shift_change_uuid>/withdraw/", MyShiftChangeWithdrawView.as_view(), name="my_shift_change_withdraw"),
    path("me/shift-changes/<uuid:shift_change_uuid>/accept/", MySwapAcceptView.as_view(), name="my_swap_accept"),
    path("me/shift-changes/<uuid:shift_change_uuid>/turn-down/", MySwapTurnDownView.as_view(), name="my_swap_turn_down"),
    path("shift-changes/", ShiftChangeListView.as_view(), name="shift_changes"),
    path("shift-changes/<uuid:shift_change_uuid>/approve/", ShiftChangeApproveView.as_view(), name="shift_change_approve"),
    path("shift-changes/<uuid:shift_change_uuid>/decline/", ShiftChangeDeclineView.as_view(), name="shift_change_decline"),
]
