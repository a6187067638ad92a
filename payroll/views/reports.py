"""Staff pages: the wage floor report (what each client billed against what the co-op paid
at the CBA wage, and the differential it absorbed) and recording paid sick leave used."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from alliedup.forms_util import add_service_errors
from alliedup.money import ZERO, csv_amount
from alliedup.permissions import permission_required_in_coop
from members.selectors import worker_by_uuid
from payroll import selectors
from payroll.forms import ReportPeriodForm, SickLeaveUseForm
from payroll.models import SickLeaveEntry
from payroll.services.sick_leave import sick_leave_use

FLOOR_COLUMNS = ["client", "hours", "billed", "paid", "margin", "absorbed"]


def _floor_period(request):
    """(form, first day, last day): the GET's dates when valid, this quarter when none are given."""
    first, last = selectors.quarter_of(request.cooperative.today())
    if not request.GET:
        return ReportPeriodForm(initial={"first_day": first, "last_day": last}), first, last
    form = ReportPeriodForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    return form, None, None


def _floor_totals(rows) -> dict:
    totals = {key: sum((getattr(r, key) for r in rows), ZERO) for key in ("hours", "billed", "paid", "absorbed")}
    totals["margin"] = totals["billed"] - totals["paid"]
    return totals


@require_GET
@permission_required_in_coop("payroll.wage_floor")
def wage_floor(request, coop_slug):
    form, first, last = _floor_period(request)
    context = {"form": form, "first_day": first, "last_day": last, "rows": None}
    if first is not None:
        rows = selectors.wage_floor_report(request.cooperative, first, last)
        context.update(rows=rows, totals=_floor_totals(rows), query=f"first_day={first.isoformat()}&last_day={last.isoformat()}")
    return render(request, "payroll/staff/wage_floor.html", context, status=400 if form.errors else 200)


@require_GET
@permission_required_in_coop("payroll.wage_floor")
def wage_floor_csv(request, coop_slug):
    form, first, last = _floor_period(request)
    if first is None:
        return HttpResponse(" ".join(form.non_field_errors() or [e for es in form.errors.values() for e in es]),
                            status=400, content_type="text/plain; charset=utf-8")
    rows = selectors.wage_floor_report(request.cooperative, first, last)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLOOR_COLUMNS)
    for r in rows:
        writer.writerow([r.client_name, *(csv_amount(getattr(r, k)) for k in FLOOR_COLUMNS[1:])])
    totals = _floor_totals(rows)
    writer.writerow(["Total", *(csv_amount(totals[k]) for k in FLOOR_COLUMNS[1:])])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wage-floor-{first.isoformat()}-{last.isoformat()}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required_in_coop("payroll.manage")
def sick_leave_record(request, coop_slug, worker_uuid):
    """Record paid sick leave a worker took; the next pay run pays it."""
    worker = worker_by_uuid(request.cooperative, worker_uuid)
    if worker is None:
        raise Http404("No such worker in this co-op.")
    form = SickLeaveUseForm(request.POST or None, initial={"workday": request.cooperative.today()})
    if request.method == "POST" and form.is_valid():
        try:
            entry = sick_leave_use(worker=worker, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{-entry.hours:.2f} hours of paid sick leave recorded for {worker} on {entry.workday:%b %d, %Y}.")
            return redirect("payroll:sick_leave_record", coop_slug=coop_slug, worker_uuid=worker.uuid)
    context = {
        "worker": worker, "form": form,
        "balance": selectors.sick_balances([worker.pk]).get(worker.pk) or ZERO,
        "entries": SickLeaveEntry.objects.filter(worker=worker).select_related("run__period").order_by("-workday", "-id")[:20],
    }
    return render(request, "payroll/staff/sick_leave_record.html", context, status=400 if form.errors else 200)
