"""The California overtime engine (worktime.overtime), pure: no database.

Rules (design § 2; CA Labor Code §§500, 510): a workday is a fixed 24 hours from the co-op's
workday start, a workweek seven workdays; over 8 h a day at 1.5×, over 12 at 2× (12.00 is
not double time); over 40 h a week at 1.5×, counting only hours not already daily overtime;
on the seventh consecutive workday of a workweek the first 8 h at 1.5×, beyond at 2×.

Numbers are written as the arithmetic that gives them, so a reader can check each by hand.

Tests named `test_bug_…` fail on purpose: they pin a defect found while writing this file
(see their docstrings); they pass once the engine is fixed.
"""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest

from worktime.overtime import (
    STATUTORY,
    OvertimeRules,
    Segment,
    Split,
    split_into_workdays,
    split_overtime,
    window_hours,
    workday_of,
    worked_hours,
    workweek_start,
)

LA = ZoneInfo("America/Los_Angeles")
MIDNIGHT = time(0, 0)
MONDAY, SUNDAY = 0, 6  # Python weekdays, as Cooperative.workweek_start stores them
H = Decimal  # hours
ZERO = Decimal("0")
CENTI = Decimal("0.01")

# June 2026: Sunday 31 May .. Saturday 6 June is one Sunday-start workweek.
SUN = date(2026, 5, 31)
MON, TUE, WED, THU, FRI, SAT = (SUN + timedelta(days=i) for i in range(1, 7))


def at(day: date, hour: int, minute: int = 0, second: int = 0, *, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LA, fold=fold)


def cut(key, clock_in, clock_out, break_minutes=0, workday_start=MIDNIGHT) -> list[Segment]:
    return split_into_workdays(key=key, clock_in=clock_in, clock_out=clock_out, break_minutes=break_minutes, zone=LA,
                               workday_start=workday_start)


def shift(key, day: date, hours, *, start_hour: int = 7, break_minutes: int = 0) -> list[Segment]:
    """A day shift of `hours` worked (plus the break) starting at `start_hour` on `day`."""
    start = at(day, start_hour)
    return cut(key, start, start + timedelta(seconds=int(Decimal(hours) * 3600), minutes=break_minutes), break_minutes)


def week(hours_by_day: dict[date, object]) -> list[Segment]:
    return [s for day, hours in hours_by_day.items() for s in shift(day, day, hours)]


def total(splits, keys=None) -> Split:
    """The sum of the splits (of `keys`, default all)."""
    out = Split()
    for key, split in splits.items():
        if keys is None or key in keys:
            out.regular += split.regular
            out.overtime += split.overtime
            out.double_time += split.double_time
    return out


def triple(split: Split) -> tuple[Decimal, Decimal, Decimal]:
    return split.regular, split.overtime, split.double_time


def one_day(hours, **kwargs) -> Split:
    segments = shift("ts", MON, hours, **kwargs)
    assert len(segments) == 1
    return split_overtime(segments, week_start_weekday=SUNDAY)[("ts", MON)]


# ---------------------------------------------------------------- daily (§510(a))

def test_eight_hours_are_all_regular():
    assert triple(one_day(H("8.00"))) == (H("8"), ZERO, ZERO)


def test_eight_and_a_half_hours_less_a_half_hour_break_are_all_regular():
    # 07:00–15:30 with an unpaid 30-minute meal break: 8.5 − 0.5 worked
    assert triple(one_day(H("8"), break_minutes=30)) == (H("8.5") - H("0.5"), ZERO, ZERO)


def test_ten_hours_are_eight_regular_and_two_overtime():
    split = one_day(H("10"))
    assert split.regular == H("8")
    assert split.overtime == H("10") - H("8")
    assert split.double_time == ZERO


def test_exactly_twelve_hours_are_not_double_time():
    split = one_day(H("12.00"))
    assert triple(split) == (H("8"), H("12") - H("8"), ZERO)


def test_twelve_hours_and_a_hundredth_start_double_time():
    # 12 h 0 min 36 s = 12.01 h: one hundredth over 12
    split = one_day(H("12.01"))
    assert triple(split) == (H("8"), H("12") - H("8"), H("12.01") - H("12"))


def test_thirteen_and_a_half_hours_reach_double_time():
    split = one_day(H("13.5"))
    assert split.regular == H("8")
    assert split.overtime == H("12") - H("8")
    assert split.double_time == H("13.5") - H("12")
    assert split.total == H("13.5")


