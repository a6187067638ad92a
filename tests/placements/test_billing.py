"""Billing reads (placements.billing): approved timesheets cut into workdays, and what each
part bills under the client's contract (overtime counted per worker *at that client*).

The `contract` fixture bills an LVN at $52.00 from 2026-01-01. Shifts are in June/July 2026,
in the past (a timesheet's clock-out cannot be in the future). Amounts are written as the
arithmetic that gives them.
"""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from placements.billing import approved_timesheets, billed_segments
from placements.models import BillRate, Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_dispute, timesheet_submit
from tests.members.factories import WorkerFactory
from worktime.overtime import split_overtime

H = Decimal
ZERO = Decimal("0")
RATE = Decimal("52.00")

# Sunday 31 May .. Saturday 6 June 2026: one workweek of the co-op (Sunday start, midnight workdays)
SUN = date(2026, 5, 31)
MON, TUE, WED, THU, FRI, SAT = (SUN + timedelta(days=i) for i in range(1, 7))


@pytest.fixture
def worker(alliedup, lvn):
    return WorkerFactory(cooperative=alliedup, classifications=[lvn], first_name="Rosa", last_name="Parra")


@pytest.fixture
def approver(alliedup_users):
    return alliedup_users["client"]


@pytest.fixture
def other_contract(alliedup, lvn):
    client = client_create(cooperative=alliedup, name="Oakland Rehab Center")
    contract = contract_create(client=client, reference="ORC-2026", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="60.00")
    return contract


def work(contract, classification, worker, day, start: time, end: time, *, break_minutes=0, approver=None, status="approved"):
    """A one-shift job order on `day`, `worker` confirmed on it, the timesheet clocked at the
    shift's times and (by default) approved. Returns the timesheet."""
    order = job_order_create(contract=contract, classification=classification, starts_on=day, ends_on=day,
                             shift_start=start, shift_end=end)
    shift = Shift.objects.get(job_order=order)
    assignment = shift_assign(shift=shift, worker=worker)
    timesheet = timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at,
                                 break_minutes=break_minutes)
    if status == "approved":
        timesheet_approve(timesheet=timesheet, approved_by=approver)
    elif status == "disputed":
        timesheet_dispute(timesheet=timesheet, reason="Left early", disputed_by=approver)
    return timesheet


def billed_for(cooperative, first, last, **kwargs):
    return billed_segments(cooperative, approved_timesheets(cooperative, first, last, **kwargs))


def hours(b):
    return b.split.regular, b.split.overtime, b.split.double_time


# ---------------------------------------------------------------- approved_timesheets

def test_approved_timesheets_returns_only_approved_ones_and_splits_a_night(alliedup, contract, lvn, worker, approver):
    night = work(contract, lvn, worker, MON, time(19), time(7), approver=approver)
    work(contract, lvn, worker, WED, time(7), time(15), approver=approver, status="submitted")
    work(contract, lvn, worker, THU, time(7), time(15), approver=approver, status="disputed")

    [worked] = approved_timesheets(alliedup, SUN, SAT)
    assert (worked.id, worked.uuid, worked.worker_id) == (night.pk, str(night.uuid), worker.pk)
    assert worked.worker_name == "Rosa Parra"
    assert (worked.client_id, worked.contract_id, worked.classification_id) == (contract.client_id, contract.pk, lvn.pk)
    assert worked.shift_date == MON
    # 19:00–07:00 cut at midnight: 24 − 19 on Monday, 7 on Tuesday
    assert [(s.key, s.workday, s.hours) for s in worked.segments] == [
        ((night.pk, MON), MON, H("24") - H("19")),
        ((night.pk, TUE), TUE, H("7")),
    ]


def test_approved_timesheets_take_a_night_by_any_of_its_workdays(alliedup, contract, lvn, worker, approver):
    night = work(contract, lvn, worker, MON, time(19), time(7), approver=approver)
    # only Tuesday asked for: the night is there, with both its parts
    [worked] = approved_timesheets(alliedup, TUE, TUE)
    assert worked.id == night.pk and [s.workday for s in worked.segments] == [MON, TUE]
    assert [t.id for t in approved_timesheets(alliedup, MON, MON)] == [night.pk]
    assert approved_timesheets(alliedup, WED, SAT) == []
    assert approved_timesheets(alliedup, SUN - timedelta(days=7), SUN) == []


