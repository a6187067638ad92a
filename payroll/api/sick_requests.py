"""API of paid sick leave requests (routed from payroll/api/urls.py): the worker asks and
withdraws under /me/ ("payroll.view_own"); payroll staff list, approve and decline
("payroll.manage"). Services: payroll.services.sick_leave."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from payroll.api.base import own_worker
from payroll.models import SickLeaveRequest
from payroll.services import sick_leave as sick_services


class SickLeaveRequestSerializer(serializers.ModelSerializer):
    worker = serializers.UUIDField(source="worker.uuid", read_only=True)
    worker_name = serializers.CharField(source="worker.full_name", read_only=True)

    class Meta:
        model = SickLeaveRequest
        fields = ["uuid", "worker", "worker_name", "workday", "hours", "note", "status", "requested_at", "decided_at",
                  "decline_reason"]


class SickLeaveAskSerializer(serializers.Serializer):
    workday = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SickLeaveDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MySickLeaveRequestsView(CooperativeListAPIView):
    """The signed-in worker's sick leave requests, newest first; POST asks for paid sick
    leave on a day (checked against the balance and the yearly cap, counting requests still
    waiting)."""

    required_permission = "payroll.view_own"
    serializer_class = SickLeaveRequestSerializer

    def get_queryset(self):
        return (SickLeaveRequest.objects.filter(worker=own_worker(self.cooperative, self.request.user))
                .select_related("worker").order_by("-requested_at", "-id"))

    @extend_schema(request=SickLeaveAskSerializer, responses={201: SickLeaveRequestSerializer})
    def post(self, request, coop_slug):
        data = SickLeaveAskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asked = sick_services.sick_leave_request(worker=own_worker(self.cooperative, request.user), requested_by=request.user, **data.validated_data)
        return Response(SickLeaveRequestSerializer(asked).data, status=status.HTTP_201_CREATED)


class MySickLeaveWithdrawView(CooperativeAPIView):
    """Withdraw one of the worker's own requests while it waits."""

    required_permission = "payroll.view_own"

    @extend_schema(request=None, responses=SickLeaveRequestSerializer)
    def post(self, request, coop_slug, sick_request_uuid):
        asked = get_object_or_404(SickLeaveRequest.objects.select_related("worker"), uuid=sick_request_uuid,
                                  worker=own_worker(self.cooperative, request.user))
        return Response(SickLeaveRequestSerializer(sick_services.sick_leave_request_withdraw(request=asked,
                                                                                          withdrawn_by=request.user)).data)


class SickLeaveRequestsView(CooperativeListAPIView):
    """The co-op's sick leave requests, oldest first (`?status=pending` for those waiting)."""

    required_permission = "payroll.manage"
    serializer_class = SickLeaveRequestSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=SickLeaveRequest.Status.values, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = SickLeaveRequest.objects.filter(cooperative=self.cooperative).select_related("worker").order_by("requested_at", "id")
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in SickLeaveRequest.Status.values:
                raise serializers.ValidationError({"status": [f"One of {', '.join(SickLeaveRequest.Status.values)}."]})
            qs = qs.filter(status=wanted)
        return qs


class SickLeaveApproveView(CooperativeAPIView):
    """Approve a waiting request: the hours are recorded as used, paid by the next run."""

    required_permission = "payroll.manage"

    @extend_schema(request=None, responses=SickLeaveRequestSerializer)
    def post(self, request, coop_slug, sick_request_uuid):
        asked = get_object_or_404(SickLeaveRequest.objects.select_related("worker"), uuid=sick_request_uuid)
        return Response(SickLeaveRequestSerializer(sick_services.sick_leave_request_approve(request=asked,
                                                                                          approved_by=request.user)).data)


class SickLeaveDeclineView(CooperativeAPIView):
    """Decline a waiting request with the reason the worker reads."""

    required_permission = "payroll.manage"

    @extend_schema(request=SickLeaveDeclineSerializer, responses=SickLeaveRequestSerializer)
    def post(self, request, coop_slug, sick_request_uuid):
        asked = get_object_or_404(SickLeaveRequest.objects.select_related("worker"), uuid=sick_request_uuid)
        data = SickLeaveDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declined = sick_services.sick_leave_request_decline(request=asked, declined_by=request.user, **data.validated_data)
        return Response(SickLeaveRequestSerializer(declined).data)
