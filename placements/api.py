"""API of placements, mounted under /api/v1/c/<coop_slug>/placements/ (see alliedup/api/urls.py).

Thin views: parse with placements.serializers, fetch objects named in the URL through the
scoped managers (another co-op's object is a 404), call one service or selector. Staff
routes need "placements.view" to read and "placements.manage" to write; the worker's own
routes (/me/…) "placements.work"; timesheet decisions "placements.approve_timesheets", where
a client contact sees and decides only their own clients' timesheets.
"""

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from alliedup.permissions import can
from members.selectors import classification_by_code, worker_by_uuid, worker_for_user
from placements import api_applicants, api_shift_import, selectors
from placements import api_calendar, api_clients, api_corrections, api_invoices, api_shift_changes
from placements.models import Assignment, BillRate, Client, ClientContract, ClientSite, JobOrder, Shift, Timesheet
from placements.serializers import (
    ApprovalSerializer,
    AssignmentSerializer,
    AssignSerializer,
    BillRateSerializer,
    BillRateSetSerializer,
    CancelSerializer,
    CandidatesSerializer,
    ClientDetailSerializer,
    ClientSerializer,
    ContractCreateSerializer,
    ContractSerializer,
    DisputeSerializer,
    JobOrderCreateSerializer,
    JobOrderSerializer,
    OpenShiftSerializer,
    ShiftFilterSerializer,
    ShiftSerializer,
    TimesheetFilterSerializer,
    TimesheetSerializer,
    TimesheetSubmitSerializer,
)
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import (
    assignment_cancel,
    assignment_confirm,
    shift_assign,
    shift_blocker,
    shift_match,
    shift_request,
)
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_dispute, timesheet_submit

if TYPE_CHECKING:
    from members.models import JobClassification, Worker

OPEN_SHIFTS_AHEAD = timedelta(days=14)


def _classification(cooperative, code: str) -> "JobClassification":
    found = classification_by_code(cooperative, code)
    if found is None:
        raise ValidationError({"classification": [f"No classification {code!r} in this cooperative."]})
    return found


def _shifts(cooperative):
    """Shifts with what ShiftSerializer shows, in a fixed number of queries."""
    active = Assignment.objects.filter(status__in=Assignment.ACTIVE).select_related("worker")
    return (
        Shift.objects.filter(cooperative=cooperative)
        .select_related("job_order__contract__client", "job_order__site", "classification")
        .prefetch_related(Prefetch("assignments", queryset=active, to_attr="active_assignments"))
    )


# --- clients, contracts, bill rates -------------------------------------------------------


class ClientListView(CooperativeListAPIView):
    """The co-op's client facilities; POST adds one."""

    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}
    serializer_class = ClientSerializer

    def get_queryset(self):
        return Client.objects.filter(cooperative=self.cooperative)

    @extend_schema(request=ClientSerializer, responses={201: ClientDetailSerializer})
    def post(self, request, coop_slug):
        data = ClientSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        client = client_create(cooperative=self.cooperative, name=fields.pop("name"), created_by=request.user, **fields)
        return Response(ClientDetailSerializer(client).data, status=status.HTTP_201_CREATED)


def _client_detail(client_uuid) -> Client:
    rates = BillRate.objects.select_related("classification")
    return get_object_or_404(
        Client.objects.prefetch_related("sites", Prefetch("contracts__bill_rates", queryset=rates)), uuid=client_uuid
    )


class ClientDetailView(CooperativeAPIView):
    """A client with its sites, and its contracts with their bill rates."""

    required_permission = "placements.view"

    @extend_schema(responses=ClientDetailSerializer)
    def get(self, request, coop_slug, client_uuid):
        return Response(ClientDetailSerializer(_client_detail(client_uuid)).data)


class ClientContractsView(CooperativeAPIView):
    """A client's contracts; POST adds one (bill rates are set on the contract after)."""

    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}

    @extend_schema(responses=ContractSerializer(many=True))
    def get(self, request, coop_slug, client_uuid):
        return Response(ContractSerializer(_client_detail(client_uuid).contracts.all(), many=True).data)

    @extend_schema(request=ContractCreateSerializer, responses={201: ContractSerializer})
    def post(self, request, coop_slug, client_uuid):
        client = get_object_or_404(Client, uuid=client_uuid)
        data = ContractCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contract_create(client=client, created_by=request.user, **data.validated_data)
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)


class ContractBillRatesView(CooperativeAPIView):
    """A contract's effective-dated bill rates; POST sets the rate of a classification from a
    date (the same classification and date again replaces that rate)."""

    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}

    @extend_schema(responses=BillRateSerializer(many=True))
    def get(self, request, coop_slug, contract_uuid):
        contract = get_object_or_404(ClientContract, uuid=contract_uuid)
        return Response(BillRateSerializer(contract.bill_rates.select_related("classification"), many=True).data)

    @extend_schema(request=BillRateSetSerializer, responses={201: BillRateSerializer})
    def post(self, request, coop_slug, contract_uuid):
        contract = get_object_or_404(ClientContract, uuid=contract_uuid)
        data = BillRateSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        rate = bill_rate_set(
            contract=contract, classification=_classification(self.cooperative, d.pop("classification")), set_by=request.user, **d
        )
        return Response(BillRateSerializer(rate).data, status=status.HTTP_201_CREATED)


