"""Pages of patronage's allocations, mounted under /c/<coop_slug>/payroll/patronage/ (namespace
"payroll:patronage", patronage/urls.py): fiscal years, the allocation from draft to issued to
cash paid (its progress polled with htmx while the issue task posts the lines), the 1099-PATR
and cash payment files, and each member's notice of allocation. Capital accounts and the
worker's own page: views/capital.py; leaving the co-op: views/exit.py.

Staff read with "patronage.view" (the board included) and write with "patronage.manage".
Views parse, call one service or selector, and render; objects come from the scoped managers,
so another co-op's object is a 404. Each page costs a fixed number of queries whatever the
number of members.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.money import csv_amount, money_text
from alliedup.permissions import can, permission_required_in_coop
from patronage import documents, selectors
from patronage.forms import AllocationApproveForm, AllocationDraftForm, CashPaidForm, FiscalYearForm
from patronage.models import FiscalYear, PatronageAllocation, PatronageAllocationLine
from patronage.services import allocations
from payroll.selectors import employee_id

LINES_PER_PAGE = 50
POLL_SECONDS = 2
PATR_COLUMNS = ["tax_year", "employee_id", "last_name", "first_name", "email", "box1_patronage_dividends", "cash_paid",
                "qualified_notice_retained"]
CASH_COLUMNS = ["employee_id", "last_name", "first_name", "cash_amount", "pay_by_date"]


def _allocation(allocation_uuid) -> PatronageAllocation:
    return get_object_or_404(
        PatronageAllocation.objects.select_related("fiscal_year", "cooperative", "created_by", "approved_by"), uuid=allocation_uuid
    )


def patr_csv(allocation: PatronageAllocation) -> str:
    """Form 1099-PATR data: one row per member allocated $10.00 or more."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PATR_COLUMNS)
    year = selectors.patr_tax_year(allocation)
    for line in selectors.patr_rows(allocation):
        w = line.worker
        writer.writerow([year, employee_id(w), w.last_name, w.first_name, w.email, csv_amount(line.allocated), csv_amount(line.cash),
                         csv_amount(line.retained)])
    return out.getvalue()


def cash_lines(allocation: PatronageAllocation):
    return allocation.lines.filter(cash__gt=0).select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id")