def test_two_timesheets_on_one_workday_add_up_in_time_order():
    morning = shift("morning", MON, H("5"), start_hour=6)  # 06:00–11:00
    evening = shift("evening", MON, H("6"), start_hour=13)  # 13:00–19:00
    # Given in reverse order: the engine must still count the morning first.
    splits = split_overtime(evening + morning, week_start_weekday=SUNDAY)
    assert triple(splits[("morning", MON)]) == (H("5"), ZERO, ZERO)
    # the evening's first 8 − 5 hours are still regular, the rest (5 + 6 − 8) overtime
    assert triple(splits[("evening", MON)]) == (H("8") - H("5"), H("5") + H("6") - H("8"), ZERO)


def test_three_timesheets_on_one_workday_reach_double_time_on_the_last():
    segments = (shift("a", MON, H("6"), start_hour=0) + shift("b", MON, H("5"), start_hour=7)
                + shift("c", MON, H("3"), start_hour=13))
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[("a", MON)]) == (H("6"), ZERO, ZERO)
    assert triple(splits[("b", MON)]) == (H("8") - H("6"), H("6") + H("5") - H("8"), ZERO)
    # c runs from hour 11 to hour 14 of the day: 12 − 11 overtime, 14 − 12 double time
    assert triple(splits[("c", MON)]) == (ZERO, H("12") - H("11"), H("14") - H("12"))


def test_every_hour_is_sorted_exactly_once():
    segments = week({MON: H("13.25"), TUE: H("7.75"), WED: H("12"), THU: H("9.5"), FRI: H("11")})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert total(splits).total == sum((s.hours for s in segments), ZERO) == H("53.5")
    assert set(splits) == {s.key for s in segments}


# ---------------------------------------------------------------- weekly (§510(a))

def test_weekly_overtime_only_for_regular_hours_beyond_forty():
    segments = week({MON: H("10"), TUE: H("10"), WED: H("10"), THU: H("10"), FRI: H("10"), SAT: H("6")})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    for day in (MON, TUE, WED, THU, FRI):
        assert triple(splits[(day, day)]) == (H("8"), H("10") - H("8"), ZERO)
    # 5 × 8 = 40 regular hours by Friday: all of Saturday is weekly overtime
    assert triple(splits[(SAT, SAT)]) == (ZERO, H("6"), ZERO)
    week_total = total(splits)
    assert week_total.regular == 5 * H("8") == H("40")
    assert week_total.overtime == 5 * (H("10") - H("8")) + H("6")
    assert week_total.double_time == ZERO


def test_daily_and_weekly_overtime_are_not_counted_twice():
    # 4 × 12 h + 1 × 6 h = 54 h: daily OT 4 × (12 − 8) = 16; regular 4 × 8 + 6 = 38 ≤ 40,
    # so no weekly overtime (counting all 54 − 40 = 14 as weekly on top of the 16 would pay 30).
    segments = week({MON: H("12"), TUE: H("12"), WED: H("12"), THU: H("12"), FRI: H("6")})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    week_total = total(splits)
    assert week_total.regular == 4 * H("8") + H("6")
    assert week_total.overtime == 4 * (H("12") - H("8"))
    assert week_total.double_time == ZERO
    assert week_total.total == 4 * H("12") + H("6")
    assert triple(splits[(FRI, FRI)]) == (H("6"), ZERO, ZERO)


def test_daily_and_weekly_overtime_together_past_forty_regular():
    # 5 × 9 h: daily OT 5 × 1; regular 5 × 8 = 40. Saturday 9 h: its 8 regular-by-day hours are
    # weekly overtime (the 40 are used up), its ninth is daily overtime: 9 overtime, once.
    segments = week({MON: H("9"), TUE: H("9"), WED: H("9"), THU: H("9"), FRI: H("9"), SAT: H("9")})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[(SAT, SAT)]) == (ZERO, H("8") + (H("9") - H("8")), ZERO)
    assert triple(total(splits)) == (5 * H("8"), 5 * (H("9") - H("8")) + H("9"), ZERO)


def test_weekly_threshold_reached_in_the_middle_of_a_timesheet():
    # Mon–Fri 7 h = 35 regular; Saturday 10 h: 40 − 35 = 5 regular, then 8 − 5 weekly overtime,
    # then 10 − 8 daily overtime.
    segments = week({MON: H("7"), TUE: H("7"), WED: H("7"), THU: H("7"), FRI: H("7"), SAT: H("10")})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[(SAT, SAT)]) == (H("40") - 5 * H("7"), (H("8") - H("5")) + (H("10") - H("8")), ZERO)
    assert total(splits).regular == H("40")


