"""The standard holiday list a co-op can start its calendar from, free of models.

The eight days most healthcare CBAs in California recognise (Kaiser Permanente's among them):
New Year's Day, Martin Luther King Jr. Day, Presidents' Day, Memorial Day, Independence Day,
Labor Day, Thanksgiving and Christmas, on their actual dates: a hospital works every day, so
hours worked on the holiday itself earn the premium (no "observed" Friday or Monday).
"""

from datetime import date, timedelta

from django.utils.translation import gettext_noop

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def standard_holidays(year: int) -> list[tuple[date, str]]:
    """[(day, name)] of the standard list in `year`, in date order. The names are stored in
    English; the worker portal shows these ones translated (gettext_noop puts them in the catalogue)."""
    return [
        (date(year, 1, 1), gettext_noop("New Year's Day")),
        (_nth_weekday(year, 1, MONDAY, 3), gettext_noop("Martin Luther King Jr. Day")),
        (_nth_weekday(year, 2, MONDAY, 3), gettext_noop("Presidents' Day")),
        (_last_weekday(year, 5, MONDAY), gettext_noop("Memorial Day")),
        (date(year, 7, 4), gettext_noop("Independence Day")),
        (_nth_weekday(year, 9, MONDAY, 1), gettext_noop("Labor Day")),
        (_nth_weekday(year, 11, THURSDAY, 4), gettext_noop("Thanksgiving Day")),
        (date(year, 12, 25), gettext_noop("Christmas Day")),
    ]
