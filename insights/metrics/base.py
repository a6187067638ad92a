"""What the figure modules share: the limits of a period, cutting it into months, quarters and
years, percent and cent rounding, and the reads several figures of one report share
(`shared_reads`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from alliedup.money import sum_to_cents

MAX_YEARS = 10
# Periods are cut into months, quarters and years and turned into local datetimes; far from
# today that date arithmetic leaves Python's range (year 1 to 9999), so requests stay in here.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)

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
