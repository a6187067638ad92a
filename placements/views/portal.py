"""Worker and client portal pages of placements (urls_portal.py).

Workers ("placements.work") see the open shifts they qualify for and request them, see
their schedule and submit timesheets. Client contacts ("placements.client_portal") approve
or dispute their clients' timesheets and post job orders. Each page reads through the
selectors and writes through one service; a worker only ever reaches their own
assignments and a client contact only their own clients' timesheets (others are a 404).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import can, permission_required_in_coop
from members.selectors import worker_for_user
from placements import selectors
from placements.models import Assignment, Client, Shift, Timesheet, TimesheetCorrection
from placements.portal_forms import ClientJobOrderForm, DisputeForm, TimesheetForm
from placements.selectors.calendar import calendar_feed_live
from placements.selectors.shift_changes import worker_shift_changes
from placements.services import matching, orders
from placements.services.shift_changes import changes_open
from placements.services import timesheets as timesheet_services

OPEN_SHIFT_DAYS = 14
RECENT_DAYS = 14
CREDENTIAL_WARNING_DAYS = 30


# --- shared helpers ---------------------------------------------------------------------


@dataclass
class Local:
    """A shift's start and end as wall-clock times at the client's site (naive, so the
    template's date filter does not move them back to the server's UTC)."""

    start: datetime
    end: datetime
    zone_abbr: str

    @property
    def overnight(self) -> bool:
        return self.end.date() != self.start.date()


def _local(shift: Shift) -> Local:
    zone = shift.job_order.contract.client.zone
    start, end = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)
    return Local(start.replace(tzinfo=None), end.replace(tzinfo=None), start.tzname() or zone.key)


def _own_worker(request):
    """The signed-in user's employee record in this co-op; 404 without one (every object a
    worker page names must be theirs, and without a record nothing is)."""
    worker = worker_for_user(request.cooperative, request.user)
    if worker is None:
        raise Http404("No employee record is linked to your account.")
    return worker


def _my_client_ids(request) -> set[int]:
    return selectors.client_ids_for(request.cooperative, request.user)


# --- worker: open shifts ----------------------------------------------------------------


@dataclass
class ShiftCard:
    shift: Shift
    reasons: list[str]
    local: Local

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def day(self) -> date:
        return self.local.start.date()


@dataclass
class Day:
    day: date
    eligible: list[ShiftCard] = field(default_factory=list)
    ineligible: list[ShiftCard] = field(default_factory=list)


@permission_required_in_coop("placements.work")
def open_shifts(request, coop_slug):
    """Open shifts of the next 14 days in the worker's classifications, by day at the site;
    the ones they may not take say why. A fixed number of queries (shifts_open_to)."""
    worker = worker_for_user(request.cooperative, request.user)
    context = {"worker": worker, "days": [], "window_days": OPEN_SHIFT_DAYS}
    if worker is not None:
        now = timezone.now()
        cards = [ShiftCard(shift, reasons, _local(shift))
                 for shift, reasons in selectors.shifts_open_to(worker, now, now + timedelta(days=OPEN_SHIFT_DAYS))]
        cards.sort(key=lambda c: (c.day, c.shift.starts_at, c.shift.pk))
        for day, group in groupby(cards, key=lambda c: c.day):
            entry = Day(day)
            for card in group:
                (entry.eligible if card.eligible else entry.ineligible).append(card)
            context["days"].append(entry)
        context["eligible_count"] = sum(len(d.eligible) for d in context["days"])
        context["ineligible_count"] = sum(len(d.ineligible) for d in context["days"])
    return render(request, "placements/portal/open_shifts.html", context)


@require_POST
@permission_required_in_coop("placements.work")
def shift_request(request, coop_slug, shift_uuid):
    """Request an open shift (held as "accepted" until staff confirm). With htmx the
    answer is the shift's card, saying it is requested or why not; without, a redirect."""
    worker = _own_worker(request)
    shift = get_object_or_404(
        Shift.objects.select_related("job_order__contract__client", "job_order__site", "classification"), uuid=shift_uuid
    )
    error = None
    try:
        matching.shift_request(shift=shift, worker=worker, requested_by=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        # 200 either way: htmx swaps only 2xx answers, and the card is where the error belongs.
        card = ShiftCard(shift, [], _local(shift))
        return render(request, "placements/portal/_shift_card.html", {"card": card, "requested": error is None, "error": error})
    if error:
        messages.error(request, _("You could not request that shift: %(error)s") % {"error": error})
    else:
        messages.success(request, _("Requested — staff will confirm."))
    return redirect("placements:open_shifts", coop_slug=coop_slug)


# --- worker: my schedule and timesheets -------------------------------------------------


@dataclass
class ScheduleRow:
    assignment: Assignment
    local: Local
    timesheet: Timesheet | None
    hours: object = None
    form: TimesheetForm | None = None
    form_open: bool = False
    correction: object = None  # the latest TimesheetCorrection of an approved timesheet
    change: object = None  # the worker's latest drop or swap request of it (open or just decided)
    can_change: bool = False  # confirmed, to come, before the cut-off: may ask to drop or swap
    call_coordinator: bool = False  # confirmed, to come, past the cut-off: only by phone now


def _timesheet_of(assignment: Assignment) -> Timesheet | None:
    try:
        return assignment.timesheet  # select_related by worker_schedule: no query
    except Timesheet.DoesNotExist:
        return None


def _form_prefix(assignment: Assignment) -> str:
    return f"a{assignment.uuid.hex}"


def _schedule_row(assignment: Assignment, now: datetime, bound: tuple[int, TimesheetForm] | None) -> ScheduleRow:
    shift = assignment.shift
    timesheet = _timesheet_of(assignment)
    row = ScheduleRow(assignment, _local(shift), timesheet)
    if timesheet is not None:
        row.hours = timesheet_services.worked_hours(timesheet.clock_in, timesheet.clock_out, timesheet.break_minutes)
    can_submit = (
        assignment.status == Assignment.Status.CONFIRMED
        and assignment.starts_at <= now
        and (timesheet is None or timesheet.status != Timesheet.Status.APPROVED)
    )
    if bound is not None and bound[0] == assignment.pk:
        row.form, row.form_open = bound[1], True
    elif can_submit:
        zone = shift.job_order.contract.client.zone
        if timesheet is not None:
            initial = {"clock_in": timesheet.clock_in, "clock_out": timesheet.clock_out, "break_minutes": timesheet.break_minutes}
        else:
            initial = {"clock_in": shift.starts_at, "clock_out": min(shift.ends_at, now), "break_minutes": 0}
        row.form = TimesheetForm(initial=initial, zone=zone, prefix=_form_prefix(assignment))
        row.form_open = timesheet is None or timesheet.status == Timesheet.Status.DISPUTED
    return row


def _schedule_context(request, worker, bound=None) -> dict:
    if worker is None:
        return {"worker": None}
    now = timezone.now()
    rows = [_schedule_row(a, now, bound) for a in selectors.worker_schedule(worker, since=now - timedelta(days=RECENT_DAYS))]
    # Staff corrections of approved hours are shown to the worker (the latest of each).
    corrected = {c.timesheet_id: c for c in TimesheetCorrection.objects.filter(
        timesheet_id__in=[r.timesheet.pk for r in rows if r.timesheet is not None]).order_by("corrected_at", "id")}
    for row in rows:
        row.correction = corrected.get(row.timesheet.pk) if row.timesheet is not None else None
    # Drop and swap requests: the worker's own (latest per shift) and swaps offered to them.
    changes = worker_shift_changes(worker, now)
    latest = {c.assignment_id: c for c in changes if c.worker_id == worker.pk}
    for row in rows:
        row.change = latest.get(row.assignment.pk)
        if row.assignment.status == Assignment.Status.CONFIRMED and row.assignment.starts_at > now:
            row.can_change = changes_open(row.assignment, now, request.cooperative)
            row.call_coordinator = not row.can_change
    today = request.cooperative.today()
    credentials = list(
        worker.credentials.select_related("credential_type").order_by(F("expires_on").asc(nulls_last=True), "credential_type__name")
    )
    return {
        "worker": worker,
        "upcoming": [r for r in rows if r.assignment.ends_at >= now],
        "recent": [r for r in reversed(rows) if r.assignment.ends_at < now],
        "credentials": credentials,
        "today": today,
        "warn_before": today + timedelta(days=CREDENTIAL_WARNING_DAYS),
        "recent_days": RECENT_DAYS,
        "calendar_feed": calendar_feed_live(worker),
        "swap_offers": [c for c in changes if c.swap_to_id == worker.pk and c.status == c.Status.OFFERED],
    }


@permission_required_in_coop("placements.work")
def my_schedule(request, coop_slug):
    """Upcoming and recent assignments with their status and timesheet, a timesheet form
    for each confirmed one that has started, and the worker's credentials."""
    worker = worker_for_user(request.cooperative, request.user)
    return render(request, "placements/portal/my_schedule.html", _schedule_context(request, worker))


@require_POST
@permission_required_in_coop("placements.work")
def timesheet_submit(request, coop_slug, assignment_uuid):
    """Submit (or correct) the timesheet of one of the worker's own assignments. The times
    are wall-clock times at the client's site; another worker's assignment is a 404."""
    worker = _own_worker(request)
    assignment = get_object_or_404(
        Assignment.objects.select_related("shift__job_order__contract__client"), uuid=assignment_uuid, worker=worker
    )
    form = TimesheetForm(request.POST, zone=assignment.shift.job_order.contract.client.zone,
                         prefix=_form_prefix(assignment))
    if form.is_valid():
        data = form.cleaned_data
        try:
            timesheet_services.timesheet_submit(
                assignment=assignment, clock_in=data["clock_in"].astimezone(UTC), clock_out=data["clock_out"].astimezone(UTC),
                break_minutes=data["break_minutes"], submitted_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Timesheet submitted. The client approves it next."))
            return redirect("placements:my_schedule", coop_slug=coop_slug)
    context = _schedule_context(request, worker, bound=(assignment.pk, form))
    return render(request, "placements/portal/my_schedule.html", context, status=400)


# --- client portal ----------------------------------------------------------------------


@dataclass
class TimesheetRow:
    timesheet: Timesheet
    clock_in: datetime
    clock_out: datetime
    zone_abbr: str
    hours: object
    form: DisputeForm


def _timesheet_row(timesheet: Timesheet, bound: tuple[int, DisputeForm] | None) -> TimesheetRow:
    zone = timesheet.assignment.shift.job_order.contract.client.zone
    clock_in, clock_out = timesheet.clock_in.astimezone(zone), timesheet.clock_out.astimezone(zone)
    form = bound[1] if bound is not None and bound[0] == timesheet.pk else DisputeForm(prefix=f"t{timesheet.uuid.hex}")
    return TimesheetRow(
        timesheet, clock_in.replace(tzinfo=None), clock_out.replace(tzinfo=None), clock_in.tzname() or zone.key,
        timesheet_services.worked_hours(timesheet.clock_in, timesheet.clock_out, timesheet.break_minutes), form,
    )


CLIENT_PAGE_SIZE = 50  # a large facility may have hundreds waiting after a holiday weekend


def _client_timesheets_context(request, client_ids, bound=None) -> dict:
    """The client's waiting timesheets, oldest first, 50 a page (`?page=N`)."""
    if not client_ids:
        return {"clients": [], "rows": [], "page": None}
    page = Paginator(selectors.timesheets_awaiting(request.cooperative, client_ids=client_ids), CLIENT_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return {
        "clients": list(Client.objects.filter(pk__in=client_ids).order_by("name")),
        "rows": [_timesheet_row(t, bound) for t in page.object_list],
        "page": page,
    }


def _client_timesheet_or_404(request, timesheet_uuid, client_ids) -> Timesheet:
    if not can(request.user, request.cooperative, "placements.approve_timesheets"):
        raise PermissionDenied("Your role does not approve timesheets.")
    return get_object_or_404(
        Timesheet.objects.select_related("assignment__worker", "assignment__shift__job_order__contract__client"),
        uuid=timesheet_uuid, assignment__shift__job_order__contract__client_id__in=client_ids,
    )


@permission_required_in_coop("placements.client_portal")
def client_timesheets(request, coop_slug):
    """Submitted timesheets of the user's clients, oldest first, to approve or dispute."""
    return render(request, "placements/portal/client_timesheets.html", _client_timesheets_context(request, _my_client_ids(request)))


@require_POST
@permission_required_in_coop("placements.client_portal")
def client_timesheet_approve(request, coop_slug, timesheet_uuid):
    """Approve for the client: the hours go to the worker's ledger. Another client's
    timesheet is a 404."""
    timesheet = _client_timesheet_or_404(request, timesheet_uuid, _my_client_ids(request))
    try:
        entry = timesheet_services.timesheet_approve(timesheet=timesheet, approved_by=request.user, on_behalf_of_client=False)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Approved {entry.hours} hours for {timesheet.assignment.worker}.")
    return redirect("placements:client_timesheets", coop_slug=coop_slug)


@require_POST
@permission_required_in_coop("placements.client_portal")
def client_timesheet_dispute(request, coop_slug, timesheet_uuid):
    """Send a timesheet back to the worker with the reason; they correct and resubmit."""
    client_ids = _my_client_ids(request)
    timesheet = _client_timesheet_or_404(request, timesheet_uuid, client_ids)
    form = DisputeForm(request.POST, prefix=f"t{timesheet.uuid.hex}")
    if form.is_valid():
        try:
            timesheet_services.timesheet_dispute(timesheet=timesheet, reason=form.cleaned_data["reason"], disputed_by=request.user,
                                                 on_behalf_of_client=False)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Timesheet of {timesheet.assignment.worker} sent back: {form.cleaned_data['reason']}")
            return redirect("placements:client_timesheets", coop_slug=coop_slug)
    context = _client_timesheets_context(request, client_ids, bound=(timesheet.pk, form))
    return render(request, "placements/portal/client_timesheets.html", context, status=400)


@permission_required_in_coop("placements.client_portal")
def client_job_order_new(request, coop_slug):
    """Post a job order on one of the user's clients' active contracts."""
    client_ids = _my_client_ids(request)
    form = ClientJobOrderForm(request.POST or None, client_ids=client_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = orders.job_order_create(
                contract=data["contract"], classification=data["classification"], site=data["site"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], shift_start=data["shift_start"], shift_end=data["shift_end"],
                weekdays="".join(data["weekdays"]), headcount=data["headcount"], notes=data["notes"], created_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = order.shifts.count()
            messages.success(
                request,
                f"Job order posted: {count} shift{'s' if count != 1 else ''} of {order.classification} from "
                f"{order.starts_on:%b} {order.starts_on.day} to {order.ends_on:%b} {order.ends_on.day}. The co-op staffs it next.",
            )
            return redirect("placements:client_job_order_new", coop_slug=coop_slug)
    context = {"form": form, "has_clients": bool(client_ids)}
    return render(request, "placements/portal/client_job_order_new.html", context, status=400 if form.errors else 200)
