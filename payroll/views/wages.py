"""Staff pages of the collective agreement: agreements, their wage tables (added one by one
or imported from CSV, closed by an end date) and shift differentials.

Views parse, call one service in payroll.services.wages, and render. Objects come from the
scoped managers, so another co-op's agreement is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import check, permission_required_in_coop
from payroll.forms import AgreementForm, DifferentialForm, WageImportForm, WageTableCloseForm, WageTableForm
from payroll.models import CollectiveAgreement, WageTable
from payroll.services import wages as wage_services
from payroll.services.wages import CSV_COLUMNS


@require_http_methods(["GET", "POST"])
@permission_required_in_coop("payroll.view")
def agreements(request, coop_slug):
    """The co-op's agreements, newest first, and (for payroll.manage) the form for a new one."""
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        check(request.user, request.cooperative, "payroll.manage")
        if form.is_valid():
            try:
                agreement = wage_services.agreement_create(cooperative=request.cooperative, created_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{agreement} added. Add its wage tables next.")
                return redirect("payroll:agreement_detail", coop_slug=coop_slug, agreement_uuid=agreement.uuid)
    rows = CollectiveAgreement.objects.filter(cooperative=request.cooperative).annotate(table_count=Count("wage_tables"))
    return render(request, "payroll/staff/agreements.html", {"agreements": rows, "form": form}, status=400 if form.errors else 200)


def _agreement(agreement_uuid) -> CollectiveAgreement:
    return get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)


def _agreement_page(request, agreement, *, status=200, table_form=None, diff_form=None, import_form=None):
    coop = request.cooperative
    tables = list(
        WageTable.objects.filter(agreement=agreement).select_related("classification").prefetch_related("steps")
        .order_by("classification__name", "-effective_from")
    )
    context = {
        "agreement": agreement,
        "tables": tables,
        "differentials": agreement.differentials.select_related("classification").order_by("kind", "id"),
        "table_form": table_form or WageTableForm(cooperative=coop, initial={"effective_from": agreement.starts_on}),
        "diff_form": diff_form or DifferentialForm(cooperative=coop),
        "import_form": import_form or WageImportForm(),
        "csv_columns": CSV_COLUMNS,
    }
    return render(request, "payroll/staff/agreement_detail.html", context, status=status)


@require_http_methods(["GET"])
@permission_required_in_coop("payroll.view")
def agreement_detail(request, coop_slug, agreement_uuid):
    return _agreement_page(request, _agreement(agreement_uuid))


@require_POST
@permission_required_in_coop("payroll.manage")
def wage_table_add(request, coop_slug, agreement_uuid):
    agreement = _agreement(agreement_uuid)
    form = WageTableForm(request.POST, cooperative=request.cooperative)
    if form.is_valid():
        try:
            table = wage_services.wage_table_set(agreement=agreement, set_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Wages of {table.classification} from {table.effective_from:%b %d, %Y} added.")
            return redirect("payroll:agreement_detail", coop_slug=coop_slug, agreement_uuid=agreement.uuid)
    return _agreement_page(request, agreement, status=400, table_form=form)


@require_POST
@permission_required_in_coop("payroll.manage")
def wage_table_close(request, coop_slug, agreement_uuid):
    agreement = _agreement(agreement_uuid)
    form = WageTableCloseForm(request.POST, agreement=agreement)
    if form.is_valid():
        table = form.cleaned_data["table"]
        try:
            wage_services.wage_table_close(table=table, effective_to=form.cleaned_data["effective_to"], closed_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Wages of {table.classification} now end on {table.effective_to:%b %d, %Y}.")
            return redirect("payroll:agreement_detail", coop_slug=coop_slug, agreement_uuid=agreement.uuid)
    messages.error(request, "The table was not closed: " + " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("payroll:agreement_detail", coop_slug=coop_slug, agreement_uuid=agreement.uuid)


@require_POST
@permission_required_in_coop("payroll.manage")
def differential_add(request, coop_slug, agreement_uuid):
    agreement = _agreement(agreement_uuid)
    form = DifferentialForm(request.POST, cooperative=request.cooperative)
    if form.is_valid():
        try:
            diff = wage_services.differential_add(agreement=agreement, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{diff.get_kind_display()} differential added.")
            return redirect("payroll:agreement_detail", coop_slug=coop_slug, agreement_uuid=agreement.uuid)
    return _agreement_page(request, agreement, status=400, diff_form=form)


@require_POST
@permission_required_in_coop("payroll.manage")
def wage_table_import(request, coop_slug, agreement_uuid):
    """Import wage tables from CSV: all or nothing, with every bad line listed."""
    agreement = _agreement(agreement_uuid)
    form = WageImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            tables = wage_services.wage_tables_import(agreement=agreement, csv_text=form.cleaned_data["csv_text"],
                                                      note=form.cleaned_data["note"], imported_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{len(tables)} wage table{'' if len(tables) == 1 else 's'} imported.")
            return redirect("payroll:agreement_detail", coop_slug=coop_slug, agreement_uuid=agreement.uuid)
    return _agreement_page(request, agreement, status=400, import_form=form)
