"""Staff pages of placements: clients and their contracts, rates and job orders; the fill
board (open shifts of the next 14 days, one-click assignment through htmx); a shift's
candidates with the reasons the others may not take it; the timesheet queue.

Views parse, call one service or selector, and render. Objects come from the scoped
managers, so another co-op's object is a 404.
"""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.money import rate_text
from alliedup.permissions import permission_required_in_coop
from members.selectors import credentials_expiring, worker_by_uuid
from placements import selectors
from placements.forms import (
    AssignForm,
    BillRateForm,
    CancelForm,
    ClientForm,
    ContractForm,
    DisputeForm,
    JobOrderForm,
    TimesheetQueueFilterForm,
)
from placements.models import Assignment, Client, ClientContract, JobOrder, Shift, Timesheet
from placements.services import clients as client_services
from placements.selectors_shift_changes import reopened_by_drop, shift_changes_waiting
from placements.views.contacts import people_context
from placements.services import matching
from placements.services import orders as order_services
from placements.services import timesheets as timesheet_services

BOARD_DAYS = selectors.BOARD_DAYS
BOARD_PAGE_SIZE = selectors.BOARD_PAGE_SIZE
QUEUE_PAGE_SIZE = 50
CREDENTIAL_WARNING_DAYS = 30
SUGGESTIONS = 5


def _local_midnight(day, zone) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