def test_approved_timesheets_filter_by_worker_and_client(alliedup, contract, other_contract, lvn, worker, approver):
    colleague = WorkerFactory(cooperative=alliedup, classifications=[lvn])
    mine = work(contract, lvn, worker, MON, time(7), time(15), approver=approver)
    theirs = work(contract, lvn, colleague, MON, time(7), time(15), approver=approver)
    elsewhere = work(other_contract, lvn, worker, TUE, time(7), time(15), approver=approver)
    assert {t.id for t in approved_timesheets(alliedup, SUN, SAT)} == {mine.pk, theirs.pk, elsewhere.pk}
    assert {t.id for t in approved_timesheets(alliedup, SUN, SAT, worker_ids={worker.pk})} == {mine.pk, elsewhere.pk}
    assert {t.id for t in approved_timesheets(alliedup, SUN, SAT, client_ids={contract.client_id})} == {mine.pk, theirs.pk}


# ---------------------------------------------------------------- billed_segments

def test_a_thirteen_hour_shift_bills_overtime_and_double_time_at_the_contracts_multipliers(alliedup, contract, lvn, worker, approver):
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="52.00",
                  overtime_multiplier="1.50")
    BillRate.objects.filter(contract=contract).update(double_time_multiplier=Decimal("2.00"))
    long_day = work(contract, lvn, worker, MON, time(6), time(19), approver=approver)

    billed = billed_for(alliedup, SUN, SAT)
    b = billed[(long_day.pk, MON)]
    assert list(billed) == [(long_day.pk, MON)]
    assert hours(b) == (H("8"), H("12") - H("8"), H("13") - H("12"))
    assert b.bill_rate == RATE
    assert b.regular_amount == 8 * RATE == Decimal("416.00")
    assert b.overtime_amount == 4 * RATE * Decimal("1.5") == Decimal("312.00")
    assert b.double_time_amount == 1 * RATE * 2 == Decimal("104.00")
    assert b.total == 8 * RATE + 4 * RATE * Decimal("1.5") + 1 * RATE * 2 == Decimal("832.00")


def test_other_multipliers_are_read_from_the_contract(alliedup, contract, lvn, worker, approver):
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="52.00",
                  overtime_multiplier="1.75")
    BillRate.objects.filter(contract=contract).update(double_time_multiplier=Decimal("2.50"))
    long_day = work(contract, lvn, worker, MON, time(6), time(19), approver=approver)
    b = billed_for(alliedup, SUN, SAT)[(long_day.pk, MON)]
    assert b.overtime_amount == 4 * RATE * Decimal("1.75") == Decimal("364.00")
    assert b.double_time_amount == 1 * RATE * Decimal("2.50") == Decimal("130.00")


def test_a_break_is_not_billed(alliedup, contract, lvn, worker, approver):
    # 07:00–15:30 less 30 minutes = 8 h: all regular
    day = work(contract, lvn, worker, MON, time(7), time(15, 30), break_minutes=30, approver=approver)
    b = billed_for(alliedup, SUN, SAT)[(day.pk, MON)]
    assert hours(b) == (H("8.5") - H("0.5"), ZERO, ZERO)
    assert b.total == 8 * RATE


def test_a_night_bills_each_workday_part(alliedup, contract, lvn, worker, approver):
    night = work(contract, lvn, worker, MON, time(19), time(7), approver=approver)
    billed = billed_for(alliedup, SUN, SAT)
    assert billed[(night.pk, MON)].total == 5 * RATE
    assert billed[(night.pk, TUE)].total == 7 * RATE


def test_a_night_across_the_autumn_change_bills_thirteen_real_hours(alliedup, contract, lvn, worker, approver):
    # 19:00 Oct 31 → 07:00 Nov 1 2026: the clocks fall back, 5 + 8 real hours, no daily overtime
    night = work(contract, lvn, worker, date(2026, 10, 31), time(19), time(7), approver=approver)
    billed = billed_for(alliedup, date(2026, 10, 31), date(2026, 11, 1))
    assert hours(billed[(night.pk, date(2026, 10, 31))]) == (H("24") - H("19"), ZERO, ZERO)
    assert hours(billed[(night.pk, date(2026, 11, 1))]) == (H("7") + H("1"), ZERO, ZERO)
    assert sum(b.total for b in billed.values()) == (5 + 8) * RATE == Decimal("676.00")


def test_weekly_overtime_at_the_same_client_counts_the_whole_week(alliedup, contract, lvn, worker, approver):
    week = [work(contract, lvn, worker, day, time(7), time(15), approver=approver) for day in (MON, TUE, WED, THU, FRI)]
    saturday = work(contract, lvn, worker, SAT, time(7), time(15), approver=approver)
    # Only Saturday asked for: the week before it is read to count the 40
    billed = billed_for(alliedup, SAT, SAT)
    assert list(billed) == [(saturday.pk, SAT)]
    b = billed[(saturday.pk, SAT)]
    # 5 × 8 = 40 regular by Friday: Saturday's 8 are weekly overtime
    assert hours(b) == (ZERO, H("8"), ZERO)
    assert b.total == 8 * RATE * Decimal("1.5") == Decimal("624.00")
    assert all(hours(billed_for(alliedup, day, day)[(t.pk, day)]) == (H("8"), ZERO, ZERO)
               for t, day in zip(week, (MON, TUE, WED, THU, FRI)))


