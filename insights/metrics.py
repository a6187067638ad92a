"""The figures the co-op lives by (design § 1, "What the co-op measures"): one selector per
figure, each `(cooperative, start, end) -> Figure` with plain rows (the governance figures,
election and resolution turnout, in insights.metrics_governance).

Common rules (every docstring below relies on them):
- The period is the co-op's calendar days `start` to `end`, both included. Dates stored as
  dates (workdays, effective dates) are already the co-op's days. Moments (a shift's start, an
  election's close) are cut into days in the co-op's time zone (`Cooperative.zone`), so a
  night shift starting 23:30 on June 30 in Los Angeles is a June placement.
- Months and quarters are calendar ones, clipped to the period (a period ending June 15
  makes "2026-06" mean June 1–15).
- Every selector runs a fixed number of queries whatever the amount of data (aggregates
  in SQL, or one read of a small history), inside the co-op's scope; the scoped managers
  and an explicit `cooperative=` filter keep other co-ops' rows out.
- A selector's docstring is its definition: pages, the API and docs/insights.md show it.
"""

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, gettext_noop

from alliedup.models import Cooperative
from alliedup.money import sum_to_cents
# Shared with insights.metrics_governance, below both; FIGURE_TITLES is still read here (insights.api, tests).
from insights.figure import FIGURE_TITLES, Figure, local_window, make_figure  # noqa: F401
from insights.metrics_governance import resolution_turnout, turnout  # the governance figures, in their own module
from members.choices import MemberStatus
from members.selectors import StatusHistory, equity_paid_in_by_year, monthly_hours_by_classification
from patronage.selectors import capital_by_year, decided_allocation_totals
from payroll.selectors import regular_pay_by_classification, wages_by_client_and_quarter
from placements.selectors import billed_by_client_and_quarter, placement_counts, shift_fill_counts

ZERO = Decimal("0.00")
MAX_YEARS = 10
# Periods are cut into months, quarters and years and turned into local datetimes; far from
# today that date arithmetic leaves Python's range (year 1 to 9999), so requests stay in here.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
# The case study's reference: a medical assistant earns $17.50 an hour at other agencies.
DEFAULT_MARKET_REFERENCE = {"ma": Decimal("17.50")}


# Period helpers ----------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 → February 28
        return day.replace(year=day.year + years, day=28)


def months(start: date, end: date) -> list[tuple[date, date]]:
    """(first day, last day) of each calendar month overlapping [start, end], clipped to it."""
    out = []
    first = start.replace(day=1)
    while first <= end:
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        out.append((max(first, start), min(nxt - timedelta(days=1), end)))
        first = nxt
    return out


def years(start: date, end: date) -> list[tuple[date, date]]:
    return [(max(date(y, 1, 1), start), min(date(y, 12, 31), end)) for y in range(start.year, end.year + 1)]


def month_label(day: date) -> str:
    return f"{day:%Y-%m}"


