"""API of a worker's paid sick leave balance (staff)."""

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from payroll import selectors
from payroll.api.base import worker_or_404
from payroll.models import SickLeaveEntry
from payroll.serializers import SickLeaveSerializer, SickLeaveUseSerializer
from payroll.services.sick_leave import sick_leave_use

if TYPE_CHECKING:
    from members.models import Worker


def sick_leave_summary(worker: "Worker") -> dict:
    entries = SickLeaveEntry.objects.filter(worker=worker).select_related("run__period").order_by("workday", "id")
    summary = selectors.sick_leave_summary(worker, worker.cooperative.today())
    caps = summary["caps"]
    return {
        "worker": worker, "balance": summary["balance"], "used_this_year": summary["used_this_year"],
        "accrual_cap": caps.accrual, "use_cap": caps.use, "workday_hours": caps.day, "usable_from": summary["usable_from"],
        "entries": entries,
    }


class WorkerSickLeaveView(CooperativeAPIView):
    """A worker's paid sick leave: balance, hours used this year and the ledger; POST records
    hours taken (paid by the next run at the regular rate)."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    @extend_schema(responses=SickLeaveSerializer)
    def get(self, request, coop_slug, worker_uuid):
        worker = worker_or_404(self.cooperative, worker_uuid)
        return Response(SickLeaveSerializer(sick_leave_summary(worker)).data)

    @extend_schema(request=SickLeaveUseSerializer, responses={201: SickLeaveSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = worker_or_404(self.cooperative, worker_uuid)
        data = SickLeaveUseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sick_leave_use(worker=worker, recorded_by=request.user, **data.validated_data)
        return Response(SickLeaveSerializer(sick_leave_summary(worker)).data, status=status.HTTP_201_CREATED)


