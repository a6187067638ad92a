"""Staff pages of pay runs: the periods with their runs, opening the next period, and the
run screen (calculate → review exceptions → approve → export to the processor → import
its results), staff adjustments, statements and their PDFs.

Views parse, call one service or selector, and render; each page costs a fixed number of
queries whatever the number of workers. Objects come from the scoped managers, so another
co-op's run or statement is a 404.
"""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.money import ZERO, money_text
from alliedup.permissions import permission_required_in_coop
from payroll import documents, selectors
from payroll.forms import AdjustmentForm, PeriodForm, ResultsImportForm, RunApproveForm
from payroll.models import PayDeduction, PayPeriod, PayRun, PayStatement
from payroll.services import periods as period_services
from payroll.services import processor
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate_or_queue

PAGE_SIZE = 52


# Periods -------------------------------------------------------------------------------------


def periods_with_totals(cooperative):
    """Periods, newest first, each with its run and the run's totals annotated (one query
    for the page instead of run_totals per row)."""
    return (
        selectors.periods_with_runs(cooperative)
        .annotate(
            workers=Count("run__statements"), hours=Sum("run__statements__hours_worked"),
            gross=Sum("run__statements__gross"), deductions=Sum("run__statements__deductions"),
        )
    )


def _runs_page(request, form, status=200):
    coop = request.cooperative
    page = Paginator(periods_with_totals(coop), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "periods": page.object_list, "form": form, "first_period": not PayPeriod.objects.exists()}
    return render(request, "payroll/staff/runs.html", context, status=status)


@require_GET
@permission_required_in_coop("payroll.view")
def runs(request, coop_slug):
    return _runs_page(request, PeriodForm(initial={"starts_on": None}))