def quarter_label(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _percent(part, whole, places="0.1") -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# An SQL Sum of a two-place column (money or hours), exact on every database.
_money = _hours = sum_to_cents


# Reads several figures of one report share ---------------------------------------------------

_shared: ContextVar[dict | None] = ContextVar("insights_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Inside it, figures computed for the same co-op and period share their common reads
    (the placements per month behind both placement figures, the status history behind
    members over time and turnover) instead of running them again: a report computes each
    once. Outside it every figure reads for itself."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _once(key: tuple, read):
    memo = _shared.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


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
    rows = []
    for _, last in months(start, end):
        counts = history.counts_on(last)
        rows.append({
            "period": month_label(last), "on": last,
            "active_workers": sum(n for s, n in counts.items() if s != MemberStatus.WITHDRAWN),
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
    rows = []
    for first, last in years(start, end):
        heads = [history.employed_on(m_first) for m_first, _ in months(first, last)]
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


# Money -------------------------------------------------------------------------------------


def finance_by_client(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Per client and quarter (of the workday): billed = invoice lines of issued or paid
    invoices (drafts and void invoices are not revenue); paid = every pay line of final
    (approved or exported) pay runs that comes from the client's timesheets (straight time,
    differentials, overtime premiums); margin = billed − paid; absorbed = the wage-floor
    differential the co-op paid out of margin because the bill rate was below the CBA wage
    (PayLine.absorbed); billed at pay = what the pay lines say those hours bill
    (PayLine.bill_amount, the wage-floor report's figure, billed or not yet). Pay not tied to
    a client (sick leave, adjustments) is not in any row. Two queries."""
    table: dict[tuple[date, int], dict] = {}

    def row(quarter, client_id, name):
        key = (_day(quarter), client_id)
        if key not in table:
            table[key] = {"quarter": quarter_label(_day(quarter)), "client": name, "billed": ZERO, "paid": ZERO,
                          "absorbed": ZERO, "billed_at_pay": ZERO}
        return table[key]

    for r in billed_by_client_and_quarter(cooperative, start, end):
        row(r["quarter"], r["client_id"], r["client_name"])["billed"] = _money(r["billed"])
    for r in wages_by_client_and_quarter(cooperative, start, end):
        target = row(r["quarter"], r["client_id"], r["client_name"])
        target.update(paid=_money(r["paid"]), absorbed=_money(r["absorbed"]), billed_at_pay=_money(r["billed_at_pay"]))
    rows = [table[k] for k in sorted(table, key=lambda k: (k[0], table[k]["client"]))]
    for r in rows:
        r["margin"] = r["billed"] - r["paid"]
    return make_figure(finance_by_client, cooperative, start, end,
                       [("quarter", "Quarter"), ("client", "Client"), ("billed", "Billed"), ("paid", "Wages paid"),
                        ("margin", "Margin"), ("absorbed", "Absorbed differential"), ("billed_at_pay", "Billed at pay")], rows)


def parse_market_reference(value) -> dict[str, Decimal]:
    """`"ma:17.50, cna:19"` (or a list of such strings) → {"ma": Decimal("17.50"), …}.
    Empty → the case study's default (MA $17.50). Raises ValidationError on a bad entry."""
    parts = []
    for item in ([value] if isinstance(value, str) else list(value or [])):
        parts += [p.strip() for p in str(item).split(",") if p.strip()]
    if not parts:
        return dict(DEFAULT_MARKET_REFERENCE)
    out = {}
    for part in parts:
        code, sep, amount = part.partition(":")
        try:  # to the cent first: a rate too large to carry cents, or under half a cent, is refused too
            rate = Decimal(amount.strip()).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            rate = None
        if not sep or not code.strip() or rate is None or not rate.is_finite() or rate <= 0:
            raise ValidationError({"market_reference": f"{part!r} is not code:hourly rate, e.g. ma:17.50."})
        out[code.strip().lower()] = rate
    return out


def wage_uplift(cooperative: Cooperative, start: date, end: date, market_reference: dict[str, Decimal] | None = None) -> Figure:
    """Average wage per job classification = the amount ÷ the hours of regular (REG) pay
    lines of final pay runs with workdays in the period, to the cent (straight time at the
    CBA wage; differentials and overtime premiums are not in it). Uplift = (average wage −
    market reference) ÷ market reference × 100, one decimal. The market reference is what
    other agencies pay for the classification; the platform has no record of it, so it is
    given with the request (`market_reference=ma:17.50,cna:19.00`), by default the case
    study's $17.50 for a medical assistant ("ma"). One query."""
    reference = DEFAULT_MARKET_REFERENCE if market_reference is None else market_reference
    rows = []
    for r in regular_pay_by_classification(cooperative, start, end):
        if not r["hours"]:
            continue
        average = (r["amount"] / r["hours"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        market = reference.get(r["classification_code"])
        rows.append({"classification": r["classification_code"], "classification_name": r["classification_name"],
                     "hours": _hours(r["hours"]), "average_wage": average, "market_reference": market,
                     "uplift": _percent(average - market, market) if market else None})
    return make_figure(wage_uplift, cooperative, start, end,
                       [("classification", "Code"), ("classification_name", "Classification"), ("hours", "Hours"),
                        ("average_wage", "Average wage"), ("market_reference", "Market reference"), ("uplift", "Uplift %")],
                       rows, market_reference=reference)


def patronage(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Patronage allocated per fiscal year ending in the period: allocations approved,
    issued or cash paid (drafts are not decided): net earnings, the collective reserve, the
    pool shared, the number of members with a line and the sum of their lines (allocated =
    cash + retained). Totals only, never a member's share. One query."""
    rows = [
        {"fiscal_year_end": r["fiscal_year_ends_on"], "status": r["status_label"], "net_earnings": r["net_earnings"],
         "reserve": r["reserve"], "pool": r["pool"], "members": r["members"], "allocated": _money(r["allocated"]),
         "cash": _money(r["cash"]), "retained": _money(r["retained"])}
        for r in decided_allocation_totals(cooperative, start, end)
    ]
    return make_figure(patronage, cooperative, start, end,
                       [("fiscal_year_end", gettext_lazy("Fiscal year ends")), ("status", gettext_lazy("Status")),
                        ("net_earnings", gettext_lazy("Net earnings")), ("reserve", gettext_lazy("Reserve")),
                        ("pool", gettext_lazy("Pool")), ("members", gettext_lazy("Members")),
                        ("allocated", gettext_lazy("Allocated")), ("cash", gettext_lazy("Cash")),
                        ("retained", gettext_lazy("Retained"))], rows)


def capital_accounts(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Members' capital accounts, all members together, at each calendar year end (the
    period's end for its last year): equity paid in (the members equity ledger: payments
    and payroll deductions less their reversals; waivers are forgiven, not paid; less the
    equity repaid on exit) + the capital account ledger (retained patronage − allocated
    losses − redemptions of it), every entry effective on or before that day. Two queries."""
    equity = equity_paid_in_by_year(cooperative, end)
    # An exit's repayment of the equity buy-in is a redemption entry of the capital ledger
    # (patronage): it lowers the equity column, not the retained patronage.
    capital, equity_repaid = {}, {}
    for year, retained, repaid in capital_by_year(cooperative, end):
        capital[year], equity_repaid[year] = retained or ZERO, repaid or ZERO
    for year, repaid in equity_repaid.items():
        equity[year] = equity.get(year, ZERO) + repaid  # repaid is negative

    def upto(totals, year):
        return sum((v for y, v in totals.items() if y <= year), ZERO)

    # Both sums stop at `end`, so the last year's total is at the period's end and every
    # earlier year's at December 31.
    rows = []
    for _, last in years(start, end):
        eq, cap = _money(upto(equity, last.year)), _money(upto(capital, last.year))
        rows.append({"year": last.year, "on": last, "equity_paid": eq, "retained_net": cap, "total": eq + cap})
    return make_figure(capital_accounts, cooperative, start, end,
                       [("year", "Year"), ("on", "On"), ("equity_paid", "Equity paid in"), ("retained_net", "Retained patronage, net"),
                        ("total", "Capital accounts total")], rows)


# Registry and validation (each figure's title: insights.figure.FIGURE_TITLES) ---------------

FIGURES = {
    fn.__name__: fn
    for fn in (placements, placements_by_year, fill_rate, members_over_time, turnover, hours_by_classification,
               finance_by_client, wage_uplift, patronage, capital_accounts, turnout, resolution_turnout)
}

# Who may read each figure (permission names of alliedup.permissions): staff run operations,
# the board reads money and governance, worker-owners see the co-op's aggregate figures.
STAFF, BOARD, OWNER = "insights.staff", "insights.board", "insights.owner"
FIGURE_PERMISSIONS = {
    "placements": (STAFF, BOARD, OWNER),
    "placements_by_year": (STAFF, BOARD, OWNER),
    "fill_rate": (STAFF,),
    "members_over_time": (STAFF, BOARD, OWNER),
    "turnover": (STAFF, BOARD),
    "hours_by_classification": (STAFF,),
    "finance_by_client": (BOARD,),
    "wage_uplift": (BOARD,),
    "patronage": (BOARD, OWNER),
    "capital_accounts": (BOARD,),
    "turnout": (BOARD, OWNER),
    "resolution_turnout": (BOARD, OWNER),
}


# The "Our co-op" page in the reader's language (docs/architecture.md "Languages"): its figures'
# definitions as msgids (makemessages cannot read a docstring; tests/insights/test_spanish_page.py
# keeps each equal to its docstring) and the words its rows hold. Figures, the API and CSVs stay English.
TRANSLATED_DEFINITIONS = {
    "placements": gettext_noop(
        "Placements per month. A placement is an assignment whose shift was completed: its\n"
        "timesheet is approved (submitted, disputed or missing timesheets do not count; a\n"
        "cancelled or no-show assignment has none). It falls in the month of the shift's start,\n"
        "in the co-op's time zone. Every month of the period is listed, with 0 when there were\n"
        "none. One query."
    ),
    "members_over_time": gettext_noop(
        "Active workers, candidates and worker-owners at each month end, from the status\n"
        "history, so a past month shows who was what then (not today's statuses). The month end\n"
        "is the month's last day, or the period's end for its last month. Active workers =\n"
        "employed that day (employee, candidate, worker-owner or lapsed owner; not withdrawn);\n"
        "candidates = in a candidacy (status candidate); worker-owners = status owner (a lapsed\n"
        "owner is not one until ownership is regained). A worker's status on a day is set by\n"
        "their last status change effective on or before it; a worker with no history counts as\n"
        "an employee from the hire date (and an owner from `owner_since`). Two queries."
    ),
    "patronage": gettext_noop(
        "Patronage allocated per fiscal year ending in the period: allocations approved,\n"
        "issued or cash paid (drafts are not decided): net earnings, the collective reserve, the\n"
        "pool shared, the number of members with a line and the sum of their lines (allocated =\n"
        "cash + retained). Totals only, never a member's share. One query."
    ),
    "turnout": gettext_noop(
        "Turnout of each closed (counted or certified) election whose voting closed in the\n"
        "period (in the co-op's time zone): on the roll, voted, percent = voted ÷ on the roll ×\n"
        "100 to two decimals (an exact half goes to the even digit: 1 of 800 is 0.12), and\n"
        "whether the quorum was met (the unrounded share ≥ the election's quorum), the same\n"
        "definition as governance.selectors.turnout, for all elections in one query."
    ),
    "resolution_turnout": gettext_noop(
        "Turnout of each resolution put to the worker-owners that was counted (closed or\n"
        "certified; drafts and open votes are not here) and whose voting closed in the period (in\n"
        "the co-op's time zone). On the roll = the voter roll fixed when voting opened (the\n"
        "worker-owners in good standing on the record date); ballots cast = the voters on that\n"
        "roll who voted (each ballot is cast together with its voter's participation, so the two\n"
        "numbers are equal; which ballot is whose is never known); percent = ballots cast ÷ on\n"
        "the roll × 100 to two decimals, an exact half going to the even digit (7 of 10 is 70.00,\n"
        "1 of 800 is 0.12), 0 for an empty roll; quorum met = the unrounded share ≥ the\n"
        "resolution's quorum; outcome = the count's: adopted, or not adopted (also when the\n"
        "quorum was not met). The same definition as governance.selectors.turnout, for all\n"
        "resolutions in one query. Counts only, never a ballot."
    ),
}
ROW_WORDS = (gettext_noop("Approved"), gettext_noop("Issued"), gettext_noop("Cash paid"), gettext_noop("Adopted"),
             gettext_noop("Not adopted"))

def definition(name: str) -> str:
    return inspect.getdoc(FIGURES[name])


def validate_request(start: date | None, end: date | None, figure: str | None = None) -> None:
    """The one check of what a page, an export or the API asks for. Raises ValidationError
    for a missing date, a date outside EARLIEST–LATEST, an end before the start, a period of
    more than 10 years, or a figure name this module does not define."""
    errors = {}
    if figure is not None and figure not in FIGURES:
        errors["figure"] = f"Unknown figure {figure!r}. Known figures: {', '.join(FIGURES)}."
    if start is None or end is None:
        errors["start" if start is None else "end"] = "Give both a start and an end date (YYYY-MM-DD)."
    elif not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
        errors["start" if not EARLIEST <= start <= LATEST else "end"] = (
            f"Choose dates from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}."
        )
    elif end < start:
        errors["end"] = f"The end ({end:%Y-%m-%d}) is before the start ({start:%Y-%m-%d})."
    elif end >= add_years(start, MAX_YEARS):
        errors["end"] = f"A period may be at most {MAX_YEARS} years; {start:%Y-%m-%d} to {end:%Y-%m-%d} is longer."
    if errors:
        raise ValidationError(errors)


def default_period(cooperative: Cooperative, today: date | None = None) -> tuple[date, date]:
    """This calendar year so far, in the co-op's time zone (`today`: the co-op's day, by
    default `Cooperative.today()`)."""
    today = today or cooperative.today()
    return today.replace(month=1, day=1), today


def figure_data(cooperative: Cooperative, name: str, start: date, end: date, **options) -> Figure:
    """The named figure over the period, after validate_request."""
    validate_request(start, end, name)
    if name == "wage_uplift":
        return wage_uplift(cooperative, start, end, options.get("market_reference"))
    return FIGURES[name](cooperative, start, end)
