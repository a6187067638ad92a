"""API of patronage's allocations, mounted under /api/v1/c/<coop_slug>/payroll/patronage/
(patronage/api/urls.py, included by payroll/api/urls.py): fiscal years, the allocation from draft to
issued to cash paid, the 1099-PATR data and each member's notice of allocation.

Thin views: parse with patronage.serializers, fetch objects named in the URL through the
scoped managers (another co-op's object is a 404), call one service or selector. Staff routes
need "patronage.view" to read (the board included) and "patronage.manage" to write.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from patronage import documents, selectors
from patronage.models import FiscalYear, PatronageAllocation, PatronageAllocationLine
from patronage.serializers import (
    AllocationCashPaidSerializer,
    AllocationDetailSerializer,
    AllocationDraftSerializer,
    AllocationLineSerializer,
    AllocationSerializer,
    FiscalYearSerializer,
    IssueProgressSerializer,
    PatrRowSerializer,
)
from patronage.services import allocations
from payroll.selectors import employee_id

PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The written notice of allocation.")}


def _allocations():
    return PatronageAllocation.objects.select_related("fiscal_year", "cooperative")


def _allocation(allocation_uuid) -> PatronageAllocation:
    return get_object_or_404(_allocations(), uuid=allocation_uuid)


def _detail(allocation: PatronageAllocation) -> dict:
    allocation.totals = selectors.allocation_totals(allocation)
    allocation.cash_deadline = selectors.cash_deadline(allocation)
    allocation.cash_deadline_warning = selectors.cash_deadline_warning(allocation, allocation.cooperative.today())
    return AllocationDetailSerializer(allocation).data


def _progress(allocation: PatronageAllocation) -> dict:
    return IssueProgressSerializer({"status": allocation.status, "issuing": selectors.issuing(allocation),
                               "posted": selectors.lines_posted(allocation), "to_post": selectors.lines_to_post(allocation)}).data


def notice_response(line: PatronageAllocationLine) -> HttpResponse:
    try:
        content = documents.notice_pdf(line)
    except documents.NoticeNotIssued:
        raise NotFound("The notice exists once the allocation is issued.") from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.notice_filename(line)}"'
    return response


# --- fiscal years and allocations ----------------------------------------------------------


class FiscalYearListView(CooperativeListAPIView):
    """Fiscal years, newest first, each with its allocation if drafted; POST adds one."""

    required_permissions = {"GET": "patronage.view", "POST": "patronage.manage"}
    serializer_class = FiscalYearSerializer

    def get_queryset(self):
        return FiscalYear.objects.filter(cooperative=self.cooperative).select_related("allocation").order_by("-starts_on")

    @extend_schema(request=FiscalYearSerializer, responses={201: FiscalYearSerializer})
    def post(self, request, coop_slug):
        data = FiscalYearSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year = allocations.fiscal_year_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(FiscalYearSerializer(year).data, status=status.HTTP_201_CREATED)


class AllocationListView(CooperativeListAPIView):
    """Allocations, newest year first; POST computes (or recomputes) the draft of a year."""

    required_permissions = {"GET": "patronage.view", "POST": "patronage.manage"}
    serializer_class = AllocationSerializer

    def get_queryset(self):
        return _allocations().filter(cooperative=self.cooperative).order_by("-fiscal_year__starts_on")

    @extend_schema(request=AllocationDraftSerializer, responses={201: AllocationDetailSerializer})
    def post(self, request, coop_slug):
        data = AllocationDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        year = FiscalYear.objects.filter(cooperative=self.cooperative, uuid=d.pop("fiscal_year")).first()
        if year is None:
            raise ValidationError({"fiscal_year": ["No such fiscal year in this cooperative."]})
        allocation = allocations.allocation_draft(fiscal_year=year, drafted_by=request.user, **d)
        return Response(_detail(_allocation(allocation.uuid)), status=status.HTTP_201_CREATED)


class AllocationDetailView(CooperativeAPIView):
    """The allocation with its totals, cash deadline and the warning as it nears."""

    required_permission = "patronage.view"

    @extend_schema(responses=AllocationDetailSerializer)
    def get(self, request, coop_slug, allocation_uuid):
        return Response(_detail(_allocation(allocation_uuid)))


class AllocationLinesView(CooperativeListAPIView):
    """The members' lines, largest allocation first (paginated)."""

    required_permission = "patronage.view"
    serializer_class = AllocationLineSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return PatronageAllocationLine.objects.none()
        allocation = _allocation(self.kwargs["allocation_uuid"])
        return allocation.lines.select_related("worker").order_by("-allocated", "worker_id")


