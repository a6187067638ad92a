"""API of payroll, mounted under /api/v1/c/<coop_slug>/payroll/ (see alliedup/api/urls.py).

Thin views: parse with payroll.serializers, fetch objects named in the URL through the
scoped managers (another co-op's object is a 404), call one service or selector. Staff
routes need "payroll.view" to read and "payroll.manage" to write; the wage-floor report
"payroll.wage_floor"; the worker's own routes (/me/…) "payroll.view_own", and show only
statements of approved runs (a draft or calculated run may still change).

CSV imports (wage tables, the processor's results) take a multipart `file` or the text in
`csv`; they are all or nothing, and a 400 {"file": ["Line 3: …", …]} lists every bad line.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, DecimalField, Prefetch, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members.selectors import classification_by_code, worker_by_uuid
from payroll import api_sick_requests, selectors
from payroll.api_base import own_worker
from payroll.documents import statement_filename, statement_pdf
from payroll.models import (
    CollectiveAgreement, PayLine, PayRun, PayStatement, ShiftDifferential, SickLeaveEntry, WageStep, WageTable,
)
from payroll.serializers import (
    AdjustmentAddSerializer,
    AdjustmentSerializer,
    CollectiveAgreementDetailSerializer,
    CollectiveAgreementSerializer,
    CsvUploadSerializer,
    DifferentialAddSerializer,
    DifferentialSerializer,
    HolidayDaySerializer,
    HolidaySerializer,
    HolidayYearQuerySerializer,
    MyWageSerializer,
    NegativePayRefusedSerializer,
    PeriodCreateSerializer,
    ResultsImportSerializer,
    RunApproveSerializer,
    RunDetailSerializer,
    RunSerializer,
    SickLeaveSerializer,
    SickLeaveUseSerializer,
    StatementDetailSerializer,
    StatementSerializer,
    StandardHolidaysSerializer,
    WageFloorQuerySerializer,
    WageFloorSerializer,
    WageTableCloseSerializer,
    WageTableImportResultSerializer,
    WageTableImportSerializer,
    WageTableSerializer,
    WageTableSetSerializer,
)
from payroll.services.holidays import holiday_add, holiday_remove, holidays_add_standard
from payroll.services.periods import pay_period_create
from payroll.services.processor import payrun_export, payrun_import_results
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_approve import NegativePayRefused, payrun_approve
from payroll.services.runs_calculate import payrun_calculate_or_queue
from payroll.services.sick_leave import sick_leave_use
from payroll.services.wages import agreement_create, differential_add, wage_table_close, wage_table_set, wage_tables_import
from placements.selectors import client_uuids
from worktime.selectors import holidays_in_year

if TYPE_CHECKING:
    from members.models import JobClassification, Worker

ZERO = Value(selectors.ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))
CSV_PARSERS = [MultiPartParser, FormParser, JSONParser]
CSV_RESPONSE = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The processor file, UTF-8 CSV.")}
PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The pay statement as PDF.")}
CSV_REQUEST = {"multipart/form-data": CsvUploadSerializer, "application/json": CsvUploadSerializer}


def _classification(cooperative, code: str) -> "JobClassification":
    found = classification_by_code(cooperative, code)
    if found is None:
        raise ValidationError({"classification": [f"No classification {code!r} in this cooperative."]})
    return found


def _worker(cooperative, worker_uuid) -> "Worker":
    found = worker_by_uuid(cooperative, worker_uuid)
    if found is None:
        raise ValidationError({"worker": ["No such worker in this cooperative."]})
    return found


def _worker_or_404(cooperative, worker_uuid) -> "Worker":
    """The co-op's worker named in the URL, or a 404."""
    found = worker_by_uuid(cooperative, worker_uuid)
    if found is None:
        raise Http404("No such worker in this cooperative.")
    return found


def _file_errors(exc: DjangoValidationError) -> DjangoValidationError:
    """An import's line-by-line errors under `file`, as the shift import reports them."""
    return exc if hasattr(exc, "error_dict") else DjangoValidationError({"file": exc.messages})


# --- collective agreements, wage tables, differentials -------------------------------------


def _agreement_detail(agreement_uuid) -> CollectiveAgreement:
    tables = WageTable.objects.select_related("classification").prefetch_related(
        Prefetch("steps", queryset=WageStep.objects.order_by("step"))
    ).order_by("classification__code", "-effective_from")
    return get_object_or_404(
        CollectiveAgreement.objects.prefetch_related(
            Prefetch("wage_tables", queryset=tables), Prefetch("differentials", queryset=_differentials())
        ),
        uuid=agreement_uuid,
    )