def test_weekly_threshold_reached_in_the_middle_of_one_days_second_timesheet():
    # Mon–Thu 9 h: 4 × 8 = 32 regular. Friday 04:00–09:00 (5 h) then 12:00–18:00 (6 h):
    # the first is regular (37); of the second, 8 − 5 = 3 hours are regular by day and
    # 40 − 37 = 3 of them fit the week: regular 3, overtime (5 + 6 − 8) daily.
    segments = week({MON: H("9"), TUE: H("9"), WED: H("9"), THU: H("9")})
    segments += shift("fri-am", FRI, H("5"), start_hour=4) + shift("fri-pm", FRI, H("6"), start_hour=12)
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[("fri-am", FRI)]) == (H("5"), ZERO, ZERO)
    assert triple(splits[("fri-pm", FRI)]) == (H("40") - 4 * H("8") - H("5"), H("5") + H("6") - H("8"), ZERO)

    # one hour more on Thursday (10 h) moves nothing: its extra hour is daily overtime
    segments = week({MON: H("9"), TUE: H("9"), WED: H("9"), THU: H("10")})
    segments += shift("fri-am", FRI, H("5"), start_hour=4) + shift("fri-pm", FRI, H("6"), start_hour=12)
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[("fri-pm", FRI)]) == (H("3"), H("3"), ZERO)


def test_each_workweek_counts_its_own_forty():
    first = week({MON: H("8"), TUE: H("8"), WED: H("8"), THU: H("8"), FRI: H("8")})
    nxt = week({d + timedelta(days=7): H("8") for d in (MON, TUE, WED, THU, FRI)})
    splits = split_overtime(first + nxt, week_start_weekday=SUNDAY)
    assert triple(total(splits)) == (2 * 5 * H("8"), ZERO, ZERO)


# ---------------------------------------------------------------- seventh day (§510(a))

def _seven_days(start: date, hours_each, last_day_hours):
    days = {start + timedelta(days=i): hours_each for i in range(6)}
    days[start + timedelta(days=6)] = last_day_hours
    return days


def test_seventh_consecutive_workday_first_eight_hours_are_overtime():
    # Sun–Fri 5 h (30 regular), Saturday is the 7th workday of the Sunday-start week
    segments = week(_seven_days(SUN, H("5"), H("5")))
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[(SAT, SAT)]) == (ZERO, H("5"), ZERO)
    assert triple(total(splits)) == (6 * H("5"), H("5"), ZERO)


def test_seventh_consecutive_workday_beyond_eight_hours_is_double_time():
    splits = split_overtime(week(_seven_days(SUN, H("5"), H("10"))), week_start_weekday=SUNDAY)
    assert triple(splits[(SAT, SAT)]) == (ZERO, H("8"), H("10") - H("8"))
    splits = split_overtime(week(_seven_days(SUN, H("5"), H("13"))), week_start_weekday=SUNDAY)
    assert triple(splits[(SAT, SAT)]) == (ZERO, H("8"), H("13") - H("8"))


def test_seventh_day_hours_do_not_count_toward_the_weekly_forty():
    # 7 × 8 h: Sun–Fri 48 regular-by-day hours, 40 regular + 48 − 40 weekly overtime (on Friday);
    # Saturday 8 seventh-day overtime. 56 hours: 40 + 16 — not 40 + 8 + 8 double counted.
    splits = split_overtime(week(_seven_days(SUN, H("8"), H("8"))), week_start_weekday=SUNDAY)
    assert triple(splits[(FRI, FRI)]) == (ZERO, H("8"), ZERO)
    assert triple(splits[(SAT, SAT)]) == (ZERO, H("8"), ZERO)
    assert triple(total(splits)) == (H("40"), (6 * H("8") - H("40")) + H("8"), ZERO)


def test_six_workdays_get_no_seventh_day_rule():
    # Sun–Fri worked, Saturday off: Friday is the sixth day, ordinary
    segments = week({SUN + timedelta(days=i): H("6") for i in range(6)})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(total(splits)) == (6 * H("6"), ZERO, ZERO)
    # Mon–Sat worked, Sunday off: Saturday (the last day of the week) is ordinary too
    segments = week({MON + timedelta(days=i): H("6") for i in range(6)})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[(SAT, SAT)]) == (H("6"), ZERO, ZERO)


def test_seven_days_spanning_two_workweeks_get_no_seventh_day_rule():
    # Wednesday 3 June .. Tuesday 9 June: 4 days in one Sunday-start week, 3 in the next
    segments = week({WED + timedelta(days=i): H("6") for i in range(7)})
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(total(splits)) == (7 * H("6"), ZERO, ZERO)


