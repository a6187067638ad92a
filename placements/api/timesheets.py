"""API of timesheet decisions ("placements.approve_timesheets"): staff see every timesheet, a
client contact only their own clients', and approve or dispute them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from alliedup.permissions import can
from placements import selectors
from placements.api.base import timesheets_qs
from placements.models import Timesheet
from placements.serializers import (
    ApprovalSerializer,
    DisputeSerializer,
    TimesheetFilterSerializer,
    TimesheetSerializer,
)
from placements.services.timesheets import timesheet_approve, timesheet_dispute


class TimesheetDecisionMixin:
    """Who decides: staff who manage placements decide any timesheet (on the client's
    behalf); anyone else holding the permission (the client role) only those of the
    clients they are a contact of."""

    required_permission = "placements.approve_timesheets"

    def _client_ids(self) -> set[int]:
        return selectors.client_ids_for(self.cooperative, self.request.user)

    def _is_staff(self) -> bool:
        return can(self.request.user, self.cooperative, "placements.manage")

    def _decidable(self, timesheet_uuid) -> tuple[Timesheet, bool]:
        """(the timesheet, whether the decision is on the client's behalf); 404 if the user
        may not decide it."""
        client_ids = self._client_ids()
        qs = timesheets_qs(self.cooperative)
        if not self._is_staff():
            qs = qs.filter(assignment__shift__job_order__contract__client_id__in=client_ids)
        timesheet = get_object_or_404(qs, uuid=timesheet_uuid)
        return timesheet, timesheet.assignment.shift.job_order.contract.client_id not in client_ids


class TimesheetListView(TimesheetDecisionMixin, CooperativeListAPIView):
    """Submitted timesheets awaiting a decision, oldest first, 50 a page; optionally of one
    client and/or classification (the staff queue's filters)."""

    serializer_class = TimesheetSerializer

    def get_queryset(self):
        filters = TimesheetFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        client_ids = None if self._is_staff() else self._client_ids()
        return selectors.timesheets_awaiting(
            self.cooperative, client_ids=client_ids, client_uuid=f.get("client"), classification_code=f.get("classification")
        )

    @extend_schema(parameters=[
        OpenApiParameter("client", OpenApiTypes.UUID, description="Only this client's timesheets."),
        OpenApiParameter("classification", OpenApiTypes.STR, description="Classification code, e.g. 'lvn'."),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TimesheetApproveView(TimesheetDecisionMixin, CooperativeAPIView):
    """Approve: the timesheet locks, the shift completes, the hours go to the worker's ledger."""

    @extend_schema(request=None, responses=ApprovalSerializer)
    def post(self, request, coop_slug, timesheet_uuid):
        timesheet, on_behalf = self._decidable(timesheet_uuid)
        entry = timesheet_approve(timesheet=timesheet, approved_by=request.user, on_behalf_of_client=on_behalf)
        timesheet = timesheets_qs(self.cooperative).get(pk=timesheet.pk)
        return Response(ApprovalSerializer({"timesheet": timesheet, "hours_entry": entry}).data)


class TimesheetDisputeView(TimesheetDecisionMixin, CooperativeAPIView):
    """Dispute with a reason: the worker corrects and resubmits."""

    @extend_schema(request=DisputeSerializer, responses=TimesheetSerializer)
    def post(self, request, coop_slug, timesheet_uuid):
        timesheet, on_behalf = self._decidable(timesheet_uuid)
        data = DisputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        timesheet_dispute(timesheet=timesheet, reason=data.validated_data["reason"], disputed_by=request.user, on_behalf_of_client=on_behalf)
        return Response(TimesheetSerializer(timesheets_qs(self.cooperative).get(pk=timesheet.pk)).data)
