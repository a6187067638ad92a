"""California hours arithmetic, free of models: cutting shifts into workdays, sorting each
workday's hours into regular / overtime / double time, and differential hours.

Rules (design § 2, Labor Code §§500, 510):
- A workday is a fixed 24 hours from the co-op's `workday_start` in its zone; a workweek is
  seven workdays from `workweek_start`. A shift crossing the workday boundary splits there.
- Daily: over 8 up to 12 hours at 1.5×, over 12 at 2× (exactly 12.00 is not double time).
- Weekly: hours over 40 at 1.5×, counting only hours not already overtime by the day rule,
  taken in time order (the hours after the 40th regular hour become overtime).
- Seventh consecutive workday (all seven workdays of the workweek worked): its first 8
  hours at 1.5×, beyond 8 at 2×; those hours do not count toward the weekly 40.
A §514 agreement may change the numbers; `OvertimeRules` carries them.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Hashable, Iterable
from zoneinfo import ZoneInfo

from alliedup.money import ZERO

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class OvertimeRules:
    daily_overtime_after: Decimal = Decimal("8")
    daily_double_time_after: Decimal = Decimal("12")
    weekly_overtime_after: Decimal = Decimal("40")
    seventh_day_rule: bool = True


STATUTORY = OvertimeRules()


@dataclass(frozen=True)
class Segment:
    """Hours worked inside one workday (a part of one timesheet)."""

    key: Hashable
    workday: date
    start: datetime
    end: datetime
    hours: Decimal  # worked: elapsed less the unpaid break charged to this segment


@dataclass
class Split:
    regular: Decimal = ZERO
    overtime: Decimal = ZERO  # 1.5×
    double_time: Decimal = ZERO  # 2×

    @property
    def total(self) -> Decimal:
        return self.regular + self.overtime + self.double_time


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Real elapsed hours (subtracted in UTC, so DST changes count), unrounded."""
    seconds = (end.astimezone(dt_timezone.utc) - start.astimezone(dt_timezone.utc)).total_seconds()
    return Decimal(int(seconds)) / Decimal(3600)


def worked_hours(clock_in: datetime, clock_out: datetime, break_minutes: int) -> Decimal:
    """Hours worked: elapsed time (real time, so DST is counted right) less unpaid breaks,
    rounded half up to the hundredth of an hour. The hours ledger, billing and pay all use it."""
    elapsed = clock_out.astimezone(dt_timezone.utc) - clock_in.astimezone(dt_timezone.utc)
    n = elapsed.days * 86400 + elapsed.seconds - 60 * break_minutes
    if n >= 0 and not elapsed.microseconds:
        # Whole seconds (nearly every timesheet): the same rounding in integers. n seconds
        # less the break are n / 36 hundredths; half up is (2n + 36) // 72.
        return _hundredths((2 * n + 36) // 72)
    minutes = Decimal(elapsed.total_seconds()) / 60 - break_minutes
    return (minutes / 60).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=65536)
def _hundredths(n: int) -> Decimal:
    """n hundredths as a two-place Decimal (what quantize(HUNDREDTH) gives): 800 → 8.00."""
    return Decimal(n).scaleb(-2)


def workday_boundary(day: date, zone: ZoneInfo, workday_start: time) -> datetime:
    """The moment workday `day` begins (a wall-clock time, so a DST day is 23 or 25 hours)."""
    return datetime.combine(day, workday_start, tzinfo=zone)


def workday_of(moment: datetime, zone: ZoneInfo, workday_start: time) -> date:
    """The workday holding `moment`. Compared in UTC: wall-clock arithmetic goes wrong in
    the repeated autumn hour."""
    day = moment.astimezone(zone).date()
    utc = moment.astimezone(dt_timezone.utc)
    return day if utc >= _boundary_utc(day, zone, workday_start) else day - timedelta(days=1)


@lru_cache(maxsize=16384)
def _boundary_utc(day: date, zone: ZoneInfo, workday_start: time) -> datetime:
    """workday_boundary in UTC (a pay run asks for the same few days thousands of times)."""
    return workday_boundary(day, zone, workday_start).astimezone(dt_timezone.utc)


def workweek_start(day: date, week_start_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start_weekday) % 7)


def split_into_workdays(
    *, key, clock_in: datetime, clock_out: datetime, break_minutes: int, zone: ZoneInfo, workday_start: time
) -> list[Segment]:
    """Cut [clock_in, clock_out) at workday boundaries. Each part's hours are rounded half up
    to 0.01 h; the unpaid break is charged to the longest part (the first if two are equal),
    and the last part takes the rounding rest, so the parts sum to the timesheet's hours.
    Each part's key is `(key, workday)`."""
    parts: list[tuple[date, datetime, datetime]] = []
    # In UTC: Python compares two times of one zone by wall clock (wrong in the repeated hour).
    clock_in, clock_out = clock_in.astimezone(dt_timezone.utc), clock_out.astimezone(dt_timezone.utc)
    start = clock_in
    while start < clock_out:
        day = workday_of(start, zone, workday_start)
        end = min(clock_out, _boundary_utc(day + timedelta(days=1), zone, workday_start))
        parts.append((day, start, end))
        start = end
    total = worked_hours(clock_in, clock_out, break_minutes)
    if len(parts) == 1:  # most shifts: one workday, the whole (rounded) time less the break
        day, start, end = parts[0]
        return [Segment(key=(key, day), workday=day, start=start, end=end, hours=total)]
    elapsed = [hours_between(s, e) for _, s, e in parts]
    # The break comes off the longest part first; what that part cannot hold, the next longest.
    left = Decimal(break_minutes) / 60
    for i in sorted(range(len(parts)), key=lambda i: (-elapsed[i], i)):
        taken = min(left, elapsed[i])
        elapsed[i] -= taken
        left -= taken
    hours = [value.quantize(HUNDREDTH, ROUND_HALF_UP) for value in elapsed]
    # The rounding rest goes to the last part that has hours, so no part turns negative.
    last = max((i for i, h in enumerate(hours) if h > 0), default=len(hours) - 1)
    hours[last] += total - sum(hours, ZERO)
    return [Segment(key=(key, d), workday=d, start=s, end=e, hours=h) for (d, s, e), h in zip(parts, hours)]