def test_the_workweek_start_decides_which_days_form_the_week():
    # Monday 1 .. Sunday 7 June, 6 h each
    days = {MON + timedelta(days=i): H("6") for i in range(7)}
    sunday = MON + timedelta(days=6)
    # Monday-start: one workweek, all seven worked: Sunday is the seventh day
    splits = split_overtime(week(days), week_start_weekday=MONDAY)
    assert triple(splits[(sunday, sunday)]) == (ZERO, H("6"), ZERO)
    assert triple(total(splits)) == (6 * H("6"), H("6"), ZERO)
    # Sunday-start: Mon–Sat in one week, Sunday 7 June begins the next: no seventh day
    splits = split_overtime(week(days), week_start_weekday=SUNDAY)
    assert triple(total(splits)) == (7 * H("6"), ZERO, ZERO)


def test_a_seventh_day_of_two_timesheets_counts_its_eight_in_time_order():
    segments = week({SUN + timedelta(days=i): H("4") for i in range(6)})
    segments += shift("sat-am", SAT, H("6"), start_hour=6) + shift("sat-pm", SAT, H("5"), start_hour=14)
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[("sat-am", SAT)]) == (ZERO, H("6"), ZERO)
    assert triple(splits[("sat-pm", SAT)]) == (ZERO, H("8") - H("6"), H("6") + H("5") - H("8"))


# ---------------------------------------------------------------- workdays (§500)

def test_a_night_splits_at_midnight():
    segments = cut("n", at(MON, 19), at(TUE, 7))
    assert [(s.key, s.workday, s.hours) for s in segments] == [
        (("n", MON), MON, H("24") - H("19")),
        (("n", TUE), TUE, H("7") - H("0")),
    ]
    assert segments[0].end == segments[1].start == at(TUE, 0)
    assert (segments[0].start, segments[1].end) == (at(MON, 19), at(TUE, 7))


def test_a_night_is_one_workday_when_the_workday_starts_at_seven():
    segments = cut("n", at(MON, 19), at(TUE, 7), workday_start=time(7, 0))
    assert [(s.key, s.workday, s.hours) for s in segments] == [(("n", MON), MON, (H("24") - H("19")) + H("7"))]
    split = split_overtime(segments, week_start_weekday=SUNDAY)[("n", MON)]
    assert triple(split) == (H("8"), H("12") - H("8"), ZERO)


def test_a_night_split_at_midnight_has_no_daily_overtime():
    # 5 + 7 h on two workdays: neither passes 8
    split = split_overtime(cut("n", at(MON, 19), at(TUE, 7)), week_start_weekday=SUNDAY)
    assert triple(total(split)) == (H("5") + H("7"), ZERO, ZERO)


def test_the_break_is_charged_to_the_longest_part():
    # 19:00–07:00: 5 h before midnight, 7 after; the 30 minutes come off the 7
    segments = cut("n", at(MON, 19), at(TUE, 7), break_minutes=30)
    assert [s.hours for s in segments] == [H("5"), H("7") - H("0.5")]
    # 17:00–03:00: 7 h before midnight, 3 after; the 30 minutes come off the 7
    segments = cut("e", at(MON, 17), at(TUE, 3), break_minutes=30)
    assert [s.hours for s in segments] == [H("7") - H("0.5"), H("3")]
    # 20:00–04:00: 4 + 4, equal: the first part takes the break
    segments = cut("t", at(MON, 20), at(TUE, 4), break_minutes=30)
    assert [s.hours for s in segments] == [H("4") - H("0.5"), H("4")]


def _worked(clock_in: datetime, clock_out: datetime, break_minutes: int) -> Decimal:
    seconds = Decimal(int((clock_out - clock_in).total_seconds()))  # both in one fixed offset here
    return ((seconds / 60 - break_minutes) / 60).quantize(CENTI, ROUND_HALF_UP)


def test_parts_sum_to_the_timesheets_hours_with_odd_seconds():
    # 21:17:13 → 04:37:59 is 7 h 20 min 46 s = 26,446 s
    clock_in, clock_out = at(MON, 21, 17, 13), at(TUE, 4, 37, 59)
    assert (clock_out - clock_in).total_seconds() == 7 * 3600 + 20 * 60 + 46
    for break_minutes in (0, 25, 30, 45):
        segments = cut("x", clock_in, clock_out, break_minutes)
        worked = ((H(26446) / 60 - break_minutes) / 60).quantize(CENTI, ROUND_HALF_UP)
        assert sum(s.hours for s in segments) == worked == _worked(clock_in, clock_out, break_minutes)
        assert all(s.hours == s.hours.quantize(CENTI) for s in segments)
    # without a break: 2 h 42 min 47 s = 9,767 s before midnight → 2.71; the rest takes
    # 7.35 − 2.71 (4.64, although 16,679 s alone would round to 4.63)
    segments = cut("x", clock_in, clock_out)
    assert [s.hours for s in segments] == [
        (H(9767) / 3600).quantize(CENTI, ROUND_HALF_UP),
        (H(26446) / 3600).quantize(CENTI, ROUND_HALF_UP) - (H(9767) / 3600).quantize(CENTI, ROUND_HALF_UP),
    ]
    assert [s.hours for s in segments] == [H("2.71"), H("7.35") - H("2.71")]


