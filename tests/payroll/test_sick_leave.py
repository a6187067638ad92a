"""Paid sick leave (CA Labor Code §246): accrual of 1 h per 30 h worked, fractional, posted
once per run on approval and capped; use after the waiting period, within the balance and
the yearly cap; used hours paid at the week's regular rate and not counted as hours worked."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import WorkerClassification
from payroll import selectors
from payroll.models import PayLine, PayStatement, SickLeaveEntry
from payroll.services.periods import pay_period_create
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.sick_leave import sick_leave_use
from payroll.services.wages import differential_add
from tests.conftest import clock_at
from tests.members.factories import WorkerFactory

D = Decimal
# The data sits on calendar days of 2026 (sick days are payable by a run for 91 days).
pytestmark = pytest.mark.today("2026-11-23")



@pytest.fixture
def payroll_user(alliedup_users):
    return alliedup_users["payroll"]


def seed_balance(worker, hours, workday=date(2026, 10, 1)):
    """An accrual from before the platform (no run), so the worker has a balance."""
    return SickLeaveEntry.objects.create(cooperative=worker.cooperative, worker=worker, kind="accrued", hours=D(hours),
                                         workday=workday, note="Opening balance")


def accruals(worker):
    return list(SickLeaveEntry.objects.filter(worker=worker, kind="accrued", run__isnull=False).values_list("hours", flat=True))


def balance(worker):
    return selectors.sick_balances([worker.pk]).get(worker.pk)


def lines_of(run, worker, kind):
    return list(PayLine.objects.filter(run=run, worker=worker, kind=kind).order_by("workday", "id"))


# --- accrual ---------------------------------------------------------------------------


def test_accrual_is_one_hour_per_thirty_worked_and_posted_once_on_approval(agreement, worker, work, period, payroll_user):
    # Mon Nov 2 – Fri Nov 6, 9 h a day = 45 h worked (the daily overtime hours count too).
    for day in range(2, 7):
        work(worker, date(2026, 11, day), time(7), time(16))
    run = payrun_calculate(run=period.run)
    assert accruals(worker) == []  # nothing before approval
    statement = PayStatement.objects.get(run=run, worker=worker)
    assert statement.hours_worked == D("45.00")
    assert statement.sick_hours_available == D("45") / D("30")

    payrun_approve(run=run, approved_by=payroll_user)
    [entry] = SickLeaveEntry.objects.filter(worker=worker, kind="accrued")
    assert (entry.hours, entry.workday, entry.run_id) == (D("1.5000"), date(2026, 11, 14), run.pk)
    with pytest.raises(ValidationError):
        payrun_approve(run=run, approved_by=payroll_user)
    with pytest.raises(ValidationError):
        payrun_calculate(run=run)
    assert accruals(worker) == [D("1.5000")]
    # The ledger itself refuses a second accrual for the same run and worker.
    with pytest.raises(IntegrityError), transaction.atomic():
        SickLeaveEntry.objects.create(cooperative=worker.cooperative, worker=worker, kind="accrued", hours=D("1.5"),
                                      workday=date(2026, 11, 14), run=run)


def test_accrual_is_fractional(agreement, worker, work, period, payroll_user):
    # 10 h worked: 10 / 30 = 0.33333… → 0.3333 (4 decimals), never rounded to whole hours.
    work(worker, date(2026, 11, 2), time(7), time(17))
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    assert accruals(worker) == [(D("10") / D("30")).quantize(D("0.0001"))] == [D("0.3333")]


def test_accrual_stops_at_the_cap(agreement, worker, work, period, payroll_user, alliedup):
    assert alliedup.sick_accrual_cap_hours == D("80.00")
    seed_balance(worker, "79.5")
    # 6 days × 7.5 h = 45 h would earn 1.5 h; only 80 − 79.5 = 0.5 h fits under the cap (a
    # 7.5-hour day: 10 days are 75 h, so the 80 hours hold).
    for day in range(2, 8):
        work(worker, date(2026, 11, day), time(7), time(14, 30))
    run = payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    assert accruals(worker) == [D("80") - D("79.5")]
    assert balance(worker) == D("80.0000")
    assert PayStatement.objects.get(run=run, worker=worker).sick_hours_available == D("80.00")


def test_no_accrual_at_the_cap(agreement, worker, work, period, payroll_user):
    seed_balance(worker, "80")
    work(worker, date(2026, 11, 2), time(7), time(15))
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    assert accruals(worker) == []  # a zero accrual is not written
    assert balance(worker) == D("80")


# --- use -------------------------------------------------------------------------------


def test_use_is_refused_before_the_waiting_period_ends(alliedup, ma):
    hired = WorkerFactory(cooperative=alliedup, classifications=[ma], hire_date=date(2026, 8, 20))
    seed_balance(hired, "10")
    # Usable from day 90, Aug 20 being day 1: Aug 20 + 89 days = Nov 17.
    with clock_at("2026-11-20", tick=False):
        with pytest.raises(ValidationError) as err:
            sick_leave_use(worker=hired, workday=date(2026, 11, 16), hours="4")
        assert "workday" in err.value.message_dict and "2026-11-17" in err.value.message_dict["workday"][0]
        assert not SickLeaveEntry.objects.filter(kind="used").exists()
        entry = sick_leave_use(worker=hired, workday=date(2026, 11, 17), hours="4")
    assert entry.hours == D("-4")


def test_sick_leave_is_usable_from_the_90th_day_counting_the_hire_date_as_day_1(alliedup, ma):
    """Labor Code §246(c): "on the 90th day of employment". Hired Jan 1: Jan has 31 days,
    Feb 28, so day 90 is Mar 31 (31 + 28 + 31); Mar 30 is day 89."""
    hired = WorkerFactory(cooperative=alliedup, classifications=[ma], hire_date=date(2026, 1, 1))
    assert selectors.sick_usable_from(hired) == date(2026, 3, 31)
    seed_balance(hired, "10", workday=date(2026, 2, 1))
    with clock_at("2026-04-01", tick=False):
        with pytest.raises(ValidationError, match="2026-03-31: day 90 of employment"):
            sick_leave_use(worker=hired, workday=date(2026, 3, 30), hours="4")
        assert sick_leave_use(worker=hired, workday=date(2026, 3, 31), hours="4").hours == D("-4")
    alliedup.sick_usable_after_days = 1  # the co-op waives the wait: usable on the hire date
    assert selectors.sick_usable_from(hired) == date(2026, 1, 1)


def test_use_is_refused_over_the_balance(worker):
    seed_balance(worker, "5.25")
    with pytest.raises(ValidationError, match="5.25 hours"):
        sick_leave_use(worker=worker, workday=date(2026, 11, 4), hours="5.26")
    sick_leave_use(worker=worker, workday=date(2026, 11, 4), hours="5.25")
    assert balance(worker) == D("0")
    with pytest.raises(ValidationError):
        sick_leave_use(worker=worker, workday=date(2026, 11, 5), hours="0.01")


def test_use_is_refused_past_the_yearly_cap(worker, alliedup):
    assert alliedup.sick_use_cap_hours == D("40.00")
    seed_balance(worker, "79", workday=date(2025, 1, 1))
    # Used last year (straight into the ledger: too old to record now): does not count.
    SickLeaveEntry.objects.create(cooperative=alliedup, worker=worker, kind="used", hours=D("-8"), workday=date(2025, 12, 30))
    for day in (1, 2, 3, 4):
        sick_leave_use(worker=worker, workday=date(2026, 9, day), hours="8")  # 32 h in 2026
    with pytest.raises(ValidationError, match="32"):
        sick_leave_use(worker=worker, workday=date(2026, 11, 4), hours="8.01")
    sick_leave_use(worker=worker, workday=date(2026, 11, 4), hours="8")  # exactly 40
    assert selectors.sick_used_in_year(worker, 2026) == D("40")


def test_use_is_refused_too_far_back_or_ahead(worker, alliedup):
    seed_balance(worker, "30")
    assert alliedup.today() == date(2026, 11, 23)
    # Older than the 91 days a pay run looks back (Aug 24), or more than 60 days ahead (Jan 22).
    for day in (date(2026, 8, 23), date(2027, 1, 23)):
        with pytest.raises(ValidationError) as err:
            sick_leave_use(worker=worker, workday=day, hours="4")
        assert "workday" in err.value.message_dict
    sick_leave_use(worker=worker, workday=date(2026, 8, 24), hours="4")
    sick_leave_use(worker=worker, workday=date(2027, 1, 22), hours="4")
    assert SickLeaveEntry.objects.filter(kind="used").count() == 2


@pytest.mark.parametrize("hours", ["0", "-1", "24.01", "1.005", "abc"])
def test_use_refuses_hours_that_are_not_a_day_of_hundredths(worker, hours):
    seed_balance(worker, "30")
    with pytest.raises(ValidationError):
        sick_leave_use(worker=worker, workday=date(2026, 11, 4), hours=hours)
    assert not SickLeaveEntry.objects.filter(kind="used").exists()


# --- pay -------------------------------------------------------------------------------


def test_sick_hours_are_paid_at_the_weeks_regular_rate_and_are_not_hours_worked(agreement, worker, work, period, payroll_user):
    differential_add(agreement=agreement, kind="night", amount=D("4.00"), window_start=time(23), window_end=time(7))
    seed_balance(worker, "10")
    # Mon Nov 2 – Fri Nov 6, 06:00–14:00: 40 h, one night hour a day (06–07).
    for day in range(2, 7):
        work(worker, date(2026, 11, day), time(6), time(14))
    sick_leave_use(worker=worker, workday=date(2026, 11, 7), hours="8")  # sick on Saturday
    run = payrun_calculate(run=period.run)
    # Regular rate: (40 × $33.00 + 5 × $4.00) ÷ 40 = 1340 / 40 = $33.50.
    [sick] = lines_of(run, worker, "sick")
    assert (sick.workday, sick.hours, sick.rate, sick.amount) == (date(2026, 11, 7), D("8.00"), D("33.5000"), D("8") * D("33.50"))
    # 40 worked + 8 sick: the sick hours are not hours worked, so no weekly overtime.
    assert lines_of(run, worker, "ot15") == []
    statement = PayStatement.objects.get(run=run, worker=worker)
    assert statement.hours_worked == D("40.00")
    assert statement.gross == D("40") * D("33.00") + D("5") * D("4.00") + D("8") * D("33.50")
    # 10 − 8 used + 40 / 30 accrued = 3.3333
    assert statement.sick_hours_available == D("3.33")
    payrun_approve(run=run, approved_by=payroll_user)
    assert accruals(worker) == [D("1.3333")]  # on the 40 worked hours, not 48
    assert SickLeaveEntry.objects.get(kind="used").run_id == run.pk


def test_sick_hours_in_a_week_without_work_are_paid_at_the_base_wage(agreement, worker, work, period):
    WorkerClassification.objects.filter(worker=worker).update(wage_step=2)
    seed_balance(worker, "10")
    work(worker, date(2026, 11, 2), time(7), time(15))  # works in the first week only
    sick_leave_use(worker=worker, workday=date(2026, 11, 11), hours="7.5")  # second week: no hours
    run = payrun_calculate(run=period.run)
    [sick] = lines_of(run, worker, "sick")
    assert (sick.hours, sick.rate, sick.amount) == (D("7.50"), D("34.0000"), D("7.5") * D("34.00"))


def test_sick_hours_of_a_worker_with_no_timesheet_in_the_run_are_paid_at_their_step(agreement, worker, period):
    WorkerClassification.objects.filter(worker=worker).update(wage_step=2)
    seed_balance(worker, "10")
    sick_leave_use(worker=worker, workday=date(2026, 11, 4), hours="8")
    run = payrun_calculate(run=period.run)
    [sick] = lines_of(run, worker, "sick")
    assert (sick.rate, sick.amount) == (D("34.0000"), D("8") * D("34.00"))


def test_sick_hours_are_paid_once(agreement, worker, work, period, payroll_user, alliedup):
    seed_balance(worker, "10")
    work(worker, date(2026, 11, 2), time(7), time(15))
    sick_leave_use(worker=worker, workday=date(2026, 11, 3), hours="8")
    run = payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    assert [ln.amount for ln in lines_of(run, worker, "sick")] == [D("8") * D("33.00")]
    work(worker, date(2026, 11, 16), time(7), time(15))
    run2 = payrun_calculate(run=pay_period_create(cooperative=alliedup).run)
    assert lines_of(run2, worker, "sick") == []


# --- caps in workdays (Labor Code §246: the greater of 40 hours or 5 days, 80 hours or 10 days) ---


def test_a_worker_on_twelve_hour_days_may_use_five_of_their_days(worker, work, alliedup, agreement, period):
    # Three 12-hour workdays in the last 90 days: the worker's day is 12 hours, so the yearly
    # use cap is max(40, 5 × 12) = 60 hours and the accrual cap max(80, 10 × 12) = 120.
    for day in (2, 3, 4):
        work(worker, date(2026, 11, day), time(7), time(19))
    caps = selectors.sick_caps(alliedup, [worker.pk], date(2026, 11, 20))[worker.pk]
    assert (caps.day, caps.use, caps.accrual) == (D("12.00"), D("60.00"), D("120.00"))
    seed_balance(worker, "70")
    for day in (16, 17, 18, 19):
        sick_leave_use(worker=worker, workday=date(2026, 11, day), hours="12")  # 48 h: past 40, within 60
    sick_leave_use(worker=worker, workday=date(2026, 11, 20), hours="12")  # exactly 60
    with pytest.raises(ValidationError, match="60"):
        sick_leave_use(worker=worker, workday=date(2026, 11, 23), hours="0.01")


def test_a_worker_with_short_days_keeps_the_hours_caps_and_a_reversed_day_does_not_count(worker, work, alliedup, agreement, period):
    from placements.services.timesheets import timesheet_correct
    from tests.payroll.conftest import at

    work(worker, date(2026, 11, 2), time(7), time(11))  # a 4-hour day
    long_day = work(worker, date(2026, 11, 3), time(7), time(17))  # 10 hours, corrected to 6 below
    timesheet_correct(timesheet=long_day, clock_in=at(date(2026, 11, 3), 9), clock_out=at(date(2026, 11, 3), 15),
                      break_minutes=0, reason="Came at 09:00, left at 15:00")
    caps = selectors.sick_caps(alliedup, [worker.pk], date(2026, 11, 20))[worker.pk]
    # (4 + 6) / 2 days = 5 h: 5 × 5 = 25 < 40 and 10 × 5 = 50 < 80, so the hours caps hold
    assert (caps.day, caps.use, caps.accrual) == (D("5.00"), D("40.00"), D("80.00"))
    nobody = WorkerFactory(cooperative=alliedup)
    assert selectors.sick_caps(alliedup, [nobody.pk], date(2026, 11, 20))[nobody.pk].day == D("8.00")


def test_accrual_stops_at_ten_of_the_workers_days(worker, work, alliedup, agreement, period, payroll_user):
    # 10-hour days: the accrual cap is max(80, 10 × 10) = 100 hours.
    for day in (2, 3, 4, 5, 6):
        work(worker, date(2026, 11, day), time(7), time(17))  # 50 h worked → 50/30 = 1.6667 h earned
    seed_balance(worker, "99")
    run = payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    assert accruals(worker) == [D("1.0000")]  # 99 + 1 reaches 100, not 80 (nor 100.6667)
    assert PayStatement.objects.get(run=run, worker=worker).sick_hours_available == D("100.00")