def split_overtime(segments: Iterable[Segment], *, week_start_weekday: int, rules: OvertimeRules = STATUTORY) -> dict:
    """Sort one worker's segments into regular, overtime and double-time hours.

    Returns {segment.key: Split}. Segments may span several workweeks; each week is counted
    on its own. Pass every segment of the weeks concerned (also ones already paid), or the
    weekly and seventh-day counts start from the wrong place.
    """
    by_week: dict[date, list[Segment]] = defaultdict(list)
    weeks: dict[date, date] = {}  # workday → its week's first day
    for segment in segments:
        day = segment.workday
        week = weeks.get(day)
        if week is None:
            week = weeks[day] = workweek_start(day, week_start_weekday)
        by_week[week].append(segment)
    ot_after, dt_after, week_after = rules.daily_overtime_after, rules.daily_double_time_after, rules.weekly_overtime_after
    result: dict = {}
    for week_segments in by_week.values():
        # In time order; two segments starting together go by their keys' text.
        week_segments.sort(key=_start)
        if any(a.start == b.start for a, b in zip(week_segments, week_segments[1:])):
            week_segments.sort(key=lambda s: (s.start, str(s.key)))
        days_worked = {s.workday for s in week_segments if s.hours > 0}
        seventh_day = max(days_worked) if rules.seventh_day_rule and len(days_worked) == 7 else None
        day_totals: dict[date, Decimal] = {}
        week_regular = ZERO
        for segment in week_segments:
            hours, workday = segment.hours, segment.workday
            before = day_totals.get(workday, ZERO)
            after = before + hours
            day_totals[workday] = after
            split = result.get(segment.key)
            if split is None:
                split = result[segment.key] = Split()
            if workday == seventh_day:
                split.overtime += _band(before, after, ZERO, ot_after)
                split.double_time += _band(before, after, ot_after, None)
                continue
            if before >= 0 and hours >= 0 and after <= ot_after:
                regular = hours  # the whole segment is under the daily threshold (most are)
            else:
                regular = _band(before, after, ZERO, ot_after)
                split.overtime += _band(before, after, ot_after, dt_after)
                split.double_time += _band(before, after, dt_after, None)
            # Weekly: only hours still regular by the day rule count toward the 40.
            room = max(ZERO, week_after - week_regular)
            kept = min(regular, room)
            split.regular += kept
            split.overtime += regular - kept
            week_regular += kept
    return result


def _start(segment: Segment) -> datetime:
    return segment.start


def _band(before: Decimal, after: Decimal, low: Decimal, high: Decimal | None) -> Decimal:
    """How much of the day's hours (before, after] fall inside (low, high]."""
    top = after if high is None else min(after, high)
    return max(ZERO, top - max(before, low))


def window_hours(start: datetime, end: datetime, zone: ZoneInfo, *, kind: str, window_start: time | None = None,
                 window_end: time | None = None) -> Decimal:
    """Elapsed hours of [start, end) inside a differential's window, in `zone`: a nightly
    window (window_start–window_end, wrapping midnight when the end is earlier) or the
    weekend (Saturday and Sunday)."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if kind != "weekend" and window_end <= window_start and local_start.date() == local_end.date() \
            and window_end <= local_start.time() and local_end.time() <= window_start:
        return Decimal(0)  # a day shift inside one calendar day, clear of a night window
    first = local_start.date() - timedelta(days=1)
    last = local_end.date()
    total = Decimal(0)
    day = first
    while day <= last:
        if kind == "weekend":
            if day.weekday() >= 5:
                total += _overlap(start, end, datetime.combine(day, time(0), tzinfo=zone),
                                  datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))
        else:
            open_at = datetime.combine(day, window_start, tzinfo=zone)
            close_day = day + timedelta(days=1) if window_end <= window_start else day
            total += _overlap(start, end, open_at, datetime.combine(close_day, window_end, tzinfo=zone))
        day += timedelta(days=1)
    return total


def _overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> Decimal:
    start = max(a_start.astimezone(dt_timezone.utc), b_start.astimezone(dt_timezone.utc))
    end = min(a_end.astimezone(dt_timezone.utc), b_end.astimezone(dt_timezone.utc))
    return hours_between(start, end) if end > start else Decimal(0)
