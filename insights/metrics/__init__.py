"""The figures the co-op lives by (design § 1, "What the co-op measures"): one selector per
figure, each `(cooperative, start, end) -> Figure` with plain rows (workforce, finance and
governance modules; the period helpers and shared reads in base).

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
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from alliedup.models import Cooperative
from insights.figure import FIGURE_TITLES, Figure  # noqa: F401  (read as metrics.FIGURE_TITLES)
from insights.metrics.base import (  # noqa: F401
    EARLIEST, LATEST, MAX_YEARS, add_years, month_label, months, quarter_label, shared_reads, years,
)
from insights.metrics.finance import (  # noqa: F401
    DEFAULT_MARKET_REFERENCE, capital_accounts, finance_by_client, parse_market_reference, patronage, wage_uplift,
)
from insights.metrics.governance import resolution_turnout, turnout
from insights.metrics.workforce import (
    fill_rate, hours_by_classification, members_over_time, placements, placements_by_year, turnover,
)

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
