"""The fill board: the next days' shifts by day, paged, with credential warnings; suggesting
workers for a shift and assigning one."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alliedup.permissions import permission_required_in_coop
from members.selectors import credentials_expiring, worker_by_uuid
from placements import selectors
from placements.forms import AssignForm
from placements.models import Assignment
from placements.selectors.shift_changes import reopened_by_drop, shift_changes_waiting
from placements.services import matching
from placements.views.base import (
    BOARD_DAYS,
    CountedPaginator,
    is_fragment,
    shifts_with_client,
    varies_on_htmx,
)

BOARD_PAGE_SIZE = selectors.BOARD_PAGE_SIZE


CREDENTIAL_WARNING_DAYS = 30


SUGGESTIONS = 5


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
    if is_fragment(request) and "day" in request.GET:
        if asked is None:
            raise Http404("That day is not on the board.")
        entry = _board_entries(request, [selectors.board_day(coop, asked)], [asked])[0]
        context = {"entry": entry, "board_url": reverse("placements:fill_board", args=[coop_slug])}
        return varies_on_htmx(render(request, "placements/staff/_board_day.html", context))

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
    return varies_on_htmx(render(request, "placements/staff/fill_board.html", context))


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
    shift = get_object_or_404(shifts_with_client(), uuid=shift_uuid)
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
    shift = get_object_or_404(shifts_with_client(), uuid=shift_uuid)
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