class CountedPaginator(Paginator):
    """A paginator given its count (the page already shows that figure, computed with
    others in one query), so it runs no COUNT of its own."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _is_fragment(request) -> bool:
    """An htmx request swapping part of a page. htmx restoring its history after a cache
    miss sends HX-Request too, but wants the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _varies(response):
    """Pages that answer htmx with a fragment: a cache must keep both answers apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response


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


# Fill board ------------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("placements.view")
def fill_board(request, coop_slug):
    """The next 14 days (in the co-op's zone), each with its open and filled shifts, and the
    open shifts of the days shown: by default the first day with open shifts and the days
    after it while they fit one page (selectors.board_days_shown), or the day asked for
    (`?day=YYYY-MM-DD`, 50 rows a page: `&page=N`). An htmx request for a day gets that
    day's section alone. Above the days: the figures, the bookings flagged for credentials
    and the workers whose credentials run out within 30 days. A fixed number of queries."""
    coop = request.cooperative
    today = coop.today()
    asked = _board_day_asked(request, today)
    if _is_fragment(request) and "day" in request.GET:
        if asked is None:
            raise Http404("That day is not on the board.")
        entry = _board_entries(request, [selectors.board_day(coop, asked)], [asked])[0]
        context = {"entry": entry, "board_url": reverse("placements:fill_board", args=[coop_slug])}
        return _varies(render(request, "placements/staff/_board_day.html", context))

    days = selectors.board_days(coop, today)
    shown = [asked] if asked else [d.day for d in selectors.board_days_shown(days)]
    figures = {
        "open": sum(d.open for d in days), "filled": sum(d.filled for d in days),
        "placements": selectors.placements_in_year(coop, today),
    }
    total = figures["open"] + figures["filled"]
    figures["fill_rate"] = round(100 * figures["filled"] / total) if total else None

    warning_end = today + timedelta(days=CREDENTIAL_WARNING_DAYS)
    # A credential renewed already (another of the same type valid past the warning window)
    # is no warning.
    expiring = credentials_expiring(coop, today, warning_end)
    figures["expiring_workers"] = len({c.worker_id for c in expiring})
    # Confirmed future shifts the nightly credential sweep flagged: replace the worker or renew.
    flagged = list(
        Assignment.objects.filter(cooperative=coop, status__in=Assignment.ACTIVE, starts_at__gte=timezone.now(), credential_flagged_at__isnull=False)
        .select_related("worker", "shift__classification", "shift__job_order__contract__client")
        .order_by("starts_at")
    )
    context = {
        "flagged": flagged,
        "days": _board_entries(request, days, shown), "figures": figures, "expiring": expiring, "today": today,
        "board_end": today + timedelta(days=BOARD_DAYS - 1), "warning_days": CREDENTIAL_WARNING_DAYS, "year": today.year,
        "board_url": reverse("placements:fill_board", args=[coop_slug]),
        "shift_changes_waiting": shift_changes_waiting(coop, timezone.now()),
    }
    return _varies(render(request, "placements/staff/fill_board.html", context))


def _board_day_asked(request, today) -> date | None:
    """The board day in `?day=` (YYYY-MM-DD), if it is one of the board's days."""
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None
    return day if today <= day < today + timedelta(days=BOARD_DAYS) else None


def _board_entries(request, days, shown: list[date]) -> list[dict]:
    """Each day with, for the days shown, one page of their open shifts (`shifts`; None for a
    day not loaded) and, when the day is paged, its page. One query for all the days shown:
    their count is known from the day figures, so the paginator needs no COUNT."""
    shown_days = [d for d in days if d.day in shown]
    rows: dict[date, list] = {d.day: [] for d in shown_days}
    page = None
    if shown_days:
        # Marked when a worker's approved drop reopened it (a subquery: no query more).
        shifts = selectors.open_shifts_between(request.cooperative, shown_days[0].day, shown_days[-1].day).annotate(
            reopened=reopened_by_drop())
        page = CountedPaginator(shifts, BOARD_PAGE_SIZE, count=sum(d.open for d in shown_days)).get_page(request.GET.get("page"))
        zone = request.cooperative.zone
        for shift in page.object_list if page.paginator.count else []:
            rows[shift.starts_at.astimezone(zone).date()].append(shift)
    paged = page if page is not None and page.paginator.num_pages > 1 else None
    return [{"day": d, "shifts": rows.get(d.day), "page": paged if d.day in rows else None} for d in days]


@require_GET
@permission_required_in_coop("placements.view")
def shift_suggest(request, coop_slug, shift_uuid):
    """htmx fragment: the top eligible workers for a shift, each with an Assign button, and
    "Left out (N)": a page of the workers the matching left out with its reasons
    (`?left_out_page=N`, the same `matching.shift_match` answer as the API's candidates)."""
    shift = get_object_or_404(_shifts_with_client(), uuid=shift_uuid)
    blocker = matching.shift_blocker(shift)
    context = {"shift": shift, "blocker": blocker}
    if not blocker:
        match = matching.shift_match(shift, left_out_page=_page_number(request.GET.get("left_out_page")))
        context.update(candidates=match.eligible[:SUGGESTIONS], more=max(0, len(match.eligible) - SUGGESTIONS), left_out=match.left_out)
    return render(request, "placements/staff/_suggestions.html", context)


def _page_number(value) -> int:
    """A page number from the query string; anything else is the first page."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@require_POST
@permission_required_in_coop("placements.manage")
def shift_assign(request, coop_slug, shift_uuid):
    """Assign a worker. From the board (htmx) the answer is the board row, filled or with
    the reason it could not be; from the shift page, a redirect back with a message."""
    shift = get_object_or_404(_shifts_with_client(), uuid=shift_uuid)
    form = AssignForm(request.POST)
    error = assignment = None
    worker = worker_by_uuid(request.cooperative, form.cleaned_data["worker_uuid"]) if form.is_valid() else None
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
    """Submitted timesheets, oldest first, 50 a page (`?page=N`), optionally of one client
    (`?client=<uuid>`) and/or classification (`?classification=<code>`), with the hours each
    would post and how many wait in all. An htmx request gets the queue alone (filters,
    count, table, pages). Two queries besides the co-op's and the sign-in's, whatever the
    queue's length: the counts per client and classification, and the page."""
    coop = request.cooperative
    counts = selectors.timesheet_queue_counts(coop)
    form = TimesheetQueueFilterForm(request.GET, counts=counts)
    filters = form.filters()
    page = CountedPaginator(
        selectors.timesheets_awaiting(coop, client_uuid=filters["client"], classification_code=filters["classification"]),
        QUEUE_PAGE_SIZE, count=counts.matching(filters["client"], filters["classification"]),
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list) if page.paginator.count else []
    for ts in rows:
        ts.hours = timesheet_services.worked_hours(ts.clock_in, ts.clock_out, ts.break_minutes)
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "timesheets": rows, "page": page, "counts": counts, "form": form, "filtered": bool(query), "query": query,
        # Where a decision returns to: this page of these filters.
        "queue_query": "&".join(q for q in (query, f"page={page.number}" if page.number > 1 else "") if q),
    }
    template = "placements/staff/_timesheet_queue.html" if _is_fragment(request) else "placements/staff/timesheets.html"
    return _varies(render(request, template, context))


def _back_to_queue(request, coop_slug):
    """Back to the queue's page and filters the decision was made on (the form's `queue`
    field). Only the queue's own parameters are kept and the path is fixed: no open redirect."""
    sent = QueryDict(request.POST.get("queue", ""))
    kept = {name: sent[name] for name in ("client", "classification", "page") if sent.get(name)}
    url = reverse("placements:timesheets", args=[coop_slug])
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


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
    return _back_to_queue(request, coop_slug)


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
    return _back_to_queue(request, coop_slug)
