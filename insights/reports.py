"""The three reports (staff, board, "our co-op"): which figures each shows, each figure's
chart, and the CSV of a report. Pages, exports and the PDF board pack all build on
`report_sections`, so they always show the same numbers."""

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy

from alliedup.money import csv_amount, hours_text, money_text
from insights import charts, metrics
from insights.metrics import Figure

REPORTS = {
    "staff": {
        "title": gettext_lazy("Operations dashboard"),
        "permission": metrics.STAFF,
        "figures": ["placements", "placements_by_year", "fill_rate", "members_over_time", "hours_by_classification", "turnover"],
    },
    "board": {
        "title": gettext_lazy("Board dashboard"),
        "permission": metrics.BOARD,
        "figures": ["finance_by_client", "wage_uplift", "patronage", "capital_accounts", "turnout", "resolution_turnout",
                    "placements_by_year", "turnover"],
    },
    "owner": {
        "title": gettext_lazy("Our co-op"),
        "permission": metrics.OWNER,
        "figures": ["placements", "members_over_time", "patronage", "turnout", "resolution_turnout"],
    },
}


# Columns (by key, in every figure) holding money or hours: pages and the board pack print
# them by alliedup.money's rule ("$1,234.50", "1,234.50"), the CSV with exactly two places.
# Percentages keep their one decimal; counts stay whole.
MONEY_COLUMNS = {"billed", "paid", "margin", "absorbed", "billed_at_pay", "average_wage", "market_reference", "net_earnings",
                 "reserve", "pool", "allocated", "cash", "retained", "equity_paid", "retained_net", "total"}
HOURS_COLUMNS = {"hours"}