@require_POST
@permission_required_in_coop("payroll.manage")
def period_create(request, coop_slug):
    form = PeriodForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            period = period_services.pay_period_create(cooperative=request.cooperative, created_by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Pay period {period} opened; its run is a draft until you calculate it.")
            return redirect("payroll:run_detail", coop_slug=coop_slug, run_uuid=period.run.uuid)
    return _runs_page(request, form, status=400)


# The run screen ---------------------------------------------------------------------------


def _run(run_uuid) -> PayRun:
    runs = PayRun.objects.select_related("period", "cooperative", "calculated_by", "approved_by", "negative_override_by")
    return get_object_or_404(runs, uuid=run_uuid)


def _sum(values):
    values = list(values)
    return sum(values, ZERO) if values and None not in values else None


def _run_page(request, run, *, status=200, adjustment_form=None, results_form=None, calculate_errors=None, approve_form=None):
    statements = list(run.statements.select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id"))
    totals = selectors.run_totals(run)
    totals["taxes"] = _sum(s.taxes for s in statements)
    totals["net"] = _sum(s.net for s in statements)
    context = {
        "run": run,
        "period": run.period,
        "statements": statements,
        "totals": totals,
        "exceptions": selectors.run_exceptions(run),
        "calculate_errors": calculate_errors or run.calculation_error.splitlines(),
        "adjustments": run.lines.filter(is_manual=True).select_related("worker", "corrects_run__period", "created_by"),
        "adjustment_form": adjustment_form or AdjustmentForm(run=run),
        "results_form": results_form or ResultsImportForm(),
        "approve_form": approve_form or RunApproveForm(),
        "negative_pay": selectors.negative_pay(run) if run.status == PayRun.Status.CALCULATED else [],
        "stale": selectors.run_is_stale(run),
    }
    return render(request, "payroll/staff/run_detail.html", context, status=status)


@require_GET
@permission_required_in_coop("payroll.view")
def run_detail(request, coop_slug, run_uuid):
    return _run_page(request, _run(run_uuid))


@require_POST
@permission_required_in_coop("payroll.manage")
def run_calculate(request, coop_slug, run_uuid):
    """Calculate (or recalculate) the run; a worked hour without a CBA wage refuses it and
    each such timesheet is listed on the run screen."""
    run = _run(run_uuid)
    try:
        queued = payrun_calculate_or_queue(run=run, calculated_by=request.user)
    except ValidationError as exc:
        return _run_page(request, _run(run_uuid), status=400, calculate_errors=exc.messages)
    if queued:
        messages.info(request, f"{run.reference} is being calculated in the background; this page refreshes until it is done.")
    else:
        messages.success(request, f"{run.reference} calculated. Review the exceptions, then approve.")
    return redirect("payroll:run_detail", coop_slug=coop_slug, run_uuid=run.uuid)


@require_POST
@permission_required_in_coop("payroll.manage")
def run_approve(request, coop_slug, run_uuid):
    """Approve (final) once the confirmation is ticked; a run that pays someone less than
    nothing also needs the override reason. A refusal shows the run screen again (400) with
    the reason next to the form, and writes nothing."""
    run = _run(run_uuid)
    form = RunApproveForm(request.POST)
    if form.is_valid():
        try:
            payrun_approve(run=run, approved_by=request.user,
                           negative_override_reason=form.cleaned_data["negative_override_reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{run.reference} approved: it is final. Export it to the payroll processor next.")
            return redirect("payroll:run_detail", coop_slug=coop_slug, run_uuid=run.uuid)
    messages.error(request, f"{run.reference} was not approved: " + " ".join(
        message for errors in form.errors.values() for message in errors))
    return _run_page(request, _run(run_uuid), status=400, approve_form=form)


@require_POST
@permission_required_in_coop("payroll.manage")
def run_export(request, coop_slug, run_uuid):
    """The processor file as a download; exporting marks an approved run exported."""
    run = _run(run_uuid)
    try:
        text = processor.payrun_export(run=run, exported_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payroll:run_detail", coop_slug=coop_slug, run_uuid=run.uuid)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pay-run-{run.reference}.csv"'
    return response


@require_POST
@permission_required_in_coop("payroll.manage")
def run_import_results(request, coop_slug, run_uuid):
    """The processor's taxes and net pay; any bad row refuses the file, each one listed."""
    run = _run(run_uuid)
    form = ResultsImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = processor.payrun_import_results(run=run, csv_text=form.cleaned_data["csv_text"], imported_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Taxes and net pay read for {count} statement{'' if count == 1 else 's'}.")
            return redirect("payroll:run_detail", coop_slug=coop_slug, run_uuid=run.uuid)
    return _run_page(request, run, status=400, results_form=form)


@require_POST
@permission_required_in_coop("payroll.manage")
def adjustment_add(request, coop_slug, run_uuid):
    run = _run(run_uuid)
    form = AdjustmentForm(request.POST, run=run)
    if form.is_valid():
        data = form.cleaned_data
        try:
            line = pay_adjustment_add(
                run=run, worker=data["worker"], amount=data["amount"], reason=data["reason"], hours=data["hours"] or ZERO,
                corrects_run=data["corrects_run"], added_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Adjustment of {money_text(line.amount)} for {line.worker} added. Calculate the run again to update its statements.")
            return redirect("payroll:run_detail", coop_slug=coop_slug, run_uuid=run.uuid)
    return _run_page(request, _run(run_uuid), status=400, adjustment_form=form)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required_in_coop("payroll.view")
def run_statements_pdf(request, coop_slug, run_uuid):
    run = _run(run_uuid)
    return _attachment(documents.run_statements_pdf(run), "application/pdf", documents.run_filename(run, "pdf"))


@require_GET
@permission_required_in_coop("payroll.view")
def run_statements_zip(request, coop_slug, run_uuid):
    run = _run(run_uuid)
    return _attachment(documents.run_statements_zip(run), "application/zip", documents.run_filename(run, "zip"))


# Statements -------------------------------------------------------------------------------


def _statement(statement_uuid) -> PayStatement:
    return get_object_or_404(PayStatement.objects.select_related("worker", "run__period"), uuid=statement_uuid)


@require_GET
@permission_required_in_coop("payroll.view")
def statement_detail(request, coop_slug, statement_uuid):
    statement = _statement(statement_uuid)
    lines = list(selectors.statement_lines(statement))
    context = {
        "statement": statement, "run": statement.run, "worker": statement.worker, "lines": lines,
        "rates": selectors.statement_rates(lines),
        "deductions": PayDeduction.objects.filter(run_id=statement.run_id, worker_id=statement.worker_id),
        "employee_id": selectors.employee_id(statement.worker),
    }
    return render(request, "payroll/staff/statement_detail.html", context)


def statement_pdf_response(statement: PayStatement) -> HttpResponse:
    return _attachment(documents.statement_pdf(statement), "application/pdf",
                       f"{statement.run.reference}-{documents.statement_filename(statement)}")


@require_GET
@permission_required_in_coop("payroll.view")
def statement_pdf(request, coop_slug, statement_uuid):
    return statement_pdf_response(_statement(statement_uuid))
