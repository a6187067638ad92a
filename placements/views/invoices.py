"""Invoice pages: staff build, issue, record payment of and void client invoices
("placements.invoice"); client contacts download their clients' issued and paid invoices
("placements.client_portal"). Objects come from the scoped managers, so another co-op's
invoice is a 404; a client contact reaching another client's invoice, or a draft, too.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.money import money_text
from alliedup.permissions import permission_required_in_coop
from placements import selectors
from placements.selectors.invoices import corrections_to_adjust, late_hours_to_bill
from placements.documents import invoice_filename, invoice_lines, invoice_pdf, issued_on
from placements.invoice_forms import InvoiceCreateForm, InvoiceFilterForm, MarkPaidForm, VoidForm
from placements.models import Client, Invoice
from placements.services import invoices as invoice_services

PAGE_SIZE = 50


def pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice_filename(invoice)}"'
    return response


# --- staff --------------------------------------------------------------------------------


def _invoices_page(request, create_form, status=200):
    coop = request.cooperative
    # Its own ids: the draft form below has a "client" field too, and two id_client would
    # tie the draft form's "Client" label to the filter's select.
    filters = InvoiceFilterForm(request.GET or None, cooperative=coop, auto_id="filter_%s")
    qs = Invoice.objects.filter(cooperative=coop).select_related("client").annotate(line_count=Count("lines"))
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            qs = qs.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["client"]:
            qs = qs.filter(client=filters.cleaned_data["client"])
    page = Paginator(qs.order_by("-period_end", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "invoices": page.object_list, "filters": filters, "form": create_form, "query": query.urlencode(),
               "to_adjust": corrections_to_adjust(coop, now=timezone.now()), "late": late_hours_to_bill(coop, now=timezone.now())}
    return render(request, "placements/staff/invoices.html", context, status=status)


@require_GET
@permission_required_in_coop("placements.invoice")
def invoices(request, coop_slug):
    """Invoices, latest period first, filtered by status and client, with the form that
    drafts a new one."""
    today = request.cooperative.today()
    last_month_end = today.replace(day=1) - timedelta(days=1)  # last month is the usual period to bill
    initial = {"period_start": last_month_end.replace(day=1), "period_end": last_month_end}
    return _invoices_page(request, InvoiceCreateForm(cooperative=request.cooperative, initial=initial))


@require_POST
@permission_required_in_coop("placements.invoice")
def invoice_create(request, coop_slug):
    form = InvoiceCreateForm(request.POST, cooperative=request.cooperative)
    if form.is_valid():
        try:
            invoice = invoice_services.invoice_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Draft invoice for {invoice.client}: {money_text(invoice.total)}. Check the lines, then issue it.")
            return redirect("placements:invoice_detail", coop_slug=coop_slug, invoice_uuid=invoice.uuid)
    return _invoices_page(request, form, status=400)


def _invoice(invoice_uuid) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("client", "created_by", "issued_by"), uuid=invoice_uuid)


def _invoice_page(request, invoice, *, status=200, paid_form=None, void_form=None):
    context = {
        "invoice": invoice, "lines": invoice_lines(invoice), "issued_on": issued_on(invoice),
        "paid_form": paid_form or MarkPaidForm(initial={"paid_on": request.cooperative.today()}),
        "void_form": void_form or VoidForm(),
    }
    return render(request, "placements/staff/invoice_detail.html", context, status=status)


@require_GET
@permission_required_in_coop("placements.invoice")
def invoice_detail(request, coop_slug, invoice_uuid):
    return _invoice_page(request, _invoice(invoice_uuid))


@require_POST
@permission_required_in_coop("placements.invoice")
def invoice_issue(request, coop_slug, invoice_uuid):
    invoice = _invoice(invoice_uuid)
    try:
        invoice = invoice_services.invoice_issue(invoice=invoice, issued_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Invoice {invoice.number} issued, due {invoice.due_on:%b} {invoice.due_on.day}, {invoice.due_on.year}.")
    return redirect("placements:invoice_detail", coop_slug=coop_slug, invoice_uuid=invoice.uuid)


@require_POST
@permission_required_in_coop("placements.invoice")
def invoice_mark_paid(request, coop_slug, invoice_uuid):
    invoice = _invoice(invoice_uuid)
    form = MarkPaidForm(request.POST)
    if form.is_valid():
        try:
            invoice_services.invoice_mark_paid(invoice=invoice, marked_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Invoice {invoice.number} is paid.")
            return redirect("placements:invoice_detail", coop_slug=coop_slug, invoice_uuid=invoice.uuid)
    return _invoice_page(request, invoice, status=400, paid_form=form)


@require_POST
@permission_required_in_coop("placements.invoice")
def invoice_void(request, coop_slug, invoice_uuid):
    invoice = _invoice(invoice_uuid)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            invoice_services.invoice_void(invoice=invoice, reason=form.cleaned_data["reason"], voided_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{invoice} is void; its hours can be billed again.")
            return redirect("placements:invoice_detail", coop_slug=coop_slug, invoice_uuid=invoice.uuid)
    return _invoice_page(request, invoice, status=400, void_form=form)


@require_POST
@permission_required_in_coop("placements.invoice")
def invoice_delete(request, coop_slug, invoice_uuid):
    invoice = _invoice(invoice_uuid)
    try:
        invoice_services.invoice_delete_draft(invoice=invoice, deleted_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("placements:invoice_detail", coop_slug=coop_slug, invoice_uuid=invoice.uuid)
    messages.success(request, f"Draft invoice for {invoice.client} deleted.")
    return redirect("placements:invoices", coop_slug=coop_slug)


@require_GET
@permission_required_in_coop("placements.invoice")
def invoice_pdf_download(request, coop_slug, invoice_uuid):
    return pdf_response(_invoice(invoice_uuid))


# --- client portal ------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("placements.client_portal")
def client_invoices(request, coop_slug):
    """The user's clients' invoices, latest first, each to download."""
    client_ids = selectors.client_ids_for(request.cooperative, request.user)
    context = {
        "clients": list(Client.objects.filter(pk__in=client_ids).order_by("name")) if client_ids else [],
        "invoices": list(selectors.invoices_for_clients(request.cooperative, client_ids).order_by("-issued_at", "-id")),
    }
    return render(request, "placements/portal/client_invoices.html", context)


@require_GET
@permission_required_in_coop("placements.client_portal")
def client_invoice_pdf(request, coop_slug, invoice_uuid):
    """One of the user's clients' issued or paid invoices as PDF; anything else is a 404."""
    client_ids = selectors.client_ids_for(request.cooperative, request.user)
    return pdf_response(get_object_or_404(selectors.invoices_for_clients(request.cooperative, client_ids), uuid=invoice_uuid))
