"""Workforce figures: placements, the fill rate, members over time, turnover and hours by
classification (the common rules: insights.metrics)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

from alliedup.models import Cooperative
from insights.figure import Figure, local_window, make_figure
from insights.metrics.base import _day, _hours, _once, _percent, month_label, months, years
from members.choices import MemberStatus
from members.selectors import StatusHistory, employed, monthly_hours_by_classification
from placements.selectors import placement_counts, shift_fill_counts


def _placements_per_month(cooperative: Cooperative, start: date, end: date) -> dict[date, int]:
    """{first day of the month: placements} (see placements), one query."""
    return _once(("placements", cooperative.pk, start, end), lambda: {
        _day(r["month"]): r["n"] for r in placement_counts(cooperative, *local_window(cooperative, start, end), per="month")})


def _status_history(cooperative: Cooperative, end: date) -> StatusHistory:
    return _once(("status_history", cooperative.pk, end), lambda: StatusHistory(cooperative, end))


# Placements --------------------------------------------------------------------------------


def placements(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Placements per month. A placement is an assignment whose shift was completed: its
    timesheet is approved (submitted, disputed or missing timesheets do not count; a
    cancelled or no-show assignment has none). It falls in the month of the shift's start,
    in the co-op's time zone. Every month of the period is listed, with 0 when there were
    none. One query."""
    counts = _placements_per_month(cooperative, start, end)
    rows = [{"period": month_label(first), "placements": counts.get(first.replace(day=1), 0)} for first, _ in months(start, end)]
    return make_figure(placements, cooperative, start, end,
                       [("period", gettext_lazy("Month")), ("placements", gettext_lazy("Placements"))], rows)


def placements_by_year(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Placements per calendar year (as defined for placements per month) against the co-op's
    goal, `Cooperative.placements_goal_per_year`: share of goal = placements ÷ goal × 100.
    A year only partly inside the period counts only the placements inside it, against the
    whole year's goal (it is not pro-rated). One query."""
    # The placements per month summed by year: a report showing both figures reads them once.
    counts: dict[int, int] = {}
    for month, n in _placements_per_month(cooperative, start, end).items():
        counts[month.year] = counts.get(month.year, 0) + n
    goal = cooperative.placements_goal_per_year
    rows = [
        {"year": first.year, "placements": counts.get(first.year, 0), "goal": goal,
         "percent_of_goal": _percent(counts.get(first.year, 0), goal)}
        for first, _ in years(start, end)
    ]
    return make_figure(placements_by_year, cooperative, start, end,
                       [("year", "Year"), ("placements", "Placements"), ("goal", "Goal"), ("percent_of_goal", "% of goal")], rows,
                       goal=goal)


def fill_rate(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Fill rate per month = shifts filled or completed ÷ shifts requested × 100, one
    decimal. Requested = every shift (one position of a job order) starting in the month in
    the co-op's time zone, except cancelled ones: a shift the client cancelled was never to
    be filled, so it counts in neither number. A shift still open (also one in the past
    nobody worked) is requested and not filled. A month with no requested shift has no rate.
    One query."""
    data = {_day(r["month"]): r for r in shift_fill_counts(cooperative, *local_window(cooperative, start, end))}
    rows = []
    for month_first, _ in months(start, end):
        r = data.get(month_first.replace(day=1), {"requested": 0, "filled": 0})
        rows.append({"period": month_label(month_first), "requested": r["requested"], "filled": r["filled"],
                     "fill_rate": _percent(r["filled"], r["requested"])})
    return make_figure(fill_rate, cooperative, start, end,
                       [("period", "Month"), ("requested", "Shifts requested"), ("filled", "Filled or completed"), ("fill_rate", "Fill rate %")],
                       rows)


# Members: status history (members.selectors.StatusHistory) ----------------------------------


def members_over_time(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Active workers, candidates and worker-owners at each month end, from the status
    history, so a past month shows who was what then (not today's statuses). The month end
    is the month's last day, or the period's end for its last month. Active workers =
    employed that day (employee, candidate, worker-owner or lapsed owner; not withdrawn);
    candidates = in a candidacy (status candidate); worker-owners = status owner (a lapsed
    owner is not one until ownership is regained). A worker's status on a day is set by
    their last status change effective on or before it; a worker with no history counts as
    an employee from the hire date (and an owner from `owner_since`). Two queries."""
    history = _status_history(cooperative, end)
    month_ends = [last for _, last in months(start, end)]
    by_day = history.counts_on_days(month_ends)
    rows = []
    for last in month_ends:
        counts = by_day[last]
        rows.append({
            "period": month_label(last), "on": last,
            "active_workers": employed(counts),
            "candidates": counts.get(MemberStatus.CANDIDATE, 0), "owners": counts.get(MemberStatus.OWNER, 0),
        })
    return make_figure(members_over_time, cooperative, start, end,
                       [("period", gettext_lazy("Month")), ("on", gettext_lazy("Counted on")),
                        ("active_workers", gettext_lazy("Active workers")), ("candidates", gettext_lazy("Candidates")),
                        ("owners", gettext_lazy("Worker-owners"))], rows)


def turnover(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Annual worker turnover per calendar year = separations ÷ average headcount × 100,
    one decimal. Separations = status changes to withdrawn effective in the year (within the
    period): each exit counts, so someone rehired and leaving again counts twice.
    (`Worker.is_active` carries no date, so only dated exits count; every exit in the
    platform goes through the withdrawn status.) Average headcount = the mean number of
    employed workers (any status but withdrawn, from the status history as in "active
    workers") on the first day of each month of the year inside the period (the period's
    first day for a month it starts in the middle of). A year only partly inside the period
    gives the turnover of that part, not annualised. No headcount, no rate. Two queries."""
    # The status history is read once for a report that also shows members over time.
    history = _status_history(cooperative, end)
    periods = [(first, last, [m_first for m_first, _ in months(first, last)]) for first, last in years(start, end)]
    employed = history.employed_on_days(day for _, _, firsts in periods for day in firsts)
    rows = []
    for first, last, firsts in periods:
        heads = [employed[day] for day in firsts]
        average = (Decimal(sum(heads)) / len(heads)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        separations = history.withdrawals_between(first, last)
        rows.append({"year": first.year, "from": first, "to": last, "separations": separations,
                     "average_headcount": average, "turnover": _percent(separations, average)})
    return make_figure(turnover, cooperative, start, end,
                       [("year", "Year"), ("from", "From"), ("to", "To"), ("separations", "Separations"),
                        ("average_headcount", "Average headcount"), ("turnover", "Turnover %")], rows)


def hours_by_classification(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Hours worked per month and job classification: the sum of the hours ledger
    (HoursEntry) by workday, reversing entries included (so corrected hours count once).
    Paid leave is not in the ledger, so it is not here, nor are roster imports' opening
    balances (months of earlier hours on one date). Months without hours have no row.
    One query."""
    rows = [
        {"period": month_label(r["month"]), "classification": r["classification_code"],
         "classification_name": r["classification_name"], "hours": _hours(r["hours"])}
        for r in monthly_hours_by_classification(cooperative, start, end)
    ]
    return make_figure(hours_by_classification, cooperative, start, end,
                       [("period", "Month"), ("classification", "Code"), ("classification_name", "Classification"), ("hours", "Hours")], rows)