def _differentials():
    return ShiftDifferential.objects.select_related("classification").order_by("kind", "id")


def _tables(agreement):
    return (
        agreement.wage_tables.select_related("classification")
        .prefetch_related(Prefetch("steps", queryset=WageStep.objects.order_by("step")))
        .order_by("classification__code", "-effective_from")
    )


class AgreementListView(CooperativeListAPIView):
    """The co-op's collective agreements, newest term first; POST adds one."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}
    serializer_class = CollectiveAgreementSerializer

    def get_queryset(self):
        return CollectiveAgreement.objects.filter(cooperative=self.cooperative).order_by("-starts_on", "-id")

    @extend_schema(request=CollectiveAgreementSerializer, responses={201: CollectiveAgreementDetailSerializer})
    def post(self, request, coop_slug):
        data = CollectiveAgreementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = agreement_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(CollectiveAgreementDetailSerializer(_agreement_detail(agreement.uuid)).data, status=status.HTTP_201_CREATED)


class AgreementDetailView(CooperativeAPIView):
    """An agreement with its wage tables (each with its steps) and shift differentials."""

    required_permission = "payroll.view"

    @extend_schema(responses=CollectiveAgreementDetailSerializer)
    def get(self, request, coop_slug, agreement_uuid):
        return Response(CollectiveAgreementDetailSerializer(_agreement_detail(agreement_uuid)).data)


class AgreementWageTablesView(CooperativeAPIView):
    """An agreement's wage tables; POST adds one classification's wages from a date, steps
    as {"1": "33.00", …}. Dates overlapping another table of the classification are a 400:
    close that table first."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    @extend_schema(responses=WageTableSerializer(many=True))
    def get(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        return Response(WageTableSerializer(_tables(agreement), many=True).data)

    @extend_schema(request=WageTableSetSerializer, responses={201: WageTableSerializer})
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = WageTableSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        table = wage_table_set(
            agreement=agreement, classification=_classification(self.cooperative, d.pop("classification")), set_by=request.user, **d
        )
        return Response(WageTableSerializer(_tables(agreement).get(pk=table.pk)).data, status=status.HTTP_201_CREATED)


class AgreementWageTableCloseView(CooperativeAPIView):
    """Give an agreement's table (named by classification and first day) a last day, so a
    new scale can start the day after."""

    required_permission = "payroll.manage"

    @extend_schema(request=WageTableCloseSerializer, responses=WageTableSerializer)
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = WageTableCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        table = _tables(agreement).filter(classification__code=d["classification"], effective_from=d["effective_from"]).first()
        if table is None:
            raise ValidationError({"effective_from": [f"This agreement has no {d['classification']} table from {d['effective_from']}."]})
        wage_table_close(table=table, effective_to=d["effective_to"], closed_by=request.user)
        return Response(WageTableSerializer(_tables(agreement).get(pk=table.pk)).data)


class AgreementWageTablesImportView(CooperativeAPIView):
    """Import wage tables from CSV (classification,effective_from,effective_to,step,hourly_rate;
    one row per step). All or nothing: a 400 lists each bad line."""

    required_permission = "payroll.manage"
    parser_classes = CSV_PARSERS

    @extend_schema(
        request={"multipart/form-data": WageTableImportSerializer, "application/json": WageTableImportSerializer},
        responses={201: WageTableImportResultSerializer},
    )
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = WageTableImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            tables = wage_tables_import(agreement=agreement, csv_text=data.validated_data["text"],
                                        note=data.validated_data["note"], imported_by=request.user)
        except DjangoValidationError as exc:
            raise _file_errors(exc) from None
        created = _tables(agreement).filter(pk__in=[t.pk for t in tables])
        return Response(WageTableImportResultSerializer({"tables": created}).data, status=status.HTTP_201_CREATED)


class AgreementDifferentialsView(CooperativeAPIView):
    """An agreement's shift differentials; POST adds one (a night differential needs its window)."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    @extend_schema(responses=DifferentialSerializer(many=True))
    def get(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        return Response(DifferentialSerializer(_differentials().filter(agreement=agreement), many=True).data)

    @extend_schema(request=DifferentialAddSerializer, responses={201: DifferentialSerializer})
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = DifferentialAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        code = d.pop("classification")
        classification = _classification(self.cooperative, code) if code else None
        diff = differential_add(agreement=agreement, classification=classification, created_by=request.user, **d)
        return Response(DifferentialSerializer(diff).data, status=status.HTTP_201_CREATED)


# --- the holiday calendar ------------------------------------------------------------------


class HolidaysView(CooperativeAPIView):
    """The holiday calendar of a year (?year=, this year by default); POST adds a day. Hours
    on these workdays bill at each contract's holiday multiplier and are paid the
    agreement's holiday multiplier of the regular rate."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    @extend_schema(parameters=[HolidayYearQuerySerializer], responses=HolidaySerializer(many=True))
    def get(self, request, coop_slug):
        query = HolidayYearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or self.cooperative.today().year
        return Response(HolidaySerializer(holidays_in_year(self.cooperative, year), many=True).data)

    @extend_schema(request=HolidaySerializer, responses={201: HolidaySerializer})
    def post(self, request, coop_slug):
        data = HolidaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = holiday_add(cooperative=self.cooperative, added_by=request.user, **data.validated_data)
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)