def test_the_bill_rate_in_force_on_the_shifts_date(alliedup, contract, lvn, worker, approver):
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 7, 1), regular_rate="55.00")
    june_29 = work(contract, lvn, worker, date(2026, 6, 29), time(7), time(15), approver=approver)
    # a night from June 30 into July 1: the shift's date is June 30, so both parts bill at 52
    night = work(contract, lvn, worker, date(2026, 6, 30), time(19), time(7), approver=approver)
    july_2 = work(contract, lvn, worker, date(2026, 7, 2), time(7), time(15), approver=approver)

    billed = billed_for(alliedup, date(2026, 6, 28), date(2026, 7, 4))
    assert billed[(june_29.pk, date(2026, 6, 29))].bill_rate == RATE
    assert billed[(june_29.pk, date(2026, 6, 29))].total == 8 * RATE
    assert billed[(night.pk, date(2026, 6, 30))].bill_rate == RATE
    assert billed[(night.pk, date(2026, 7, 1))].bill_rate == RATE
    assert billed[(night.pk, date(2026, 7, 1))].total == 7 * RATE
    assert billed[(july_2.pk, date(2026, 7, 2))].bill_rate == Decimal("55.00")
    assert billed[(july_2.pk, date(2026, 7, 2))].total == 8 * Decimal("55.00") == Decimal("440.00")


def test_hours_at_another_client_do_not_make_overtime_for_this_one(alliedup, contract, other_contract, lvn, worker, approver):
    at_other = [work(other_contract, lvn, worker, day, time(7), time(15), approver=approver) for day in (MON, TUE, WED, THU, FRI)]
    here = work(contract, lvn, worker, SAT, time(7), time(15), approver=approver)

    # Payroll view (every hour of the worker): Saturday is weekly overtime, 5 × 8 = 40 before it
    everything = [s for t in approved_timesheets(alliedup, SUN, SAT) for s in t.segments]
    assert split_overtime(everything, week_start_weekday=alliedup.workweek_start)[(here.pk, SAT)].overtime == H("8")

    # Billing this client: only its own 8 hours count, all regular
    b = billed_for(alliedup, SAT, SAT, client_ids={contract.client_id})[(here.pk, SAT)]
    assert hours(b) == (H("8"), ZERO, ZERO)
    assert b.total == 8 * RATE == Decimal("416.00")
    # and billed together with the other client's hours, still none on either side
    billed = billed_for(alliedup, SUN, SAT)
    assert hours(billed[(here.pk, SAT)]) == (H("8"), ZERO, ZERO)
    assert [billed[(t.pk, t_day)].total for t, t_day in zip(at_other, (MON, TUE, WED, THU, FRI))] == [8 * Decimal("60.00")] * 5


def test_a_timesheet_with_no_bill_rate_in_force_bills_nothing(alliedup, contract, lvn, worker, approver):
    day = work(contract, lvn, worker, MON, time(6), time(19), approver=approver)
    # the rate is later corrected to start after the shift: none is in force on June 1
    BillRate.objects.filter(contract=contract).update(effective_from=date(2026, 7, 1))
    b = billed_for(alliedup, SUN, SAT)[(day.pk, MON)]
    assert b.bill_rate is None
    assert hours(b) == (H("8"), H("4"), H("1"))  # the hours are still sorted
    assert (b.regular_amount, b.overtime_amount, b.double_time_amount, b.total) == (Decimal("0.00"),) * 4


def test_nothing_to_bill(alliedup):
    assert billed_segments(alliedup, []) == {}


def test_bug_a_break_longer_than_one_part_of_a_night_bills_the_hours_worked(alliedup, contract, lvn, worker, approver):
    """BUG (worktime/overtime.py, split_into_workdays; see tests/worktime/test_overtime.py): the
    break is charged whole to the longest part even when longer than it. 19:00 Oct 31 →
    07:00 Nov 1 is 13 real hours; with a 750-minute break (accepted by timesheet_submit) the
    worker worked 13 − 12.5 = 0.50 h and the ledger gets 0.50 h. Expected bill 0.5 × 52 = 26.00;
    actual 5 × 52 = 260.00 (parts 5.00 and −4.50, the negative one billed as nothing)."""
    night = work(contract, lvn, worker, date(2026, 10, 31), time(19), time(7), break_minutes=750, approver=approver)
    billed = billed_for(alliedup, date(2026, 10, 31), date(2026, 11, 1))
    assert [b.segment.key for b in billed.values()][0][0] == night.pk
    assert sum(b.total for b in billed.values()) == (H("13") - H("12.5")) * RATE == Decimal("26.00")
