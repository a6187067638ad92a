"""API of pay periods and runs (calculate, approve, adjust, export, the processor's results) and pay
statements."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from payroll import selectors
from payroll.api.base import CSV_PARSERS, CSV_REQUEST, CSV_RESPONSE, PDF_RESPONSE, SQL_ZERO, file_errors, worker_or_400
from payroll.documents import statement_filename, statement_pdf
from payroll.models import PayLine, PayRun, PayStatement
from payroll.serializers import (
    AdjustmentAddSerializer, AdjustmentSerializer, CsvUploadSerializer, NegativePayRefusedSerializer,
    PeriodCreateSerializer, ResultsImportSerializer, RunApproveSerializer, RunDetailSerializer, RunSerializer,
    StatementDetailSerializer, StatementSerializer,
)
from payroll.services.periods import pay_period_create
from payroll.services.processor import payrun_export, payrun_import_results
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_approve import NegativePayRefused, payrun_approve
from payroll.services.runs_calculate import payrun_calculate_or_queue


def _runs(cooperative):
    """Runs with their period and totals, in one query whatever their number."""
    return (
        PayRun.objects.filter(cooperative=cooperative).select_related("period")
        .annotate(
            total_workers=Count("statements"),
            total_hours=Coalesce(Sum("statements__hours_worked"), SQL_ZERO),
            total_gross=Coalesce(Sum("statements__gross"), SQL_ZERO),
            total_deductions=Coalesce(Sum("statements__deductions"), SQL_ZERO),
        )
        .order_by("-period__starts_on")
    )


def statements_qs(cooperative):
    return PayStatement.objects.filter(cooperative=cooperative).select_related("worker", "run__period")


def _run_detail(cooperative, run_uuid) -> PayRun:
    run = get_object_or_404(_runs(cooperative), uuid=run_uuid)
    run.statement_rows = statements_qs(cooperative).filter(run=run)
    run.exceptions = selectors.run_exceptions(run)
    return run


def statement_detail(statement: PayStatement) -> PayStatement:
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
        worker = worker_or_400(self.cooperative, d.pop("worker"))
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
            raise file_errors(exc) from None
        return Response(ResultsImportSerializer({"statements": count, "run": _runs(self.cooperative).get(pk=run.pk)}).data)


class RunStatementsView(CooperativeListAPIView):
    """The run's pay statements, by worker name."""

    required_permission = "payroll.view"
    serializer_class = StatementSerializer

    def get_queryset(self):
        run = get_object_or_404(PayRun, uuid=self.kwargs["run_uuid"])
        return statements_qs(self.cooperative).filter(run=run).order_by("worker__last_name", "worker__first_name", "id")


class StatementDetailView(CooperativeAPIView):
    """A statement with its lines (corrections name the run they correct), a summary by
    rate and the co-op's deductions."""

    required_permission = "payroll.view"

    @extend_schema(responses=StatementDetailSerializer)
    def get(self, request, coop_slug, statement_uuid):
        statement = get_object_or_404(statements_qs(self.cooperative), uuid=statement_uuid)
        return Response(StatementDetailSerializer(statement_detail(statement)).data)


def pdf_response(statement: PayStatement) -> HttpResponse:
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{statement_filename(statement)}"'
    return response


class StatementPdfView(CooperativeAPIView):
    """The statement as PDF, with what a California wage statement must show."""

    required_permission = "payroll.view"

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, statement_uuid):
        return pdf_response(get_object_or_404(statements_qs(self.cooperative), uuid=statement_uuid))