class HolidaysStandardView(CooperativeAPIView):
    """Add the standard holidays of a year that the calendar does not hold yet; returns the added."""

    required_permissions = {"POST": "payroll.manage"}

    @extend_schema(request=StandardHolidaysSerializer, responses={201: HolidaySerializer(many=True)})
    def post(self, request, coop_slug):
        data = StandardHolidaysSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        added = holidays_add_standard(cooperative=self.cooperative, added_by=request.user, **data.validated_data)
        return Response(HolidaySerializer(added, many=True).data, status=status.HTTP_201_CREATED)


class HolidayRemoveView(CooperativeAPIView):
    """Remove a day from the calendar (refused for a day of an approved pay run)."""

    required_permissions = {"POST": "payroll.manage"}

    @extend_schema(request=HolidayDaySerializer, responses={204: None})
    def post(self, request, coop_slug):
        data = HolidayDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday_remove(cooperative=self.cooperative, removed_by=request.user, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- periods and runs ---------------------------------------------------------------------


def _runs(cooperative):
    """Runs with their period and totals, in one query whatever their number."""
    return (
        PayRun.objects.filter(cooperative=cooperative).select_related("period")
        .annotate(
            total_workers=Count("statements"),
            total_hours=Coalesce(Sum("statements__hours_worked"), ZERO),
            total_gross=Coalesce(Sum("statements__gross"), ZERO),
            total_deductions=Coalesce(Sum("statements__deductions"), ZERO),
        )
        .order_by("-period__starts_on")
    )


def _statements(cooperative):
    return PayStatement.objects.filter(cooperative=cooperative).select_related("worker", "run__period")


def _run_detail(cooperative, run_uuid) -> PayRun:
    run = get_object_or_404(_runs(cooperative), uuid=run_uuid)
    run.statement_rows = _statements(cooperative).filter(run=run)
    run.exceptions = selectors.run_exceptions(run)
    return run


def _statement_detail(statement: PayStatement) -> PayStatement:
    statement.line_rows = list(selectors.statement_lines(statement))
    statement.rates = selectors.statement_rates(statement.line_rows)
    statement.deduction_rows = statement.run.deductions.filter(worker_id=statement.worker_id).order_by("kind")
    return statement


class RunListView(CooperativeListAPIView):
    """Pay runs, newest period first, with their totals; POST opens the next pay period
    (or the first, from `starts_on`) with its draft run."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}
    serializer_class = RunSerializer

    def get_queryset(self):
        return _runs(self.cooperative)

    @extend_schema(request=PeriodCreateSerializer, responses={201: RunSerializer})
    def post(self, request, coop_slug):
        data = PeriodCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = pay_period_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(RunSerializer(_runs(self.cooperative).get(period=period)).data, status=status.HTTP_201_CREATED)


class RunDetailView(CooperativeAPIView):
    """A run with its statements and the exceptions to look at before approving."""

    required_permission = "payroll.view"

    @extend_schema(responses=RunDetailSerializer)
    def get(self, request, coop_slug, run_uuid):
        return Response(RunDetailSerializer(_run_detail(self.cooperative, run_uuid)).data)


class RunCalculateView(CooperativeAPIView):
    """(Re)calculate the run from approved timesheets; 400, nothing written, when an hour has
    no CBA wage or the run is approved."""

    required_permission = "payroll.manage"

    @extend_schema(request=None, responses={200: RunDetailSerializer, 202: RunDetailSerializer})
    def post(self, request, coop_slug, run_uuid):
        """200 with the calculated run; 202 when the run is big enough to be calculated by the
        worker (`calculating` is true until it is done; a refusal then shows in
        `calculation_error`)."""
        run = get_object_or_404(PayRun, uuid=run_uuid)
        queued = payrun_calculate_or_queue(run=run, calculated_by=request.user)
        return Response(RunDetailSerializer(_run_detail(self.cooperative, run_uuid)).data,
                        status=status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK)


class RunApproveView(CooperativeAPIView):
    """Approve a calculated run: it is final from then on (sick leave accrues, equity
    installments post); corrections go into the next run. The call itself is the explicit
    confirmation (the page asks for a tick box instead). A run in which a worker's gross or
    net is negative answers 400 listing them in `negative_pay`, unless
    `negative_override_reason` is given (recorded with the approver and audited)."""

    required_permission = "payroll.manage"

    @extend_schema(request=RunApproveSerializer,
                   responses={200: RunDetailSerializer, 400: OpenApiResponse(NegativePayRefusedSerializer)})
    def post(self, request, coop_slug, run_uuid):
        run = get_object_or_404(PayRun, uuid=run_uuid)
        data = RunApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payrun_approve(run=run, approved_by=request.user, **data.validated_data)
        except NegativePayRefused as exc:
            body = NegativePayRefusedSerializer({"negative_override_reason": exc.message_dict["negative_override_reason"],
                                                 "negative_pay": exc.statements}).data
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(RunDetailSerializer(_run_detail(self.cooperative, run_uuid)).data)


class RunAdjustmentsView(CooperativeAPIView):
    """The run's staff adjustments; POST adds one (the run goes back to draft: calculate it
    again)."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    def _adjustments(self, run):
        return (
            PayLine.objects.filter(run=run, kind=PayLine.Kind.ADJUSTMENT)
            .select_related("worker", "classification", "corrects_run__period").order_by("worker__last_name", "workday", "id")
        )

    @extend_schema(responses=AdjustmentSerializer(many=True))
    def get(self, request, coop_slug, run_uuid):
        run = get_object_or_404(PayRun, uuid=run_uuid)
        return Response(AdjustmentSerializer(self._adjustments(run), many=True).data)

    @extend_schema(request=AdjustmentAddSerializer, responses={201: AdjustmentSerializer})
    def post(self, request, coop_slug, run_uuid):
        run = get_object_or_404(PayRun, uuid=run_uuid)
        data = AdjustmentAddSerializer(data=request.data, context={"cooperative": self.cooperative})
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        worker = _worker(self.cooperative, d.pop("worker"))
        corrects_run = None
        if corrects := d.pop("corrects_run"):
            corrects_run = PayRun.objects.filter(cooperative=self.cooperative, uuid=corrects).first()
            if corrects_run is None:
                raise ValidationError({"corrects_run": ["No such pay run in this cooperative."]})
        line = pay_adjustment_add(run=run, worker=worker, corrects_run=corrects_run, added_by=request.user, **d)
        return Response(AdjustmentSerializer(self._adjustments(run).get(pk=line.pk)).data, status=status.HTTP_201_CREATED)


