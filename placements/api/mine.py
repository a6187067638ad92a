"""The worker's own routes (/me/…, "placements.work"): open shifts they may take, requesting
one, submitting the timesheet of an assignment."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members.selectors import worker_for_user
from placements import selectors
from placements.models import Assignment, Shift
from placements.serializers import (
    AssignmentSerializer,
    OpenShiftSerializer,
    TimesheetSerializer,
    TimesheetSubmitSerializer,
)
from placements.services.matching import shift_request
from placements.services.timesheets import timesheet_submit

if TYPE_CHECKING:
    from members.models import Worker
from placements.api.base import timesheets_qs

OPEN_SHIFTS_AHEAD = timedelta(days=14)


class MyPlacementsMixin:
    required_permission = "placements.work"

    def _worker(self, request) -> "Worker":
        worker = worker_for_user(self.cooperative, request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account here.")
        return worker


class MyOpenShiftsView(MyPlacementsMixin, CooperativeListAPIView):
    """Open shifts of the next 14 days in the worker's classifications, each with the
    reasons they may not take it (empty: they may request it)."""

    serializer_class = OpenShiftSerializer

    def get_queryset(self):
        now = timezone.now()
        shifts = []
        for shift, reasons in selectors.shifts_open_to(self._worker(self.request), now, now + OPEN_SHIFTS_AHEAD):
            shift.reasons, shift.may_request = reasons, not reasons
            shifts.append(shift)
        return shifts


class MyShiftRequestView(MyPlacementsMixin, CooperativeAPIView):
    """Request an open shift: it is held for the worker until staff confirm it."""

    @extend_schema(request=None, responses={201: AssignmentSerializer})
    def post(self, request, coop_slug, shift_uuid):
        worker = self._worker(request)
        shift = get_object_or_404(Shift, uuid=shift_uuid)
        assignment = shift_request(shift=shift, worker=worker, requested_by=request.user)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class MyTimesheetView(MyPlacementsMixin, CooperativeAPIView):
    """Submit (or, after a dispute, resubmit) the timesheet of one of the worker's own
    assignments; another worker's assignment is a 404."""

    @extend_schema(request=TimesheetSubmitSerializer, responses={201: TimesheetSerializer})
    def post(self, request, coop_slug, assignment_uuid):
        worker = self._worker(request)
        assignment = get_object_or_404(Assignment, uuid=assignment_uuid, worker=worker)
        data = TimesheetSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        timesheet = timesheet_submit(assignment=assignment, submitted_by=request.user, **data.validated_data)
        return Response(TimesheetSerializer(timesheets_qs(self.cooperative).get(pk=timesheet.pk)).data, status=status.HTTP_201_CREATED)
