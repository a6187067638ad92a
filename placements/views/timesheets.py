"""The timesheet queue for staff: filters, paging, approving and disputing on a client's behalf."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from alliedup.permissions import permission_required_in_coop
from placements import selectors
from placements.forms import (
    DisputeForm,
    TimesheetQueueFilterForm,
)
from placements.models import Timesheet
from placements.services import timesheets as timesheet_services
from placements.views.base import CountedPaginator, is_fragment, varies_on_htmx

QUEUE_PAGE_SIZE = 50


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
    template = "placements/staff/_timesheet_queue.html" if is_fragment(request) else "placements/staff/timesheets.html"
    return varies_on_htmx(render(request, template, context))


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
