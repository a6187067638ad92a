"""API of patronage, mounted under /api/v1/c/<coop_slug>/payroll/patronage/ by payroll/api.py.

Thin views: parse with payroll.patronage.serializers, fetch objects named in the URL through
the scoped managers (another co-op's object is a 404), call one service or selector. Staff
routes need "patronage.view" to read (the board included) and "patronage.manage" to write;
the worker's own routes (/me/…) "patronage.view_own" and show only their own account and
notices of issued allocations.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members.models import Worker
from members.selectors import worker_for_user
from payroll.patronage import documents, selectors, services
from payroll.patronage.models import FiscalYear, PatronageAllocation, PatronageAllocationLine
from payroll.patronage.serializers import (
    AllocationCashPaidSerializer,
    AllocationDetailSerializer,
    AllocationDraftSerializer,
    AllocationLineSerializer,
    AllocationSerializer,
    CapitalAccountSerializer,
    CapitalEntrySerializer,
    CapitalRedeemSerializer,
    FiscalYearSerializer,
    IssueProgressSerializer,
    PatrRowSerializer,
)
from payroll.patronage.views import issuing, lines_to_post, patr_tax_year
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
    return IssueProgressSerializer({"status": allocation.status, "issuing": issuing(allocation),
                               "posted": selectors.lines_posted(allocation), "to_post": lines_to_post(allocation)}).data


def _pdf(line: PatronageAllocationLine) -> HttpResponse:
    try:
        content = documents.notice_pdf(line)
    except documents.NoticeNotIssued:
        raise NotFound("The notice exists once the allocation is issued.") from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.notice_filename(line)}"'
    return response


def _capital_account(worker, notice_url) -> dict:
    account = selectors.capital_account(worker)
    latest = selectors.latest_issued_line(worker)
    if latest is not None:
        latest.pdf = notice_url(latest)
    return CapitalAccountSerializer({"equity_paid": account.equity_paid, "equity_redeemed": account.equity_redeemed,
                                     "retained_balance": account.retained_balance, "balance": account.balance,
                                     "entries": account.entries, "latest_notice": latest}).data


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
        year = services.fiscal_year_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
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
        allocation = services.allocation_draft(fiscal_year=year, drafted_by=request.user, **d)
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
        services.allocation_approve(allocation=_allocation(allocation_uuid), approved_by=request.user)
        return Response(_detail(_allocation(allocation_uuid)))


class AllocationIssueView(CooperativeAPIView):
    """Queue the issue of an approved allocation (a task posts each line's retained part to
    the capital accounts); follow it with /progress/."""

    required_permission = "patronage.manage"

    @extend_schema(request=None, responses={202: IssueProgressSerializer})
    def post(self, request, coop_slug, allocation_uuid):
        services.allocation_issue_request(allocation=_allocation(allocation_uuid), requested_by=request.user)
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
        services.allocation_cash_paid(allocation=allocation, paid_on=data.validated_data["paid_on"], recorded_by=request.user)
        return Response(_detail(_allocation(allocation_uuid)))


class AllocationPatrView(CooperativeAPIView):
    """Form 1099-PATR data: one row per member allocated $10.00 or more (issued allocations)."""

    required_permission = "patronage.view"

    @extend_schema(responses=PatrRowSerializer(many=True))
    def get(self, request, coop_slug, allocation_uuid):
        allocation = _allocation(allocation_uuid)
        if allocation.status not in documents.ISSUED:
            raise ValidationError({"non_field_errors": ["The 1099-PATR data exists once the allocation is issued."]})
        year = patr_tax_year(allocation)
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
        return _pdf(get_object_or_404(PatronageAllocationLine, allocation__uuid=allocation_uuid, worker__uuid=worker_uuid))


# --- capital accounts ----------------------------------------------------------------------


class WorkerCapitalAccountView(CooperativeAPIView):
    """A worker's capital account; POST records a redemption of retained patronage."""

    required_permissions = {"GET": "patronage.view", "POST": "patronage.manage"}

    def _notice_url(self, worker):
        return lambda line: reverse("payroll_api:patronage_api:notice", kwargs={
            "coop_slug": self.cooperative.slug, "allocation_uuid": line.allocation.uuid, "worker_uuid": worker.uuid})

    @extend_schema(responses=CapitalAccountSerializer)
    def get(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        return Response(_capital_account(worker, self._notice_url(worker)))

    @extend_schema(request=CapitalRedeemSerializer, responses={201: CapitalEntrySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker.objects.select_related("cooperative"), uuid=worker_uuid)
        data = CapitalRedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.capital_redeem(worker=worker, recorded_by=request.user, **data.validated_data)
        return Response(CapitalEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _me(view) -> Worker:
    worker = worker_for_user(view.cooperative, view.request.user)
    if worker is None:
        raise NotFound("No employee record is linked to your account.")
    return worker


class MyCapitalAccountView(CooperativeAPIView):
    """My capital account: equity paid in, retained patronage entries, balance, and my
    latest notice of allocation."""

    required_permission = "patronage.view_own"

    @extend_schema(responses=CapitalAccountSerializer)
    def get(self, request, coop_slug):
        return Response(_capital_account(_me(self), lambda line: reverse("payroll_api:patronage_api:my_notice", kwargs={
            "coop_slug": self.cooperative.slug, "allocation_uuid": line.allocation.uuid})))


class MyNoticeView(CooperativeAPIView):
    """My notice of allocation for that allocation; anyone else's is a 404."""

    required_permission = "patronage.view_own"

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, allocation_uuid):
        return _pdf(get_object_or_404(PatronageAllocationLine, allocation__uuid=allocation_uuid, worker=_me(self),
                                      allocation__status__in=documents.ISSUED))


app_name = "patronage_api"
urlpatterns = [
    path("fiscal-years/", FiscalYearListView.as_view(), name="fiscal_years"),
    path("allocations/", AllocationListView.as_view(), name="allocations"),
    path("allocations/<uuid:allocation_uuid>/", AllocationDetailView.as_view(), name="allocation_detail"),
    path("allocations/<uuid:allocation_uuid>/lines/", AllocationLinesView.as_view(), name="allocation_lines"),
    path("allocations/<uuid:allocation_uuid>/approve/", AllocationApproveView.as_view(), name="allocation_approve"),
    path("allocations/<uuid:allocation_uuid>/issue/", AllocationIssueView.as_view(), name="allocation_issue"),
    path("allocations/<uuid:allocation_uuid>/progress/", AllocationProgressView.as_view(), name="allocation_progress"),
    path("allocations/<uuid:allocation_uuid>/cash-paid/", AllocationCashPaidView.as_view(), name="allocation_cash_paid"),
    path("allocations/<uuid:allocation_uuid>/1099-patr/", AllocationPatrView.as_view(), name="allocation_patr"),
    path("allocations/<uuid:allocation_uuid>/notices/<uuid:worker_uuid>/pdf/", AllocationNoticeView.as_view(), name="notice"),
    path("workers/<uuid:worker_uuid>/capital-account/", WorkerCapitalAccountView.as_view(), name="worker_capital_account"),
    path("me/capital-account/", MyCapitalAccountView.as_view(), name="my_capital_account"),
    path("me/notices/<uuid:allocation_uuid>/pdf/", MyNoticeView.as_view(), name="my_notice"),
]