def test_parts_sum_exactly_for_twenty_minutes_with_a_break():
    # 7 h 20 min (7.333… h) less 25 min inside one day: one part of 6.92 h
    segments = cut("x", at(MON, 8), at(MON, 15, 20), break_minutes=25)
    assert [s.hours for s in segments] == [((H(7 * 60 + 20) - 25) / 60).quantize(CENTI, ROUND_HALF_UP)]
    assert segments[0].hours == H("6.92")


AUTUMN_EVE, AUTUMN_DAY = date(2026, 10, 31), date(2026, 11, 1)  # clocks fall back 02:00 → 01:00 on Nov 1
SPRING_EVE, SPRING_DAY = date(2026, 3, 7), date(2026, 3, 8)  # clocks spring 02:00 → 03:00 on Mar 8


def test_a_night_across_the_autumn_change_is_thirteen_real_hours():
    segments = cut("n", at(AUTUMN_EVE, 19), at(AUTUMN_DAY, 7))
    # 19:00–24:00 = 5; 00:00–07:00 on a 25-hour day holds 7 + 1 = 8 real hours
    assert [(s.workday, s.hours) for s in segments] == [(AUTUMN_EVE, H("5")), (AUTUMN_DAY, H("7") + H("1"))]
    assert sum(s.hours for s in segments) == H("13")
    # Daily overtime by hand: 5 ≤ 8 and 8 ≤ 8, none
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(total(splits)) == (H("5") + H("8"), ZERO, ZERO)


def test_a_night_across_the_autumn_change_as_one_workday():
    segments = cut("n", at(AUTUMN_EVE, 19), at(AUTUMN_DAY, 7), workday_start=time(7, 0))
    assert [(s.workday, s.hours) for s in segments] == [(AUTUMN_EVE, H("13"))]
    split = split_overtime(segments, week_start_weekday=SUNDAY)[("n", AUTUMN_EVE)]
    assert triple(split) == (H("8"), H("12") - H("8"), H("13") - H("12"))


def test_a_night_across_the_spring_change_is_eleven_real_hours():
    segments = cut("n", at(SPRING_EVE, 19), at(SPRING_DAY, 7))
    # 19:00–24:00 = 5; 00:00–07:00 on a 23-hour day holds 7 − 1 = 6 real hours
    assert [(s.workday, s.hours) for s in segments] == [(SPRING_EVE, H("5")), (SPRING_DAY, H("7") - H("1"))]
    assert sum(s.hours for s in segments) == H("11")
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(total(splits)) == (H("5") + H("6"), ZERO, ZERO)
    # as one workday (starting 07:00): 11 h, 8 + 3 overtime
    segments = cut("n", at(SPRING_EVE, 19), at(SPRING_DAY, 7), workday_start=time(7, 0))
    split = split_overtime(segments, week_start_weekday=SUNDAY)[("n", SPRING_EVE)]
    assert triple(split) == (H("8"), H("11") - H("8"), ZERO)


def test_a_long_night_across_the_autumn_change_with_a_break():
    # 18:00 Oct 31 → 08:00 Nov 1 (15 real hours), 30-min break: parts 6 and 8 + 1 = 9;
    # the break comes off the 9. Daily OT: Oct 31 6 (none), Nov 1 8.5 → 8 + 0.5.
    segments = cut("n", at(AUTUMN_EVE, 18), at(AUTUMN_DAY, 8), break_minutes=30)
    assert [s.hours for s in segments] == [H("6"), H("9") - H("0.5")]
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(splits[("n", AUTUMN_DAY)]) == (H("8"), H("8.5") - H("8"), ZERO)


def test_utc_and_local_clock_times_give_the_same_parts():
    utc = ZoneInfo("UTC")
    local = cut("n", at(AUTUMN_EVE, 19), at(AUTUMN_DAY, 7))
    from_db = cut("n", at(AUTUMN_EVE, 19).astimezone(utc), at(AUTUMN_DAY, 7).astimezone(utc))
    assert [(s.workday, s.hours) for s in local] == [(s.workday, s.hours) for s in from_db]