# --- job orders and shifts ----------------------------------------------------------------


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
        classification = _classification(self.cooperative, d.pop("classification"))
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


# --- the worker's own routes ----------------------------------------------------------------


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
        return Response(TimesheetSerializer(_timesheets(self.cooperative).get(pk=timesheet.pk)).data, status=status.HTTP_201_CREATED)


# --- timesheet decisions ------------------------------------------------------------------


def _timesheets(cooperative):
    return Timesheet.objects.filter(cooperative=cooperative).select_related(
        "assignment__worker", "assignment__shift__classification", "assignment__shift__job_order__contract__client"
    )


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
        qs = _timesheets(self.cooperative)
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
        timesheet = _timesheets(self.cooperative).get(pk=timesheet.pk)
        return Response(ApprovalSerializer({"timesheet": timesheet, "hours_entry": entry}).data)


class TimesheetDisputeView(TimesheetDecisionMixin, CooperativeAPIView):
    """Dispute with a reason: the worker corrects and resubmits."""

    @extend_schema(request=DisputeSerializer, responses=TimesheetSerializer)
    def post(self, request, coop_slug, timesheet_uuid):
        timesheet, on_behalf = self._decidable(timesheet_uuid)
        data = DisputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        timesheet_dispute(timesheet=timesheet, reason=data.validated_data["reason"], disputed_by=request.user, on_behalf_of_client=on_behalf)
        return Response(TimesheetSerializer(_timesheets(self.cooperative).get(pk=timesheet.pk)).data)


app_name = "placements_api"
urlpatterns = [
    path("clients/", ClientListView.as_view(), name="clients"),
    path("clients/<uuid:client_uuid>/", ClientDetailView.as_view(), name="client_detail"),
    path("clients/<uuid:client_uuid>/contracts/", ClientContractsView.as_view(), name="client_contracts"),
    path("contracts/<uuid:contract_uuid>/bill-rates/", ContractBillRatesView.as_view(), name="contract_bill_rates"),
    path("contracts/<uuid:contract_uuid>/shift-import/", api_shift_import.ContractShiftImportView.as_view(), name="contract_shift_import"),
    path("job-orders/", JobOrderListView.as_view(), name="job_orders"),
    path("shifts/", ShiftListView.as_view(), name="shifts"),
    path("shifts/<uuid:shift_uuid>/candidates/", ShiftCandidatesView.as_view(), name="shift_candidates"),
    path("shifts/<uuid:shift_uuid>/assign/", ShiftAssignView.as_view(), name="shift_assign"),
    path("assignments/<uuid:assignment_uuid>/cancel/", AssignmentCancelView.as_view(), name="assignment_cancel"),
    path("assignments/<uuid:assignment_uuid>/confirm/", AssignmentConfirmView.as_view(), name="assignment_confirm"),
    path("me/open-shifts/", MyOpenShiftsView.as_view(), name="my_open_shifts"),
    path("me/open-shifts/<uuid:shift_uuid>/request/", MyShiftRequestView.as_view(), name="my_shift_request"),
    path("me/assignments/<uuid:assignment_uuid>/timesheet/", MyTimesheetView.as_view(), name="my_timesheet"),
    path("timesheets/", TimesheetListView.as_view(), name="timesheets"),
    path("timesheets/<uuid:timesheet_uuid>/approve/", TimesheetApproveView.as_view(), name="timesheet_approve"),
    path("timesheets/<uuid:timesheet_uuid>/dispute/", TimesheetDisputeView.as_view(), name="timesheet_dispute"),
    path("timesheets/<uuid:timesheet_uuid>/correct/", api_corrections.TimesheetCorrectView.as_view(), name="timesheet_correct"),
    # applicants from the public job board (placements/api_applicants.py)
    path("applicants/", api_applicants.ApplicantListView.as_view(), name="applicants"),
    path("applicants/<uuid:applicant_uuid>/", api_applicants.ApplicantDetailView.as_view(), name="applicant_detail"),
    path("applicants/<uuid:applicant_uuid>/resume/", api_applicants.ApplicantResumeView.as_view(), name="applicant_resume"),
    path("applicants/<uuid:applicant_uuid>/hire/", api_applicants.ApplicantHireView.as_view(), name="applicant_hire"),
    path("applicants/<uuid:applicant_uuid>/decline/", api_applicants.ApplicantDeclineView.as_view(), name="applicant_decline"),
]

# client invoices: their routes live with their views (placements/api_invoices.py)
urlpatterns += api_invoices.urlpatterns
# a client's sites and contacts (placements/api_clients.py)
urlpatterns += api_clients.urlpatterns
# the worker's private calendar link (placements/api_calendar.py)
urlpatterns += api_calendar.urlpatterns
# workers' drop and swap requests and the coordinator's decisions (placements/api_shift_changes.py)
urlpatterns += api_shift_changes.urlpatterns