class RunExportView(CooperativeAPIView):
    """The processor file of an approved run (CSV): earnings per worker and code, then co-op
    deductions. The first export marks the run exported; exporting again gives the same file."""

    required_permission = "payroll.manage"

    @extend_schema(request=None, responses=CSV_RESPONSE)
    def post(self, request, coop_slug, run_uuid):
        run = get_object_or_404(PayRun.objects.select_related("period"), uuid=run_uuid)
        response = HttpResponse(payrun_export(run=run, exported_by=request.user), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{run.reference}.csv"'
        return response


class RunResultsImportView(CooperativeAPIView):
    """Read the processor's results (employee_id,taxes,net_pay) into the run's statements.
    All or nothing: a 400 lists each bad line."""

    required_permission = "payroll.manage"
    parser_classes = CSV_PARSERS

    @extend_schema(request=CSV_REQUEST, responses=ResultsImportSerializer)
    def post(self, request, coop_slug, run_uuid):
        run = get_object_or_404(PayRun, uuid=run_uuid)
        data = CsvUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            count = payrun_import_results(run=run, csv_text=data.validated_data["text"], imported_by=request.user)
        except DjangoValidationError as exc:
            raise _file_errors(exc) from None
        return Response(ResultsImportSerializer({"statements": count, "run": _runs(self.cooperative).get(pk=run.pk)}).data)


class RunStatementsView(CooperativeListAPIView):
    """The run's pay statements, by worker name."""

    required_permission = "payroll.view"
    serializer_class = StatementSerializer

    def get_queryset(self):
        run = get_object_or_404(PayRun, uuid=self.kwargs["run_uuid"])
        return _statements(self.cooperative).filter(run=run).order_by("worker__last_name", "worker__first_name", "id")


class StatementDetailView(CooperativeAPIView):
    """A statement with its lines (corrections name the run they correct), a summary by
    rate and the co-op's deductions."""

    required_permission = "payroll.view"

    @extend_schema(responses=StatementDetailSerializer)
    def get(self, request, coop_slug, statement_uuid):
        statement = get_object_or_404(_statements(self.cooperative), uuid=statement_uuid)
        return Response(StatementDetailSerializer(_statement_detail(statement)).data)


def _pdf(statement: PayStatement) -> HttpResponse:
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{statement_filename(statement)}"'
    return response


class StatementPdfView(CooperativeAPIView):
    """The statement as PDF, with what a California wage statement must show."""

    required_permission = "payroll.view"

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, statement_uuid):
        return _pdf(get_object_or_404(_statements(self.cooperative), uuid=statement_uuid))