@dataclass
class Section:
    figure: Figure
    chart: str  # SVG markup, "" for a figure shown as a table only
    computed_at: datetime | None = None

    @property
    def table(self) -> list[list]:
        return [[row.get(key) for key, _ in self.figure.columns] for row in self.figure.rows]

    @property
    def definition(self) -> str:
        """The definition in the reader's language where it is translated ("our co-op" figures)."""
        msgid = metrics.TRANSLATED_DEFINITIONS.get(self.figure.name)
        return gettext(msgid) if msgid else self.figure.definition

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Cells as (text, is a number) for the page: "—" for no value."""
        keys = [key for key, _ in self.figure.columns]
        return [
            [(_display(key, v) or "—", isinstance(v, (int, Decimal)) and not isinstance(v, bool)) for key, v in zip(keys, row)]
            for row in self.table
        ]

    @property
    def csv_rows(self) -> list[list[str]]:
        keys = [key for key, _ in self.figure.columns]
        return [[_csv_cell(key, v) for key, v in zip(keys, row)] for row in self.table]


def _desc(figure: Figure, what: str) -> str:
    return gettext("%(what)s, %(start)s to %(end)s. The table after the chart lists the same numbers.") % {
        "what": what, "start": date_format(figure.start, gettext("F j, Y")), "end": date_format(figure.end, gettext("F j, Y"))}


def chart_for(figure: Figure) -> str:
    """The chart of a figure (SVG), "" when a table says it better."""
    f, cid = figure, f"chart-{figure.name.replace('_', '-')}"
    if f.name == "placements":
        return charts.bar_chart(cid, f.title, _desc(f, gettext("Bar chart of placements per month")),
                                [(r["period"], r["placements"]) for r in f.rows], gettext("placements"))
    if f.name == "placements_by_year":
        return charts.bar_chart(cid, f.title, _desc(f, f"Bar chart of placements per year (goal {f.extra['goal']:,} a year)"),
                                [(str(r["year"]), r["placements"]) for r in f.rows], "placements")
    if f.name == "fill_rate":
        return charts.line_chart(cid, f.title, _desc(f, "Line chart of the fill rate per month, in percent"),
                                 [r["period"] for r in f.rows], [("Fill rate %", [r["fill_rate"] for r in f.rows])], "%")
    if f.name == "members_over_time":
        labels = [r["period"] for r in f.rows]
        what = gettext("Line chart of active workers, candidates and worker-owners at each month end")
        return charts.line_chart(cid, f.title, _desc(f, what),
                                 labels, [(gettext("Active"), [r["active_workers"] for r in f.rows]),
                                          (gettext("Candidates"), [r["candidates"] for r in f.rows]),
                                          (gettext("Owners"), [r["owners"] for r in f.rows])], gettext("people"))
    if f.name == "hours_by_classification":
        totals: dict[str, object] = {}
        for r in f.rows:
            totals[r["classification_name"]] = totals.get(r["classification_name"], 0) + r["hours"]
        return charts.bar_chart(cid, f.title, _desc(f, "Bar chart of hours worked per classification over the period"),
                                list(totals.items()), "hours")
    if f.name == "finance_by_client":
        quarters: dict[str, object] = {}
        for r in f.rows:
            quarters[r["quarter"]] = quarters.get(r["quarter"], 0) + r["margin"]
        return charts.bar_chart(cid, "Margin per quarter, all clients", _desc(f, "Bar chart of the margin (billed less wages paid) per quarter"),
                                list(quarters.items()), "$")
    if f.name == "wage_uplift":
        return charts.bar_chart(cid, f.title, _desc(f, "Bar chart of the average hourly wage per classification"),
                                [(r["classification"].upper(), r["average_wage"]) for r in f.rows], "$ per hour")
    if f.name == "turnout":
        return charts.bar_chart(cid, f.title, _desc(f, gettext("Bar chart of turnout per closed election, in percent")),
                                [(f"{r['closed_on']:%Y-%m}", r["percent"]) for r in f.rows], "%")
    if f.name == "resolution_turnout":
        return charts.bar_chart(cid, f.title, _desc(f, gettext("Bar chart of turnout per counted resolution, in percent")),
                                [(f"{r['closed_on']:%Y-%m}", r["percent"]) for r in f.rows], "%")
    return ""


def _options_for(report: str, options: dict) -> dict:
    """The options as the figures and the cache key see them: the market reference for a
    report with the wage uplift (given, else the default the board page sends for an empty
    field), nothing for the others; so a page and warm_reports name the same entry."""
    if "wage_uplift" not in REPORTS[report]["figures"]:
        return {}
    market = options.get("market_reference")
    return {"market_reference": dict(sorted((metrics.DEFAULT_MARKET_REFERENCE if market is None else market).items()))}


def cache_key(cooperative, report: str, start: date, end: date, options: dict, language: str | None) -> str:
    """`insights:<co-op id>:<report>:<digest of the period, options and language>`: every key
    names its co-op first, so no co-op can be served another's figures and one co-op's
    entries can be found alone."""
    digest = hashlib.sha256(repr((start, end, sorted(options.items()), language)).encode()).hexdigest()
    return f"insights:{cooperative.pk}:{report}:{digest}"


def _sections(figures: list[Figure], computed_at: datetime) -> list[Section]:
    """The figures with their charts, in the active language."""
    return [Section(fig, mark_safe(chart_for(fig)), computed_at) for fig in figures]


def report_sections(cooperative, report: str, start: date, end: date, **options) -> list[Section]:
    """The report's figures over the period, each with its chart, cached per co-op, report,
    period, options and language (charts hold words) for settings.INSIGHTS_CACHE_SECONDS (the
    page says when they were computed); warm_reports keeps the default period's in the cache.
    Raises ValidationError for a bad period (metrics.validate_request)."""
    metrics.validate_request(start, end)
    options = _options_for(report, options)
    seconds = settings.INSIGHTS_CACHE_SECONDS
    key = cache_key(cooperative, report, start, end, options, get_language())
    if seconds:
        cached = cache.get(key)
        if cached is not None:
            return cached
    computed_at = timezone.now()
    with metrics.shared_reads():
        figures = [metrics.figure_data(cooperative, name, start, end, **options) for name in REPORTS[report]["figures"]]
    sections = _sections(figures, computed_at)
    if seconds:
        cache.set(key, sections, seconds)
    return sections


def warm_reports(cooperative, today: date) -> int:
    """Compute every report's figures (staff, board, "our co-op") for the period its page opens
    with (this year to `today`, the co-op's day; default options) and store them in the cache
    in every language of settings.LANGUAGES, each figure computed once. Written for
    INSIGHTS_CACHE_SECONDS + INSIGHTS_WARM_SECONDS: the beat runs this every
    INSIGHTS_WARM_SECONDS (shorter), so each entry is replaced before it expires even when a
    run waits in the queue, and a visitor opening a dashboard never meets a cold cache.
    Returns how many entries were written: 0 when the cache is off (pages would not read them)."""
    if not settings.INSIGHTS_CACHE_SECONDS:
        return 0
    timeout = settings.INSIGHTS_CACHE_SECONDS + settings.INSIGHTS_WARM_SECONDS
    start, end = metrics.default_period(cooperative, today)
    computed: dict[str, Figure] = {}  # reports share figures (placements, turnover…): each is computed once
    written = 0
    for report, spec in REPORTS.items():
        options = _options_for(report, {})  # only the board's wage uplift takes one
        figures = []
        with metrics.shared_reads():
            for name in spec["figures"]:
                if name not in computed:
                    computed[name] = metrics.figure_data(cooperative, name, start, end, **options)
                figures.append(computed[name])
        computed_at = timezone.now()
        for language, _ in settings.LANGUAGES:
            with translation.override(language):
                cache.set(cache_key(cooperative, report, start, end, options, language), _sections(figures, computed_at), timeout)
            written += 1
    return written


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _is_amount(key: str, value) -> bool:
    return (key in MONEY_COLUMNS or key in HOURS_COLUMNS) and isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _display(key: str, value) -> str:
    """A cell on the page, in the reader's language (the CSV keeps English: _cell)."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key in ("status", "outcome") and isinstance(value, str):
        return gettext(value)  # metrics.ROW_WORDS
    if not _is_amount(key, value):
        return _cell(value)
    return money_text(value) if key in MONEY_COLUMNS else hours_text(value)


def _csv_cell(key: str, value) -> str:
    return csv_amount(value) if _is_amount(key, value) else _cell(value)


def report_csv(sections: list[Section]) -> str:
    """One block per figure: a header row ("figure", its columns' keys), then its rows with
    the figure's name first; a blank line between blocks. Dates ISO; money and hours with exactly
    two places and no separators (alliedup.money.csv_amount)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, section in enumerate(sections):
        if i:
            writer.writerow([])
        writer.writerow(["figure"] + [key for key, _ in section.figure.columns])
        for row in section.csv_rows:
            writer.writerow([section.figure.name] + row)
    return out.getvalue()
