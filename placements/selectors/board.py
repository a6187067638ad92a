"""The fill board: the next days' shifts, filled and open, per local day, paged when a day has
more rows than a page renders quickly."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from placements.models import Shift
from worktime.selectors import holidays_between

BOARD_DAYS = 14


# Rows the fill board renders at once (about 1 ms each): a day with more is paged.
BOARD_PAGE_SIZE = 50


# A filled shift stays filled once worked: it counts toward the fill rate too.
FILLED = (Shift.Status.FILLED, Shift.Status.COMPLETED)


@dataclass(frozen=True)
class BoardDay:
    """A day of the fill board (a date in the co-op's zone): its open shifts and its filled
    ones (a completed shift was filled)."""

    day: date
    open: int
    filled: int
    holiday: str = ""  # the co-op's holiday on that day: shifts bill and pay holiday rates

    @property
    def fill_rate(self) -> int | None:
        total = self.open + self.filled
        return round(100 * self.filled / total) if total else None


def local_midnight(day: date, zone) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _board_counts(cooperative, start: datetime, end: datetime) -> dict[date, tuple[int, int]]:
    """{day in the co-op's zone: (open, filled)} of the shifts starting in [start, end)."""
    rows = (
        Shift.objects.filter(cooperative=cooperative, status__in=[Shift.Status.OPEN, *FILLED], starts_at__gte=start, starts_at__lt=end)
        .annotate(day=TruncDate("starts_at", tzinfo=cooperative.zone))
        .values("day")
        .annotate(open=Count("id", filter=Q(status=Shift.Status.OPEN)), filled=Count("id", filter=Q(status__in=FILLED)))
        .order_by()
    )
    return {row["day"]: (row["open"], row["filled"]) for row in rows}


def board_days(cooperative, today: date) -> list[BoardDay]:
    """The fill board's BOARD_DAYS days from `today`, each with its open and filled shifts
    (every day, none left out for having no shift) and its holiday. Two queries: the days'
    shifts only, and the holiday calendar."""
    zone = cooperative.zone
    found = _board_counts(cooperative, local_midnight(today, zone), local_midnight(today + timedelta(days=BOARD_DAYS), zone))
    days = [today + timedelta(days=n) for n in range(BOARD_DAYS)]
    holidays = holidays_between(cooperative, days[0], days[-1])
    return [BoardDay(day, *found.get(day, (0, 0)), holiday=holidays.get(day, "")) for day in days]


def board_day(cooperative, day: date) -> BoardDay:
    """One day of the board with its counts (for a day loaded on its own). Two queries."""
    zone = cooperative.zone
    found = _board_counts(cooperative, local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone))
    return BoardDay(day, *found.get(day, (0, 0)), holiday=holidays_between(cooperative, day, day).get(day, ""))


def placements_in_year(cooperative, today: date) -> int:
    """Placements of today's year: its completed shifts, by start in the co-op's zone. A plain
    COUNT (the (cooperative, status, starts_at) index can serve it), kept apart from the
    board's days so that a year of shifts is counted, never grouped by day. One query."""
    zone = cooperative.zone
    return Shift.objects.filter(
        cooperative=cooperative, status=Shift.Status.COMPLETED,
        starts_at__gte=local_midnight(today.replace(month=1, day=1), zone),
        starts_at__lt=local_midnight(today.replace(year=today.year + 1, month=1, day=1), zone),
    ).count()


def board_days_shown(days: list[BoardDay], limit: int = BOARD_PAGE_SIZE) -> list[BoardDay]:
    """The days the board opens with: the first day with open shifts and the days after it
    while all their open shifts fit in one page of `limit` rows (a small co-op sees its whole
    fortnight at once, a large one its first day or days; a first day with more than `limit`
    alone, to be paged). Empty when nothing is open."""
    first = next((i for i, d in enumerate(days) if d.open), None)
    if first is None:
        return []
    shown, rows = [days[first]], days[first].open
    for d in days[first + 1:]:
        if rows + d.open > limit:
            break
        shown.append(d)
        rows += d.open
    return shown