def test_a_24_hour_timesheet_across_the_spring_day_has_three_parts():
    # 23:30 Mar 7 → 00:30 Mar 9 is 24 real hours (Mar 8 has only 23)
    segments = cut("x", at(SPRING_EVE, 23, 30), at(date(2026, 3, 9), 0, 30))
    assert [(s.workday, s.hours) for s in segments] == [
        (SPRING_EVE, H("0.5")), (SPRING_DAY, H("24") - H("1")), (date(2026, 3, 9), H("0.5")),
    ]
    split = split_overtime(segments, week_start_weekday=SUNDAY)[("x", SPRING_DAY)]
    assert triple(split) == (H("8"), H("4"), H("23") - H("12"))


def test_workday_of_and_workweek_start():
    assert workday_of(at(TUE, 0, 30), LA, MIDNIGHT) == TUE
    assert workday_of(at(TUE, 6, 59), LA, time(7, 0)) == MON
    assert workday_of(at(TUE, 7, 0), LA, time(7, 0)) == TUE
    # a UTC moment is read in the co-op's zone: 03:00 UTC Tue = 20:00 PDT Monday
    assert workday_of(datetime(2026, 6, 2, 3, 0, tzinfo=ZoneInfo("UTC")), LA, MIDNIGHT) == MON
    assert workweek_start(WED, SUNDAY) == SUN
    assert workweek_start(SUN, SUNDAY) == SUN
    assert workweek_start(SAT, SUNDAY) == SUN
    assert workweek_start(SUN, MONDAY) == SUN - timedelta(days=6)
    assert workweek_start(MON, MONDAY) == MON


@pytest.mark.parametrize("clock_in", [
    at(AUTUMN_DAY, 1, 0, fold=1),  # the second 01:00 (PST), after the workday began at the first 01:30
    at(AUTUMN_DAY, 1, 15, fold=1),
])
def test_bug_a_workday_start_in_the_repeated_autumn_hour_gives_no_negative_part(clock_in):
    """BUG (worktime/overtime.py, workday_of vs workday_boundary): with a workday starting at
    01:30, the workday of Nov 1 begins at the first 01:30 (PDT, 08:30 UTC). A clock-in at the
    second 01:15 (PST, 09:15 UTC) is after that boundary, but workday_of subtracts 1:30 from
    the wall clock and says Oct 31. split_into_workdays then cuts [01:15 PST, 01:30 PDT), a part
    that ends before it starts: expected one part (Nov 1, 7.75 h for 01:15 PST → 09:00 PST);
    actual (Oct 31, −0.75 h) and (Nov 1, 8.50 h)."""
    segments = cut("x", clock_in, at(AUTUMN_DAY, 9), workday_start=time(1, 30))
    real = (at(AUTUMN_DAY, 9) - clock_in.astimezone(ZoneInfo("UTC"))).total_seconds() / 3600
    assert [(s.workday, s.hours) for s in segments] == [(AUTUMN_DAY, H(str(real)).quantize(CENTI))]


def test_bug_a_timesheet_inside_the_repeated_autumn_hour_is_cut():
    """BUG (worktime/overtime.py, split_into_workdays): Python compares two datetimes that share
    a tzinfo by wall clock, ignoring fold. 01:45 PDT → 01:15 PST (fold=1) is 30 real minutes,
    but `start < clock_out` sees 01:45 < 01:15 as false, cuts no part and then fails with
    ValueError (max() of an empty sequence). Expected one part (Nov 1, 0.50 h). Timesheets read
    from the database are in UTC and are not affected; callers passing local times are."""
    segments = cut("x", at(AUTUMN_DAY, 1, 45), at(AUTUMN_DAY, 1, 15, fold=1))
    assert [(s.workday, s.hours) for s in segments] == [(AUTUMN_DAY, H("0.5"))]


