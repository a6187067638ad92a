"""What every figure is made of (insights.metrics and insights.metrics.governance): the
Figure, its title, and a period as moments of the co-op's time zone. Below both modules, so
the governance figures need nothing of insights.metrics, which registers them."""

import inspect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext_lazy

from alliedup.models import Cooperative


@dataclass
class Figure:
    """One figure over a period: its rows (dicts keyed by `columns`) and anything else a
    chart needs (`extra`, e.g. the placements goal)."""

    name: str
    title: str
    definition: str
    start: date
    end: date
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict]
    extra: dict = field(default_factory=dict)


FIGURE_TITLES = {
    "placements": gettext_lazy("Placements per month"),
    "placements_by_year": gettext_lazy("Placements per year against the goal"),
    "fill_rate": gettext_lazy("Fill rate"),
    "members_over_time": gettext_lazy("Active workers, candidates and worker-owners"),
    "turnover": gettext_lazy("Annual worker turnover"),
    "hours_by_classification": gettext_lazy("Hours worked by classification"),
    "finance_by_client": gettext_lazy("Billed, paid, margin and absorbed differential by client and quarter"),
    "wage_uplift": gettext_lazy("Average wage against the market"),
    "patronage": gettext_lazy("Patronage allocated"),
    "capital_accounts": gettext_lazy("Capital accounts"),
    "turnout": gettext_lazy("Election turnout"),
    "resolution_turnout": gettext_lazy("Resolution turnout"),
}


def local_window(cooperative: Cooperative, start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the co-op's zone, as aware datetimes."""
    zone = cooperative.zone
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)


def make_figure(fn, cooperative, start, end, columns, rows, **extra) -> Figure:
    """The figure computed by `fn`: named after it, titled by FIGURE_TITLES, defined by its docstring."""
    name = fn.__name__
    return Figure(name, FIGURE_TITLES[name], inspect.getdoc(fn), start, end, columns, rows, extra)