# --- wage floor -----------------------------------------------------------------------------


class WageFloorView(CooperativeAPIView):
    """Per client over approved runs' workdays in [start, end]: hours, billed, paid, margin,
    and what the co-op absorbed paying the CBA wage above the bill rate; plus the absorbed
    total of this calendar quarter. Default span: this quarter; at most 10 years."""

    required_permission = "payroll.wage_floor"

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First workday (default: this quarter's first day)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last workday (default: this quarter's last day)."),
        ],
        responses=WageFloorSerializer,
    )
    def get(self, request, coop_slug):
        quarter = selectors.quarter_of(self.cooperative.today())
        query = WageFloorQuerySerializer(data=request.query_params, context={"default_span": quarter})
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        rows = selectors.wage_floor_report(self.cooperative, start, end)
        uuids = client_uuids(self.cooperative, [r.client_id for r in rows])
        return Response(WageFloorSerializer({
            "start": start,
            "end": end,
            "rows": [{**vars(r), "client_uuid": uuids.get(r.client_id), "margin": r.margin} for r in rows],
            "absorbed_this_quarter": {
                "start": quarter[0], "end": quarter[1], "absorbed": selectors.absorbed_this_quarter(self.cooperative),
            },
        }).data)


# --- sick leave -----------------------------------------------------------------------------