@pytest.mark.parametrize("clock_in, clock_out, break_minutes, worked", [
    # the timesheet service accepts any break shorter than the elapsed time
    (at(AUTUMN_EVE, 19), at(AUTUMN_DAY, 7), 750, H("13") - H("12.5")),  # parts 5 + 8, break 12.5 h
    (at(MON, 12), at(TUE, 12), 780, H("24") - H("13")),  # parts 12 + 12, break 13 h
])
def test_bug_a_break_longer_than_the_longest_part_gives_no_negative_part(clock_in, clock_out, break_minutes, worked):
    """BUG (worktime/overtime.py, split_into_workdays): the whole unpaid break is charged to the
    longest part even when it is longer than that part, leaving a negative part; split_overtime
    then sorts the other part in full and ignores the negative one, so the hours paid differ
    from the hours worked. 19:00 Oct 31 → 07:00 Nov 1 (13 real hours) with a 750-minute break
    (accepted by timesheet_submit, see tests/placements/test_timesheets.py) is 13 − 12.5 = 0.50
    h worked: actual parts (Oct 31, 5.00) and (Nov 1, −4.50), sorted into 5.00 regular hours.
    12:00 → 12:00 (24 h) with a 780-minute break is 24 − 13 = 11 h worked: actual parts −1.00 and
    12.00, sorted into 8 regular + 4 overtime = 12 h. Expected: no part below zero (the rest of
    the break goes to the next part) and the split totalling the hours worked."""
    segments = cut("x", clock_in, clock_out, break_minutes)
    assert sum(s.hours for s in segments) == worked
    assert all(s.hours >= 0 for s in segments)
    assert total(split_overtime(segments, week_start_weekday=SUNDAY)).total == worked


# ---------------------------------------------------------------- §514 agreement override

AGREEMENT = OvertimeRules(daily_overtime_after=H("10"), seventh_day_rule=False)


def test_statutory_rules_are_the_default():
    assert STATUTORY == OvertimeRules(H("8"), H("12"), H("40"), True)
    assert split_overtime(shift("d", MON, H("10")), week_start_weekday=SUNDAY) == \
        split_overtime(shift("d", MON, H("10")), week_start_weekday=SUNDAY, rules=STATUTORY)


def test_an_agreement_moves_the_daily_threshold():
    split = split_overtime(shift("d", MON, H("10")), week_start_weekday=SUNDAY, rules=AGREEMENT)[("d", MON)]
    assert triple(split) == (H("10"), ZERO, ZERO)
    split = split_overtime(shift("d", MON, H("11")), week_start_weekday=SUNDAY, rules=AGREEMENT)[("d", MON)]
    assert triple(split) == (H("10"), H("11") - H("10"), ZERO)
    split = split_overtime(shift("d", MON, H("13")), week_start_weekday=SUNDAY, rules=AGREEMENT)[("d", MON)]
    assert triple(split) == (H("10"), H("12") - H("10"), H("13") - H("12"))


def test_an_agreement_without_the_seventh_day_rule():
    splits = split_overtime(week(_seven_days(SUN, H("5"), H("10"))), week_start_weekday=SUNDAY, rules=AGREEMENT)
    # 6 × 5 = 30 regular, Saturday 10 regular-by-day: 40 − 30 = 10 fit the week
    assert triple(splits[(SAT, SAT)]) == (H("40") - 6 * H("5"), ZERO, ZERO)
    assert triple(total(splits)) == (H("40"), ZERO, ZERO)


def test_an_agreement_still_pays_weekly_overtime():
    # four 10-hour days (4/10 schedule) = 40 regular under the agreement; Friday 2 h is weekly OT
    segments = week({MON: H("10"), TUE: H("10"), WED: H("10"), THU: H("10"), FRI: H("2")})
    splits = split_overtime(segments, week_start_weekday=SUNDAY, rules=AGREEMENT)
    assert triple(splits[(FRI, FRI)]) == (ZERO, H("2"), ZERO)
    assert triple(total(splits)) == (4 * H("10"), H("2"), ZERO)
    # the same week under the statute: daily OT 4 × 2, regular 4 × 8 + 2 = 34
    splits = split_overtime(segments, week_start_weekday=SUNDAY)
    assert triple(total(splits)) == (4 * H("8") + H("2"), 4 * (H("10") - H("8")), ZERO)


# ---------------------------------------------------------------- differential windows

NIGHT_WINDOW = {"kind": "night", "window_start": time(23, 0), "window_end": time(7, 0)}


def test_night_window_across_a_night_shift():
    # 19:00–07:00: the window 23:00–07:00 holds (24 − 23) + 7 hours
    assert window_hours(at(MON, 19), at(TUE, 7), LA, **NIGHT_WINDOW) == (H("24") - H("23")) + H("7")


def test_night_window_misses_a_day_shift():
    assert window_hours(at(MON, 7), at(MON, 15), LA, **NIGHT_WINDOW) == ZERO


def test_night_window_partly_covered():
    # 15:00–01:00: 23:00–01:00 = 2 hours; 05:00–13:00: 05:00–07:00 = 2 hours
    assert window_hours(at(MON, 15), at(TUE, 1), LA, **NIGHT_WINDOW) == H("2")
    assert window_hours(at(TUE, 5), at(TUE, 13), LA, **NIGHT_WINDOW) == H("7") - H("5")


