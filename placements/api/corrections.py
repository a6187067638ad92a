"""API: staff correct an approved timesheet (placements.services.timesheets.timesheet_correct).
Routed from placements/api/."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from placements.models import Timesheet, TimesheetCorrection
from placements.services.timesheets import timesheet_correct


class TimesheetCorrectSerializer(serializers.Serializer):
    clock_in = serializers.DateTimeField(help_text="ISO 8601 with its UTC offset.")
    clock_out = serializers.DateTimeField(help_text="ISO 8601 with its UTC offset.")
    break_minutes = serializers.IntegerField(min_value=0, max_value=1440, default=0)
    reason = serializers.CharField(max_length=300)


class TimesheetCorrectionSerializer(serializers.ModelSerializer):
    timesheet = serializers.UUIDField(source="timesheet.uuid", read_only=True)
    corrected_by = serializers.EmailField(source="corrected_by.email", read_only=True, default=None)
    billed_on = serializers.SerializerMethodField(help_text="Invoices billing the old hours: the client's next draft for that period adjusts them.")

    class Meta:
        model = TimesheetCorrection
        fields = ["uuid", "timesheet", "clock_in_before", "clock_out_before", "break_minutes_before", "hours_before",
                  "clock_in_after", "clock_out_after", "break_minutes_after", "hours_after", "reason", "corrected_at",
                  "corrected_by", "billed_on"]

    def get_billed_on(self, correction) -> list[str]:
        return [str(invoice.uuid) for invoice in getattr(correction, "billed_on", [])]


class TimesheetCorrectView(CooperativeAPIView):
    """Correct an approved timesheet's times, with the reason (staff only). The hours ledger
    is reversed and posted again at once; the next pay run settles the pay."""

    required_permission = "placements.manage"

    @extend_schema(request=TimesheetCorrectSerializer, responses={201: TimesheetCorrectionSerializer})
    def post(self, request, coop_slug, timesheet_uuid):
        timesheet = get_object_or_404(Timesheet, uuid=timesheet_uuid)
        data = TimesheetCorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = timesheet_correct(timesheet=timesheet, corrected_by=request.user, **data.validated_data)
        return Response(TimesheetCorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)
