"""The standard holiday list a co-op can start its calendar from, free of models.

The eight days most healthcare CBAs in California recognise (Kaiser Permanente's among them):
New Year's Day, Martin Luther King Jr. Day, Presidents' Day, Memorial Day, Independence Day,
Labor Day, Thanksgiving and Christmas, on their actual dates: a hospital works every day, so
hours worked on the holiday itself earn the premium (no "observed" Friday or Monday).
"""

from datetime import date, timedelta

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def standard_holidays(year: int) -> list[tuple[date, str]]:
    """[(day, name)] of the standard list in `year`, in date order."""
    return [
        (date(year, 1, 1), "New Year's Day"),
        (_nth_weekday(year, 1, MONDAY, 3), "Martin Luther King Jr. Day"),
        (_nth_weekday(year, 2, MONDAY, 3), "Presidents' Day"),
        (_last_weekday(year, 5, MONDAY), "Memorial Day"),
        (date(year, 7, 4), "Independence Day"),
        (_nth_weekday(year, 9, MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 11, THURSDAY, 4), "Thanksgiving Day"),
        (date(year, 12, 25), "Christmas Day"),
    ]