def test_a_window_that_does_not_wrap_midnight():
    evening = {"kind": "night", "window_start": time(15, 0), "window_end": time(23, 0)}
    # 19:00–07:00 holds 19:00–23:00; 07:00–15:30 holds 15:00–15:30; 07:00–15:00 none
    assert window_hours(at(MON, 19), at(TUE, 7), LA, **evening) == H("23") - H("19")
    assert window_hours(at(MON, 7), at(MON, 15, 30), LA, **evening) == H("0.5")
    assert window_hours(at(MON, 7), at(MON, 15), LA, **evening) == ZERO
    # a 24-hour timesheet 12:00–12:00 meets the window once: 15:00–23:00
    assert window_hours(at(MON, 12), at(TUE, 12), LA, **evening) == H("23") - H("15")


def test_weekend_hours():
    # Friday 19:00 → Saturday 07:00: Saturday 00:00–07:00
    assert window_hours(at(FRI, 19), at(SAT, 7), LA, kind="weekend") == H("7")
    # Sunday 19:00 → Monday 07:00: Sunday 19:00–24:00
    sunday = SUN + timedelta(days=7)
    assert window_hours(at(sunday, 19), at(sunday + timedelta(days=1), 7), LA, kind="weekend") == H("24") - H("19")
    # Saturday 07:00–19:00: all 12
    assert window_hours(at(SAT, 7), at(SAT, 19), LA, kind="weekend") == H("12")
    # Wednesday: none
    assert window_hours(at(WED, 7), at(WED, 19), LA, kind="weekend") == ZERO


def test_night_window_across_the_autumn_change_holds_nine_real_hours():
    # 23:00 Oct 31 → 07:00 Nov 1: 8 wall-clock hours + the repeated hour
    assert window_hours(at(AUTUMN_EVE, 19), at(AUTUMN_DAY, 7), LA, **NIGHT_WINDOW) == (H("24") - H("23")) + H("7") + H("1")


def test_night_window_across_the_spring_change_holds_seven_real_hours():
    assert window_hours(at(SPRING_EVE, 19), at(SPRING_DAY, 7), LA, **NIGHT_WINDOW) == (H("24") - H("23")) + H("7") - H("1")


def test_weekend_hours_across_the_autumn_change():
    # Sat Oct 31 19:00 → Sun Nov 1 07:00: all 13 real hours are weekend hours
    assert window_hours(at(AUTUMN_EVE, 19), at(AUTUMN_DAY, 7), LA, kind="weekend") == H("13")


def test_window_hours_accept_utc_moments():
    utc = ZoneInfo("UTC")
    start, end = at(AUTUMN_EVE, 19).astimezone(utc), at(AUTUMN_DAY, 7).astimezone(utc)
    assert window_hours(start, end, LA, **NIGHT_WINDOW) == H("9")


def _worked_hours_in_decimal(clock_in: datetime, clock_out: datetime, break_minutes: int) -> Decimal:
    """The documented rule, computed the long way: elapsed minutes less the break, in hours,
    half up to the hundredth."""
    minutes = Decimal((clock_out - clock_in).total_seconds()) / 60 - break_minutes
    return (minutes / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("seconds", [0, 17, 18, 19, 54, 90, 1799, 1800, 28_818, 28_854, 43_218, 86_399, 86_400])
@pytest.mark.parametrize("break_minutes", [0, 30])
def test_worked_hours_rounds_whole_seconds_half_up_like_the_decimal_rule(seconds, break_minutes):
    # The pay run's fast path (whole seconds, in integers) must round exactly as the rule:
    # 18 s is 0.005 h, a tie, which goes up to 0.01.
    clock_in = datetime(2026, 11, 2, 7, 0, tzinfo=ZoneInfo("UTC"))
    clock_out = clock_in + timedelta(seconds=seconds + 60 * break_minutes)
    got = worked_hours(clock_in, clock_out, break_minutes)
    expected = _worked_hours_in_decimal(clock_in, clock_out, break_minutes)
    assert got == expected and str(got) == str(expected)
    assert worked_hours(clock_in, clock_in + timedelta(seconds=18), 0) == Decimal("0.01")


def test_worked_hours_with_a_break_longer_than_the_time_keeps_the_decimal_rule():
    clock_in = datetime(2026, 11, 2, 7, 0, tzinfo=ZoneInfo("UTC"))
    assert str(worked_hours(clock_in, clock_in + timedelta(minutes=10), 12)) == "-0.03"
    assert str(worked_hours(clock_in, clock_in + timedelta(seconds=1), 1)) == "-0.02"
