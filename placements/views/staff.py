"""Staff pages of placements: clients and their contracts, rates and job orders; the fill
board (open shifts of the next 14 days, one-click assignment through htmx); a shift's
candidates with the reasons the others may not take it; the timesheet queue.

Views parse, call one service or selector, and render. Objects come from the scoped
managers, so another co-op's object is a 404.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from members.models import Worker, WorkerCredential
from placements import selectors
from placements.forms import AssignForm, BillRateForm, CancelForm, ClientForm, ContractForm, DisputeForm, JobOrderForm
from placements.models import Assignment, Client, ClientContract, JobOrder, Shift, Timesheet
from placements.services import clients as client_services
from placements.services import matching
from placements.services import orders as order_services
from placements.services import timesheets as timesheet_services

BOARD_DAYS = 14
CREDENTIAL_WARNING_DAYS = 30
SUGGESTIONS = 5


def _local_midnight(day, zone) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _shifts_with_client():
    return Shift.objects.select_related("job_order__contract__client", "job_order__site", "classification")


# Clients ---------------------------------------------------------------------------------


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
    start = _local_midnight(today, coop.zone)
    context = {
        "client": client,
        "contracts": contracts,
        "sites": list(client.sites.all()),
        "contract_form": contract_form or ContractForm(initial={"starts_on": today}),
        "order_form": order_form or JobOrderForm(client=client, initial={"starts_on": today, "ends_on": today}),
        "job_orders": JobOrder.objects.filter(contract__client=client)
        .select_related("contract", "site", "classification")
        .annotate(
            open_count=Count("shifts", filter=Q(shifts__status=Shift.Status.OPEN)),
            filled_count=Count("shifts", filter=Q(shifts__status__in=[Shift.Status.FILLED, Shift.Status.COMPLETED])),
        )
        .order_by("-starts_on", "-created_at")[:50],
        "upcoming": _shifts_with_client()
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
                request, f"{rate.classification} bills ${_rate_text(rate.regular_rate)}/h from {rate.effective_from:%b %d, %Y} on {contract.reference}."
            )
            return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=contract.client.uuid)
    return _client_page(request, contract.client, status=400, rate_form=form, rate_contract=contract)


def _rate_text(rate) -> str:
    """52.0000 → "52.00"; 52.1250 → "52.125" (rates carry up to four decimals)."""
    cents = rate.quantize(Decimal("0.01"))
    return f"{cents}" if cents == rate else f"{rate.normalize():f}"


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


# Fill board ------------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("placements.view")
def fill_board(request, coop_slug):
    """Open shifts of the next 14 days by day (in the co-op's zone), the figures above them
    and the workers whose credentials run out within 30 days; a fixed number of queries."""
    coop = request.cooperative
    zone = coop.zone
    today = request.cooperative.today()
    start = _local_midnight(today, zone)
    end = _local_midnight(today + timedelta(days=BOARD_DAYS), zone)
    year_start = _local_midnight(today.replace(month=1, day=1), zone)
    year_end = _local_midnight(today.replace(year=today.year + 1, month=1, day=1), zone)

    shifts = list(
        _shifts_with_client().filter(cooperative=coop, status=Shift.Status.OPEN, starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id")
    )
    days = [(day, list(rows)) for day, rows in groupby(shifts, key=lambda s: s.starts_at.astimezone(zone).date())]

    in_window = Q(starts_at__gte=start, starts_at__lt=end)
    figures = Shift.objects.filter(cooperative=coop).filter(in_window | Q(starts_at__gte=year_start, starts_at__lt=year_end)).aggregate(
        open=Count("id", filter=in_window & Q(status=Shift.Status.OPEN)),
        # A completed shift was filled: it counts toward the fill rate too.
        filled=Count("id", filter=in_window & Q(status__in=[Shift.Status.FILLED, Shift.Status.COMPLETED])),
        placements=Count("id", filter=Q(starts_at__gte=year_start, starts_at__lt=year_end, status=Shift.Status.COMPLETED)),
    )
    total = figures["open"] + figures["filled"]
    figures["fill_rate"] = round(100 * figures["filled"] / total) if total else None

    warning_end = today + timedelta(days=CREDENTIAL_WARNING_DAYS)
    # A credential renewed already (another of the same type valid past the warning window)
    # is no warning.
    renewed = WorkerCredential.objects.filter(worker=OuterRef("worker"), credential_type=OuterRef("credential_type")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=warning_end)
    )
    expiring = list(
        WorkerCredential.objects.filter(cooperative=coop, worker__is_active=True, expires_on__gte=today, expires_on__lte=warning_end)
        .filter(~Exists(renewed))
        .select_related("worker", "credential_type")
        .order_by("expires_on", "worker__last_name", "worker__first_name")
    )
    figures["expiring_workers"] = len({c.worker_id for c in expiring})
    # Confirmed future shifts the nightly credential sweep flagged: replace the worker or renew.
    flagged = list(
        Assignment.objects.filter(cooperative=coop, status__in=Assignment.ACTIVE, starts_at__gte=timezone.now(), credential_flagged_at__isnull=False)
        .select_related("worker", "shift__classification", "shift__job_order__contract__client")
        .order_by("starts_at")
    )
    context = {
        "flagged": flagged,
        "days": days, "figures": figures, "expiring": expiring, "today": today, "board_end": today + timedelta(days=BOARD_DAYS - 1),
        "warning_days": CREDENTIAL_WARNING_DAYS, "year": today.year,
    }
    return render(request, "placements/staff/fill_board.html", context)


@require_GET
@permission_required_in_coop("placements.view")
def shift_suggest(request, coop_slug, shift_uuid):
    """htmx fragment: the top eligible workers for a shift, each with an Assign button."""
    shift = get_object_or_404(_shifts_with_client(), uuid=shift_uuid)
    blocker = matching.shift_blocker(shift)
    eligible, ineligible = ([], []) if blocker else matching.shift_candidates(shift)
    context = {"shift": shift, "blocker": blocker, "candidates": eligible[:SUGGESTIONS], "more": max(0, len(eligible) - SUGGESTIONS),
               "ineligible_count": len(ineligible)}
    return render(request, "placements/staff/_suggestions.html", context)


@require_POST
@permission_required_in_coop("placements.manage")
def shift_assign(request, coop_slug, shift_uuid):
    """Assign a worker. From the board (htmx) the answer is the board row, filled or with
    the reason it could not be; from the shift page, a redirect back with a message."""
    shift = get_object_or_404(_shifts_with_client(), uuid=shift_uuid)
    form = AssignForm(request.POST)
    error = assignment = None
    worker = Worker.objects.filter(uuid=form.cleaned_data["worker_uuid"]).first() if form.is_valid() else None
    if worker is None:
        error = "Choose a worker of this co-op."
    else:
        try:
            assignment = matching.shift_assign(shift=shift, worker=worker, assigned_by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        shift.refresh_from_db(fields=["status"])
        return render(request, "placements/staff/_board_row.html", {"shift": shift, "assignment": assignment, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{worker} is assigned.")
    return redirect("placements:shift_detail", coop_slug=coop_slug, shift_uuid=shift.uuid)


# Shift -----------------------------------------------------------------------------------


def _shift_page(request, shift, *, status=200, cancel_form=None):
    blocker = matching.shift_blocker(shift)
    eligible, ineligible = matching.shift_candidates(shift) if shift.status == Shift.Status.OPEN else ([], [])
    assignments = list(shift.assignments.select_related("worker", "created_by", "timesheet").order_by("-created_at"))
    current = next((a for a in assignments if a.status in Assignment.ACTIVE), None)
    context = {
        "shift": shift, "blocker": blocker, "eligible": eligible, "ineligible": ineligible, "current": current,
        "past": [a for a in assignments if a is not current], "cancel_form": cancel_form or CancelForm(),
        "timesheet": getattr(current, "timesheet", None) if current else None,
    }
    return render(request, "placements/staff/shift_detail.html", context, status=status)


@require_GET
@permission_required_in_coop("placements.view")
def shift_detail(request, coop_slug, shift_uuid):
    return _shift_page(request, get_object_or_404(_shifts_with_client().select_related("job_order__created_by"), uuid=shift_uuid))


@require_POST
@permission_required_in_coop("placements.manage")
def assignment_cancel(request, coop_slug, assignment_uuid):
    assignment = get_object_or_404(Assignment.objects.select_related("worker"), uuid=assignment_uuid)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            matching.assignment_cancel(
                assignment=assignment, reason=form.cleaned_data["reason"], no_show=form.cleaned_data["no_show"], cancelled_by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            what = "marked a no-show" if form.cleaned_data["no_show"] else "cancelled"
            messages.success(request, f"{assignment.worker}'s assignment is {what}; the shift is open again.")
            return redirect("placements:shift_detail", coop_slug=coop_slug, shift_uuid=_shift_uuid(assignment))
    shift = get_object_or_404(_shifts_with_client(), pk=assignment.shift_id)
    return _shift_page(request, shift, status=400, cancel_form=form)


def _shift_uuid(assignment):
    return Shift.objects.filter(pk=assignment.shift_id).values_list("uuid", flat=True).get()


@require_POST
@permission_required_in_coop("placements.manage")
def assignment_confirm(request, coop_slug, assignment_uuid):
    assignment = get_object_or_404(Assignment.objects.select_related("worker"), uuid=assignment_uuid)
    try:
        matching.assignment_confirm(assignment=assignment, confirmed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{assignment.worker}'s assignment is confirmed.")
    return redirect("placements:shift_detail", coop_slug=coop_slug, shift_uuid=_shift_uuid(assignment))


# Timesheets ------------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("placements.view")
def timesheets(request, coop_slug):
    """Submitted timesheets, oldest first, with the hours each would post."""
    rows = list(selectors.timesheets_awaiting(request.cooperative))
    for ts in rows:
        ts.hours = timesheet_services.worked_hours(ts.clock_in, ts.clock_out, ts.break_minutes)
    return render(request, "placements/staff/timesheets.html", {"timesheets": rows})


def _staff_decision(view):
    """Staff decide for the client: the page is staff-only (a client's own decisions go
    through the client portal, which limits them to their own timesheets)."""
    return require_POST(permission_required_in_coop("placements.view")(permission_required_in_coop("placements.approve_timesheets")(view)))


@_staff_decision
def timesheet_approve(request, coop_slug, timesheet_uuid):
    timesheet = get_object_or_404(Timesheet.objects.select_related("assignment__worker"), uuid=timesheet_uuid)
    try:
        entry = timesheet_services.timesheet_approve(timesheet=timesheet, approved_by=request.user, on_behalf_of_client=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Approved for the client: {entry.hours} h posted to {timesheet.assignment.worker}'s hours.")
    return redirect("placements:timesheets", coop_slug=coop_slug)


@_staff_decision
def timesheet_dispute(request, coop_slug, timesheet_uuid):
    timesheet = get_object_or_404(Timesheet.objects.select_related("assignment__worker"), uuid=timesheet_uuid)
    form = DisputeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        timesheet_services.timesheet_dispute(
            timesheet=timesheet, reason=form.cleaned_data["reason"], disputed_by=request.user, on_behalf_of_client=True
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Disputed for the client; {timesheet.assignment.worker} can correct and resubmit.")
    return redirect("placements:timesheets", coop_slug=coop_slug)
