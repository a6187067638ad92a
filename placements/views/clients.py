"""Staff pages of client facilities: the list, adding one, a client's page with its contracts,
bill rates and job orders, and the forms posted from it."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.money import rate_text
from alliedup.permissions import permission_required_in_coop
from placements import selectors
from placements.forms import (
    BillRateForm,
    ClientForm,
    ContractForm,
    JobOrderForm,
)
from placements.models import Client, ClientContract, JobOrder, Shift
from placements.services import clients as client_services
from placements.services import orders as order_services
from placements.views.base import BOARD_DAYS, shifts_with_client
from placements.views.contacts import people_context


def _clients_page(request, form, status=200):
    clients = Client.objects.filter(cooperative=request.cooperative).annotate(
        active_contracts=Count("contracts", filter=Q(contracts__status=ClientContract.Status.ACTIVE))
    )
    return render(request, "placements/staff/clients.html", {"clients": clients, "form": form}, status=status)


@require_GET
@permission_required_in_coop("placements.view")
def clients(request, coop_slug):
    return _clients_page(request, ClientForm(initial={"time_zone": request.cooperative.time_zone}))


@require_POST
@permission_required_in_coop("placements.manage")
def client_create(request, coop_slug):
    form = ClientForm(request.POST)
    if form.is_valid():
        try:
            client = client_services.client_create(cooperative=request.cooperative, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{client} added. Add a contract and its bill rates next.")
            return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=client.uuid)
    return _clients_page(request, form, status=400)


def _client_page(request, client, *, status=200, contract_form=None, rate_form=None, rate_contract=None, order_form=None):
    """The client page; a form that failed comes back bound, with its errors."""
    coop = request.cooperative
    today = request.cooperative.today()
    contracts = list(client.contracts.prefetch_related("bill_rates__classification").order_by("-starts_on", "reference"))
    for contract in contracts:
        if rate_contract is not None and contract.pk == rate_contract.pk:
            contract.rate_form = rate_form
        else:
            contract.rate_form = BillRateForm(cooperative=coop, initial={"effective_from": max(today, contract.starts_on)})
        contract.rates = sorted(contract.bill_rates.all(), key=lambda r: (r.classification.name, r.effective_from))
    start = selectors.local_midnight(today, coop.zone)
    context = {
        "client": client,
        "contracts": contracts,
        "sites": list(client.sites.all()),
        **people_context(client),
        "contract_form": contract_form or ContractForm(initial={"starts_on": today}),
        "order_form": order_form or JobOrderForm(client=client, initial={"starts_on": today, "ends_on": today}),
        "job_orders": JobOrder.objects.filter(contract__client=client)
        .select_related("contract", "site", "classification")
        .annotate(
            open_count=Count("shifts", filter=Q(shifts__status=Shift.Status.OPEN)),
            filled_count=Count("shifts", filter=Q(shifts__status__in=[Shift.Status.FILLED, Shift.Status.COMPLETED])),
        )
        .order_by("-starts_on", "-created_at")[:50],
        "upcoming": shifts_with_client()
        .filter(job_order__contract__client=client, starts_at__gte=start, starts_at__lt=start + timedelta(days=BOARD_DAYS))
        .exclude(status=Shift.Status.CANCELLED)
        .order_by("starts_at", "id")[:100],
    }
    return render(request, "placements/staff/client_detail.html", context, status=status)


@require_GET
@permission_required_in_coop("placements.view")
def client_detail(request, coop_slug, client_uuid):
    return _client_page(request, get_object_or_404(Client, uuid=client_uuid))


@require_POST
@permission_required_in_coop("placements.manage")
def contract_create(request, coop_slug, client_uuid):
    client = get_object_or_404(Client, uuid=client_uuid)
    form = ContractForm(request.POST)
    if form.is_valid():
        try:
            contract = client_services.contract_create(client=client, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Contract {contract.reference} added. Set its bill rates before filling shifts.")
            return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=client.uuid)
    return _client_page(request, client, status=400, contract_form=form)


@require_POST
@permission_required_in_coop("placements.manage")
def bill_rate_set(request, coop_slug, contract_uuid):
    contract = get_object_or_404(ClientContract.objects.select_related("client"), uuid=contract_uuid)
    form = BillRateForm(request.POST, cooperative=request.cooperative)
    if form.is_valid():
        try:
            rate = client_services.bill_rate_set(contract=contract, set_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{rate.classification} bills ${rate_text(rate.regular_rate)}/h from {rate.effective_from:%b %d, %Y} on {contract.reference}."
            )
            return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=contract.client.uuid)
    return _client_page(request, contract.client, status=400, rate_form=form, rate_contract=contract)


@require_POST
@permission_required_in_coop("placements.manage")
def job_order_create(request, coop_slug, client_uuid):
    client = get_object_or_404(Client, uuid=client_uuid)
    form = JobOrderForm(request.POST, client=client)
    if form.is_valid():
        data = dict(form.cleaned_data, weekdays="".join(form.cleaned_data["weekdays"]))
        try:
            order = order_services.job_order_create(created_by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = order.shifts.count()
            messages.success(request, f"Job order created: {count} shift{'' if count == 1 else 's'} to fill.")
            return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=client.uuid)
    return _client_page(request, client, status=400, order_form=form)