def _sick_leave(worker: "Worker") -> dict:
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
        worker = _worker_or_404(self.cooperative, worker_uuid)
        return Response(SickLeaveSerializer(_sick_leave(worker)).data)

    @extend_schema(request=SickLeaveUseSerializer, responses={201: SickLeaveSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = _worker_or_404(self.cooperative, worker_uuid)
        data = SickLeaveUseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sick_leave_use(worker=worker, recorded_by=request.user, **data.validated_data)
        return Response(SickLeaveSerializer(_sick_leave(worker)).data, status=status.HTTP_201_CREATED)


# --- the worker's own routes ----------------------------------------------------------------


class MyPayrollMixin:
    required_permission = "payroll.view_own"

    def _worker(self, request) -> "Worker":
        return own_worker(self.cooperative, request.user)

    def _my_statements(self, request):
        """The worker's statements of approved runs only: a draft or calculated run may change."""
        return _statements(self.cooperative).filter(worker=self._worker(request), run__status__in=PayRun.FINAL)


class MyStatementsView(MyPayrollMixin, CooperativeListAPIView):
    """The signed-in worker's pay statements, newest first."""

    serializer_class = StatementSerializer

    def get_queryset(self):
        return self._my_statements(self.request).order_by("-run__period__starts_on")


class MyStatementDetailView(MyPayrollMixin, CooperativeAPIView):
    """One of the worker's own statements with its lines; anyone else's is a 404."""

    @extend_schema(responses=StatementDetailSerializer)
    def get(self, request, coop_slug, statement_uuid):
        statement = get_object_or_404(self._my_statements(request), uuid=statement_uuid)
        return Response(StatementDetailSerializer(_statement_detail(statement)).data)


class MyStatementPdfView(MyPayrollMixin, CooperativeAPIView):
    """One of the worker's own statements as PDF."""

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, statement_uuid):
        return _pdf(get_object_or_404(self._my_statements(request), uuid=statement_uuid))


class MySickLeaveView(MyPayrollMixin, CooperativeAPIView):
    """The worker's paid sick leave balance, hours used this year and ledger."""

    @extend_schema(responses=SickLeaveSerializer)
    def get(self, request, coop_slug):
        return Response(SickLeaveSerializer(_sick_leave(self._worker(request))).data)


class MyWageView(MyPayrollMixin, CooperativeAPIView):
    """The worker's classifications with their wage step and CBA wage today."""

    @extend_schema(responses=MyWageSerializer(many=True))
    def get(self, request, coop_slug):
        return Response(MyWageSerializer(selectors.worker_wage_now(self._worker(request)), many=True).data)


app_name = "payroll_api"
urlpatterns = [
    path("agreements/", AgreementListView.as_view(), name="agreements"),
    path("agreements/<uuid:agreement_uuid>/", AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<uuid:agreement_uuid>/wage-tables/", AgreementWageTablesView.as_view(), name="agreement_wage_tables"),
    path("agreements/<uuid:agreement_uuid>/wage-tables/close/", AgreementWageTableCloseView.as_view(),
         name="agreement_wage_table_close"),
    path("agreements/<uuid:agreement_uuid>/wage-tables/import/", AgreementWageTablesImportView.as_view(),
         name="agreement_wage_tables_import"),
    path("agreements/<uuid:agreement_uuid>/differentials/", AgreementDifferentialsView.as_view(), name="agreement_differentials"),
    path("holidays/", HolidaysView.as_view(), name="holidays"),
    path("holidays/standard/", HolidaysStandardView.as_view(), name="holidays_standard"),
    path("holidays/remove/", HolidayRemoveView.as_view(), name="holiday_remove"),
    path("runs/", RunListView.as_view(), name="runs"),
    path("runs/<uuid:run_uuid>/", RunDetailView.as_view(), name="run_detail"),
    path("runs/<uuid:run_uuid>/calculate/", RunCalculateView.as_view(), name="run_calculate"),
    path("runs/<uuid:run_uuid>/approve/", RunApproveView.as_view(), name="run_approve"),
    path("runs/<uuid:run_uuid>/adjustments/", RunAdjustmentsView.as_view(), name="run_adjustments"),
    path("runs/<uuid:run_uuid>/export/", RunExportView.as_view(), name="run_export"),
    path("runs/<uuid:run_uuid>/results/", RunResultsImportView.as_view(), name="run_results_import"),
    path("runs/<uuid:run_uuid>/statements/", RunStatementsView.as_view(), name="run_statements"),
    path("statements/<uuid:statement_uuid>/", StatementDetailView.as_view(), name="statement_detail"),
    path("statements/<uuid:statement_uuid>/pdf/", StatementPdfView.as_view(), name="statement_pdf"),
    path("wage-floor/", WageFloorView.as_view(), name="wage_floor"),
    path("workers/<uuid:worker_uuid>/sick-leave/", WorkerSickLeaveView.as_view(), name="worker_sick_leave"),
    path("me/statements/", MyStatementsView.as_view(), name="my_statements"),
    path("me/statements/<uuid:statement_uuid>/", MyStatementDetailView.as_view(), name="my_statement_detail"),
    path("me/statements/<uuid:statement_uuid>/pdf/", MyStatementPdfView.as_view(), name="my_statement_pdf"),
    path("me/sick-leave/", MySickLeaveView.as_view(), name="my_sick_leave"),
    path("me/sick-leave/requests/", api_sick_requests.MySickLeaveRequestsView.as_view(), name="my_sick_leave_requests"),
    path("me/sick-leave/requests/<uuid:sick_request_uuid>/withdraw/", api_sick_requests.MySickLeaveWithdrawView.as_view(),
         name="my_sick_leave_withdraw"),
    path("sick-leave/requests/", api_sick_requests.SickLeaveRequestsView.as_view(), name="sick_leave_requests"),
    path("sick-leave/requests/<uuid:sick_request_uuid>/approve/", api_sick_requests.SickLeaveApproveView.as_view(),
         name="sick_leave_request_approve"),
    path("sick-leave/requests/<uuid:sick_request_uuid>/decline/", api_sick_requests.SickLeaveDeclineView.as_view(),
         name="sick_leave_request_decline"),
    path("me/wage/", MyWageView.as_view(), name="my_wage"),
    # patronage is its own app above payroll; its API keeps this path and namespace.
    path("patronage/", include("patronage.api.urls")),
]