def cash_csv(allocation: PatronageAllocation) -> str:
    """The cash part to pay, one row per member with cash, for the payroll processor."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CASH_COLUMNS)
    deadline = selectors.cash_deadline(allocation).isoformat()
    for line in cash_lines(allocation):
        writer.writerow([employee_id(line.worker), line.worker.last_name, line.worker.first_name, csv_amount(line.cash), deadline])
    return out.getvalue()


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def notice_response(line: PatronageAllocationLine) -> HttpResponse:
    try:
        pdf = documents.notice_pdf(line)
    except documents.NoticeNotIssued:
        raise Http404("The notice exists once the allocation is issued.") from None
    return _attachment(pdf, "application/pdf", documents.notice_filename(line))


# Fiscal years --------------------------------------------------------------------------------


def _years_page(request, form, status=200):
    years = FiscalYear.objects.filter(cooperative=request.cooperative).select_related("allocation").order_by("-starts_on")
    context = {"years": years, "form": form, "today": request.cooperative.today()}
    return render(request, "patronage/years.html", context, status=status)


@require_GET
@permission_required_in_coop("patronage.view")
def years(request, coop_slug):
    return _years_page(request, FiscalYearForm())


@require_POST
@permission_required_in_coop("patronage.manage")
def year_create(request, coop_slug):
    form = FiscalYearForm(request.POST)
    if form.is_valid():
        try:
            year = allocations.fiscal_year_create(cooperative=request.cooperative, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{year} added. Draft its allocation once it has ended.")
            return redirect("payroll:patronage:years", coop_slug=coop_slug)
    return _years_page(request, form, status=400)


# The allocation ------------------------------------------------------------------------------


@permission_required_in_coop("patronage.manage")
def allocation_draft(request, coop_slug):
    """The draft form: computing it again for the same year replaces the draft."""
    coop = request.cooperative
    initial = {"cash_percent": coop.patronage_cash_percent, "basis": coop.patronage_basis, "fiscal_year": request.GET.get("year")}
    form = AllocationDraftForm(request.POST or None, cooperative=coop, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = allocations.allocation_draft(drafted_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Draft computed: {money_text(allocation.pool)} among the members. Review it, then approve.")
            return redirect("payroll:patronage:allocation_detail", coop_slug=coop_slug, allocation_uuid=allocation.uuid)
    return render(request, "patronage/allocation_draft.html", {"form": form}, status=400 if form.errors else 200)


def _progress_context(allocation) -> dict:
    return {"allocation": allocation, "issuing": selectors.issuing(allocation), "posted": selectors.lines_posted(allocation),
            "to_post": selectors.lines_to_post(allocation), "poll_seconds": POLL_SECONDS}


@require_GET
@permission_required_in_coop("patronage.view")
def allocation_detail(request, coop_slug, allocation_uuid):
    return _detail_page(request, _allocation(allocation_uuid))


def _detail_page(request, allocation, *, status=200, approve_form=None):
    lines = allocation.lines.select_related("worker").order_by("-allocated", "worker_id")
    issued = allocation.status in documents.ISSUED
    context = {
        "allocation": allocation,
        "year": allocation.fiscal_year,
        "totals": selectors.allocation_totals(allocation),
        "page": Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page")),
        "issued": issued,
        "deadline": selectors.cash_deadline(allocation),
        "deadline_warning": selectors.cash_deadline_warning(allocation, request.cooperative.today()),
        "cash_form": CashPaidForm(initial={"paid_on": request.cooperative.today()}),
        "approve_form": approve_form or AllocationApproveForm(),
        "can_manage": can(request.user, request.cooperative, "patronage.manage"),
        **_progress_context(allocation),
    }
    return render(request, "patronage/allocation_detail.html", context, status=status)


@require_GET
@permission_required_in_coop("patronage.view")
def allocation_progress(request, coop_slug, allocation_uuid):
    """htmx fragment polled while the issue task runs; once it is done the page reloads
    (HX-Refresh) to show the notices and downloads."""
    allocation = _allocation(allocation_uuid)
    response = render(request, "patronage/_progress.html", _progress_context(allocation))
    if request.htmx and allocation.status in documents.ISSUED:
        response["HX-Refresh"] = "true"
    return response


def _allocation_action(request, coop_slug, allocation_uuid, action, success):
    allocation = _allocation(allocation_uuid)
    try:
        action(allocation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("payroll:patronage:allocation_detail", coop_slug=coop_slug, allocation_uuid=allocation.uuid)


@require_POST
@permission_required_in_coop("patronage.manage")
def allocation_approve(request, coop_slug, allocation_uuid):
    """Approve (final) once the confirmation is ticked; without it the page comes back (400)
    with the reason next to the box, and nothing changes."""
    form = AllocationApproveForm(request.POST)
    if not form.is_valid():
        allocation = _allocation(allocation_uuid)
        messages.error(request, "The allocation was not approved: " + " ".join(form.errors["confirm"]))
        return _detail_page(request, allocation, status=400, approve_form=form)
    return _allocation_action(
        request, coop_slug, allocation_uuid, lambda a: allocations.allocation_approve(allocation=a, approved_by=request.user),
        "Allocation approved: it can no longer change. Issue it to post the capital accounts and make the notices.",
    )


@require_POST
@permission_required_in_coop("patronage.manage")
def allocation_issue(request, coop_slug, allocation_uuid):
    return _allocation_action(
        request, coop_slug, allocation_uuid, lambda a: allocations.allocation_issue_request(allocation=a, requested_by=request.user),
        "Issuing: the lines are posted to the capital accounts in the background.",
    )


@require_POST
@permission_required_in_coop("patronage.manage")
def allocation_cash_paid(request, coop_slug, allocation_uuid):
    _allocation(allocation_uuid)  # another co-op's allocation is a 404 before the form is read
    form = CashPaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date the cash was paid.")
        return redirect("payroll:patronage:allocation_detail", coop_slug=coop_slug, allocation_uuid=allocation_uuid)
    return _allocation_action(
        request, coop_slug, allocation_uuid,
        lambda a: allocations.allocation_cash_paid(allocation=a, paid_on=form.cleaned_data["paid_on"], recorded_by=request.user),
        "The cash part is recorded as paid.",
    )


def _issued_download(request, coop_slug, allocation_uuid, make):
    allocation = _allocation(allocation_uuid)
    if allocation.status not in documents.ISSUED:
        messages.error(request, "Issue the allocation first: the files exist once it is issued.")
        return redirect("payroll:patronage:allocation_detail", coop_slug=coop_slug, allocation_uuid=allocation.uuid)
    return make(allocation)


@require_GET
@permission_required_in_coop("patronage.view")
def allocation_patr_csv(request, coop_slug, allocation_uuid):
    return _issued_download(request, coop_slug, allocation_uuid, lambda a: _attachment(
        patr_csv(a), "text/csv; charset=utf-8", f"1099-patr-{selectors.patr_tax_year(a) or 'year-unknown'}-fy{a.fiscal_year.ends_on.year}.csv"))


@require_GET
@permission_required_in_coop("patronage.view")
def allocation_cash_csv(request, coop_slug, allocation_uuid):
    return _issued_download(request, coop_slug, allocation_uuid, lambda a: _attachment(
        cash_csv(a), "text/csv; charset=utf-8", f"patronage-cash-fy{a.fiscal_year.ends_on.year}.csv"))


@require_GET
@permission_required_in_coop("patronage.view")
def notice(request, coop_slug, allocation_uuid, worker_uuid):
    line = get_object_or_404(
        PatronageAllocationLine.objects.select_related("worker", "allocation__fiscal_year"),
        allocation__uuid=allocation_uuid, worker__uuid=worker_uuid,
    )
    return notice_response(line)
