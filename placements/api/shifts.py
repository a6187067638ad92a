"""API of job orders, shifts, the candidates for a shift and its assignments (staff: read with
"placements.view", assign, cancel and confirm with "placements.manage")."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members.selectors import worker_by_uuid
from placements.api.base import classification_or_400
from placements.models import Assignment, ClientContract, ClientSite, JobOrder, Shift
from placements.serializers import (
    AssignmentSerializer,
    AssignSerializer,
    CancelSerializer,
    CandidatesSerializer,
    JobOrderCreateSerializer,
    JobOrderSerializer,
    ShiftFilterSerializer,
    ShiftSerializer,
)
from placements.services.matching import (
    assignment_cancel,
    assignment_confirm,
    shift_assign,
    shift_blocker,
    shift_match,
)
from placements.services.orders import job_order_create


def _shifts(cooperative):
    """Shifts with what ShiftSerializer shows, in a fixed number of queries."""
    active = Assignment.objects.filter(status__in=Assignment.ACTIVE).select_related("worker")
    return (
        Shift.objects.filter(cooperative=cooperative)
        .select_related("job_order__contract__client", "job_order__site", "classification")
        .prefetch_related(Prefetch("assignments", queryset=active, to_attr="active_assignments"))
    )


class JobOrderListView(CooperativeListAPIView):
    """Job orders, newest dates first; POST creates one and its shifts."""

    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}
    serializer_class = JobOrderSerializer

    def get_queryset(self):
        return (
            JobOrder.objects.filter(cooperative=self.cooperative)
            .select_related("contract__client", "site", "classification")
            .annotate(shift_count=Count("shifts"))
            .order_by("-starts_on", "-id")
        )

    @extend_schema(request=JobOrderCreateSerializer, responses={201: JobOrderSerializer})
    def post(self, request, coop_slug):
        data = JobOrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        contract = ClientContract.objects.filter(cooperative=self.cooperative, uuid=d.pop("contract")).select_related("client").first()
        if contract is None:
            raise ValidationError({"contract": ["No such contract in this cooperative."]})
        classification = classification_or_400(self.cooperative, d.pop("classification"))
        site = None
        if site_name := d.pop("site").strip():
            site = ClientSite.objects.filter(client=contract.client, name=site_name).first()
            if site is None:
                raise ValidationError({"site": [f"{contract.client} has no site {site_name!r}."]})
        order = job_order_create(contract=contract, classification=classification, site=site, created_by=request.user, **d)
        return Response(JobOrderSerializer(self.get_queryset().get(pk=order.pk)).data, status=status.HTTP_201_CREATED)


class ShiftListView(CooperativeListAPIView):
    """Shifts ordered by start, filtered by status, dates and classification."""

    required_permission = "placements.view"
    serializer_class = ShiftSerializer

    def get_queryset(self):
        filters = ShiftFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        zone = self.cooperative.zone
        qs = _shifts(self.cooperative)
        if "status" in f:
            qs = qs.filter(status=f["status"])
        if "classification" in f:
            qs = qs.filter(classification__code=f["classification"])
        if "from" in f:
            qs = qs.filter(starts_at__gte=datetime.combine(f["from"], time.min, tzinfo=zone))
        if "to" in f:
            qs = qs.filter(starts_at__lt=datetime.combine(f["to"] + timedelta(days=1), time.min, tzinfo=zone))
        return qs.order_by("starts_at", "id")

    @extend_schema(parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=Shift.Status.values),
        OpenApiParameter("from", OpenApiTypes.DATE, description="Shifts starting on or after this day (the co-op's zone)."),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Shifts starting on or before this day (the co-op's zone)."),
        OpenApiParameter("classification", OpenApiTypes.STR, description="Classification code, e.g. 'lvn'."),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ShiftCandidatesView(CooperativeAPIView):
    """Who may work the shift, ranked toward ownership, and why the others may not; the
    blocker says why nobody can (no bill rate on its date, or it is not open)."""

    required_permission = "placements.view"

    @extend_schema(responses=CandidatesSerializer, parameters=[
        OpenApiParameter("left_out_page", OpenApiTypes.INT, description="Page of `left_out` (20 a page; past the last: the last)."),
    ])
    def get(self, request, coop_slug, shift_uuid):
        shift = get_object_or_404(_shifts(self.cooperative), uuid=shift_uuid)
        try:
            page = max(1, int(request.query_params.get("left_out_page", 1)))
        except ValueError:
            raise ValidationError({"left_out_page": "A page number (1, 2, …)."}) from None
        match = shift_match(shift, left_out_page=page)
        return Response(CandidatesSerializer({
            "shift": shift, "blocker": shift_blocker(shift), "eligible": match.eligible, "ineligible": match.ineligible,
            "left_out": match.left_out,
        }).data)


class ShiftAssignView(CooperativeAPIView):
    """Assign a worker to the shift (confirmed at once); 400 with the reasons if they may not."""

    required_permission = "placements.manage"

    @extend_schema(request=AssignSerializer, responses={201: AssignmentSerializer})
    def post(self, request, coop_slug, shift_uuid):
        shift = get_object_or_404(Shift, uuid=shift_uuid)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        worker = worker_by_uuid(self.cooperative, data.validated_data["worker"])
        if worker is None:
            raise ValidationError({"worker": ["No such worker in this cooperative."]})
        assignment = shift_assign(shift=shift, worker=worker, assigned_by=request.user)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentCancelView(CooperativeAPIView):
    """Cancel an assignment (or record a no-show) with a reason; the shift opens again."""

    required_permission = "placements.manage"

    @extend_schema(request=CancelSerializer, responses=AssignmentSerializer)
    def post(self, request, coop_slug, assignment_uuid):
        assignment = get_object_or_404(Assignment, uuid=assignment_uuid)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = assignment_cancel(assignment=assignment, cancelled_by=request.user, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data)


class AssignmentConfirmView(CooperativeAPIView):
    """Confirm a shift a worker requested (or was offered)."""

    required_permission = "placements.manage"

    @extend_schema(request=None, responses=AssignmentSerializer)
    def post(self, request, coop_slug, assignment_uuid):
        assignment = get_object_or_404(Assignment, uuid=assignment_uuid)
        assignment = assignment_confirm(assignment=assignment, confirmed_by=request.user)
        return Response(AssignmentSerializer(assignment).data)