class AllocationApproveView(CooperativeAPIView):
    """Approve a draft: it is final and can no longer change. The call itself is the explicit
    confirmation (the page asks for a tick box instead)."""

    required_permission = "patronage.manage"

    @extend_schema(request=None, responses=AllocationDetailSerializer)
    def post(self, request, coop_slug, allocation_uuid):
        allocations.allocation_approve(allocation=_allocation(allocation_uuid), approved_by=request.user)
        return Response(_detail(_allocation(allocation_uuid)))


class AllocationIssueView(CooperativeAPIView):
    """Queue the issue of an approved allocation (a task posts each line's retained part to
    the capital accounts); follow it with /progress/."""

    required_permission = "patronage.manage"

    @extend_schema(request=None, responses={202: IssueProgressSerializer})
    def post(self, request, coop_slug, allocation_uuid):
        allocations.allocation_issue_request(allocation=_allocation(allocation_uuid), requested_by=request.user)
        return Response(_progress(_allocation(allocation_uuid)), status=status.HTTP_202_ACCEPTED)


class AllocationProgressView(CooperativeAPIView):
    required_permission = "patronage.view"

    @extend_schema(responses=IssueProgressSerializer)
    def get(self, request, coop_slug, allocation_uuid):
        return Response(_progress(_allocation(allocation_uuid)))


class AllocationCashPaidView(CooperativeAPIView):
    """Record that the cash part of an issued allocation was paid."""

    required_permission = "patronage.manage"

    @extend_schema(request=AllocationCashPaidSerializer, responses=AllocationDetailSerializer)
    def post(self, request, coop_slug, allocation_uuid):
        allocation = _allocation(allocation_uuid)
        data = AllocationCashPaidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocations.allocation_cash_paid(allocation=allocation, paid_on=data.validated_data["paid_on"], recorded_by=request.user)
        return Response(_detail(_allocation(allocation_uuid)))


class AllocationPatrView(CooperativeAPIView):
    """Form 1099-PATR data: one row per member allocated $10.00 or more (issued allocations)."""

    required_permission = "patronage.view"

    @extend_schema(responses=PatrRowSerializer(many=True))
    def get(self, request, coop_slug, allocation_uuid):
        allocation = _allocation(allocation_uuid)
        if allocation.status not in documents.ISSUED:
            raise ValidationError({"non_field_errors": ["The 1099-PATR data exists once the allocation is issued."]})
        year = selectors.patr_tax_year(allocation)
        rows = [
            {"tax_year": year, "employee_id": employee_id(line.worker), "worker": line.worker.uuid, "last_name": line.worker.last_name,
             "first_name": line.worker.first_name, "email": line.worker.email, "box1_patronage_dividends": line.allocated,
             "cash_paid": line.cash, "qualified_notice_retained": line.retained}
            for line in selectors.patr_rows(allocation)
        ]
        return Response(PatrRowSerializer(rows, many=True).data)


class AllocationNoticeView(CooperativeAPIView):
    """A member's written notice of allocation (issued allocations only; 404 otherwise)."""

    required_permission = "patronage.view"

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, allocation_uuid, worker_uuid):
        return notice_response(get_object_or_404(PatronageAllocationLine, allocation__uuid=allocation_uuid, worker__uuid=worker_uuid))
