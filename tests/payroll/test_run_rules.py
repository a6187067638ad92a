"""California overtime rules through real pay runs (Labor Code §§500, 510), late timesheets
moving weekly overtime onto paid days, the wage floor and its per-client report, wage steps
and co-op deductions. The arithmetic is written out in each test."""

from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import EquityEntry, WorkerClassification
from members.services.equity import equity_account_open
from payroll import selectors
from payroll.models import PayDeduction, PayLine, PayRun, PayStatement
from payroll.services.periods import pay_period_create
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.wages import differential_add
from placements.models import BillRate
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.timesheets import timesheet_approve
from tests.members.factories import HoursEntryFactory, WorkerFactory

D = Decimal


def lines_of(run, worker, kind):
    return list(PayLine.objects.filter(run=run, worker=worker, kind=kind).order_by("workday", "id"))


def hours_by_day(lines):
    return [(line.workday, line.hours) for line in lines]


def gross_of(run, worker):
    return PayStatement.objects.get(run=run, worker=worker).gross


@pytest.fixture
def payroll_user(alliedup_users):
    return alliedup_users["payroll"]


@pytest.fixture
def high_contract(alliedup, ma):
    """A client paying $40.00 for a medical assistant: above the CBA's $33.00."""
    client = client_create(cooperative=alliedup, name="Bayside Hospital")
    contract = contract_create(client=client, reference="BH-2026", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=ma, effective_from=date(2026, 1, 1), regular_rate="40.00")
    return contract


# --- daily, weekly, double time, seventh day ------------------------------------------


def test_daily_and_weekly_overtime_are_not_counted_twice(agreement, worker, work, period):
    # Mon Nov 2 – Fri Nov 6: 10 h a day (8 regular + 2 daily OT); Saturday Nov 7: 6 h.
    for day in range(2, 7):
        work(worker, date(2026, 11, day), time(7), time(17))
    work(worker, date(2026, 11, 7), time(7), time(13))
    run = payrun_calculate(run=period.run)

    # Straight time on every hour: 5 × 10 + 6 = 56 h × $33.00
    regular = lines_of(run, worker, "regular")
    assert sum(line.hours for line in regular) == D("56.00")
    assert sum(line.amount for line in regular) == D("56") * D("33.00")
    # Premium: 2 h daily OT each weekday; Mon–Fri left 5 × 8 = 40 regular hours, so all 6
    # Saturday hours are weekly OT. The 10 daily OT hours do not count toward the 40
    # (counting them would have made Wednesday's 9th hour onward weekly OT too).
    overtime = lines_of(run, worker, "ot15")
    assert hours_by_day(overtime) == [(date(2026, 11, d), D("2.00")) for d in range(2, 7)] + [(date(2026, 11, 7), D("6.00"))]
    assert all(line.rate == D("16.5000") for line in overtime)
    assert sum(line.hours for line in overtime) == D("5") * D("2") + D("6") == D("16.00")
    assert lines_of(run, worker, "ot20") == []
    statement = PayStatement.objects.get(run=run, worker=worker)
    assert statement.hours_worked == D("56.00")
    assert statement.gross == D("56") * D("33.00") + D("16") * D("16.50") == D("2112.00")


def test_hours_beyond_twelve_in_a_workday_are_double_time(agreement, worker, work, period):
    # Monday Nov 2, 06:00–19:30 = 13.5 h: 8 regular, 4 at 1.5× (hours 8–12), 1.5 at 2×.
    work(worker, date(2026, 11, 2), time(6), time(19, 30))
    # Tuesday Nov 3, 06:00–18:00 = exactly 12 h: no double time.
    work(worker, date(2026, 11, 3), time(6), time(18))
    run = payrun_calculate(run=period.run)
    assert hours_by_day(lines_of(run, worker, "regular")) == [(date(2026, 11, 2), D("13.50")), (date(2026, 11, 3), D("12.00"))]
    ot = lines_of(run, worker, "ot15")
    assert [(line.workday, line.hours, line.rate, line.amount) for line in ot] == [
        (date(2026, 11, 2), D("4.00"), D("16.5000"), D("4") * D("16.50")),
        (date(2026, 11, 3), D("4.00"), D("16.5000"), D("4") * D("16.50")),
    ]
    [dt] = lines_of(run, worker, "ot20")
    # double time premium: 1.0 × the regular rate on top of the straight time
    assert (dt.workday, dt.hours, dt.rate, dt.amount) == (date(2026, 11, 2), D("1.50"), D("33.0000"), D("1.5") * D("33.00"))
    assert gross_of(run, worker) == D("25.5") * D("33.00") + D("8") * D("16.50") + D("1.5") * D("33.00")


def test_seventh_consecutive_workday_is_overtime_from_the_first_hour(agreement, worker, work, period):
    # Week of Sunday Nov 8: Sun–Fri 6 h a day (36 h), Saturday Nov 14 10 h: the seventh
    # consecutive workday: its first 8 h at 1.5×, the 2 beyond 8 at 2×. Its hours do not
    # count toward the weekly 40 (36 regular hours elsewhere: no weekly overtime).
    for day in range(8, 14):
        work(worker, date(2026, 11, day), time(7), time(13))
    work(worker, date(2026, 11, 14), time(7), time(17))
    run = payrun_calculate(run=period.run)
    assert hours_by_day(lines_of(run, worker, "ot15")) == [(date(2026, 11, 14), D("8.00"))]
    assert hours_by_day(lines_of(run, worker, "ot20")) == [(date(2026, 11, 14), D("2.00"))]
    assert gross_of(run, worker) == D("46") * D("33.00") + D("8") * D("16.50") + D("2") * D("33.00") == D("1716.00")


def test_six_days_worked_is_not_a_seventh_day(agreement, worker, work, period):
    # Mon Nov 9 – Sat Nov 14, 6 h a day, Sunday Nov 8 off: Saturday is an ordinary day.
    for day in range(9, 15):
        work(worker, date(2026, 11, day), time(7), time(13))
    run = payrun_calculate(run=period.run)
    assert lines_of(run, worker, "ot15") == [] and lines_of(run, worker, "ot20") == []
    assert gross_of(run, worker) == D("36") * D("33.00")


def test_night_shift_across_midnight_and_the_autumn_dst_change(agreement, worker, work, alliedup, ma):
    # 2026-11-01 01:00–02:00 happens twice in Los Angeles. Saturday Oct 31 19:00 → Sunday
    # Nov 1 07:00 lasts 13 real hours: 5 on workday Oct 31, 8 on workday Nov 1 (the 25-hour day).
    differential_add(agreement=agreement, kind="night", amount=D("4.00"), window_start=time(23), window_end=time(7))
    period = pay_period_create(cooperative=alliedup, starts_on=date(2026, 10, 25))
    work(worker, date(2026, 10, 31), time(19), time(7))
    run = payrun_calculate(run=period.run)
    assert hours_by_day(lines_of(run, worker, "regular")) == [(date(2026, 10, 31), D("5.00")), (date(2026, 11, 1), D("8.00"))]
    # Night window 23:00–07:00: 1 h on Oct 31, 8 real hours on Nov 1.
    assert [(line.workday, line.hours, line.amount) for line in lines_of(run, worker, "differential")] == [
        (date(2026, 10, 31), D("1.00"), D("1") * D("4.00")),
        (date(2026, 11, 1), D("8.00"), D("8") * D("4.00")),
    ]
    # Two workdays, two workweeks, neither over 8 h: no overtime.
    assert lines_of(run, worker, "ot15") == [] and lines_of(run, worker, "ot20") == []
    statement = PayStatement.objects.get(run=run, worker=worker)
    assert statement.hours_worked == D("13.00")
    assert statement.gross == D("13") * D("33.00") + D("9") * D("4.00")


def test_a_workday_lengthened_by_the_dst_change_gets_its_extra_hour(agreement, worker, work, period):
    # Sunday Nov 1 00:00 → 12:00 on the wall clock is 13 real hours in one workday:
    # 8 regular, 4 at 1.5×, 1 at 2×.
    work(worker, date(2026, 11, 1), time(0), time(12))
    run = payrun_calculate(run=period.run)
    assert hours_by_day(lines_of(run, worker, "regular")) == [(date(2026, 11, 1), D("13.00"))]
    assert hours_by_day(lines_of(run, worker, "ot15")) == [(date(2026, 11, 1), D("4.00"))]
    assert hours_by_day(lines_of(run, worker, "ot20")) == [(date(2026, 11, 1), D("1.00"))]
    assert gross_of(run, worker) == D("13") * D("33.00") + D("4") * D("16.50") + D("1") * D("33.00")


# --- late timesheets -----------------------------------------------------------------


def test_late_monday_moves_weekly_overtime_onto_the_paid_saturday(agreement, worker, work, period, alliedup, payroll_user, alliedup_users):
    # Week of Nov 1: Tue Nov 3 – Sat Nov 7, 8 h a day, paid in run 1 as 40 regular hours.
    for day in range(3, 8):
        work(worker, date(2026, 11, day), time(7), time(15))
    monday = work(worker, date(2026, 11, 2), time(7), time(15), approve=False)
    run1 = payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    assert gross_of(run1, worker) == D("40") * D("33.00")
    assert lines_of(run1, worker, "ot15") == []

    # Monday is approved after run 1. Counted in time order the week is Mon 8 (1–8),
    # Tue–Fri (9–40), Sat (41–48): Saturday's 8 hours, already paid as straight time, are
    # now weekly overtime, owed the 0.5 × $33.00 = $16.50 premium.
    timesheet_approve(timesheet=monday, approved_by=alliedup_users["client"])
    run2 = payrun_calculate(run=pay_period_create(cooperative=alliedup).run)
    pay = [(ln.workday, ln.kind, ln.hours, ln.rate, ln.amount) for ln in PayLine.objects.filter(run=run2, worker=worker).exclude(amount=0).order_by("workday", "kind")]
    assert pay == [
        (date(2026, 11, 2), "regular", D("8.00"), D("33.0000"), D("8") * D("33.00")),
        (date(2026, 11, 7), "ot15", D("8.00"), D("16.5000"), D("8") * D("16.50")),
    ]
    assert gross_of(run2, worker) == D("8") * D("33.00") + D("8") * D("16.50") == D("396.00")
    # Monday's new hours count as hours worked (accrual); Saturday's were counted in run 1.
    assert PayStatement.objects.get(run=run2, worker=worker).hours_worked == D("8.00")


def test_late_monday_premium_on_the_paid_saturday_points_at_the_run_it_corrects(agreement, worker, work, period, alliedup, payroll_user, alliedup_users):
    for day in range(3, 8):
        work(worker, date(2026, 11, day), time(7), time(15))
    monday = work(worker, date(2026, 11, 2), time(7), time(15), approve=False)
    run1 = payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    timesheet_approve(timesheet=monday, approved_by=alliedup_users["client"])
    run2 = payrun_calculate(run=pay_period_create(cooperative=alliedup).run)
    [premium] = lines_of(run2, worker, "ot15")
    assert premium.workday == date(2026, 11, 7) and premium.description.startswith("Correction, week of Nov 01")
    # Saturday was paid in run 1 (its timesheet has lines there): the premium corrects run 1.
    assert premium.corrects_run_id == run1.pk


def test_late_monday_reprices_the_saturday_bill_without_paying_it_again(agreement, worker, work, period, alliedup, payroll_user, alliedup_users):
    # Same week as above, seen from the wage floor: at the client Saturday becomes overtime
    # too, billed 8 × $28.00 × 1.5 = $336.00 instead of $224.00; the pay stays the same.
    for day in range(3, 8):
        work(worker, date(2026, 11, day), time(7), time(15))
    monday = work(worker, date(2026, 11, 2), time(7), time(15), approve=False)
    run1 = payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    timesheet_approve(timesheet=monday, approved_by=alliedup_users["client"])
    run2 = payrun_calculate(run=pay_period_create(cooperative=alliedup).run)
    [saturday] = [ln for ln in lines_of(run2, worker, "regular") if ln.workday == date(2026, 11, 7)]
    assert (saturday.hours, saturday.amount, saturday.corrects_run_id) == (D("0.00"), D("0.00"), run1.pk)
    assert saturday.bill_amount == D("8") * D("28.00") * D("1.5") - D("8") * D("28.00")
    # absorbed: ($33 − $28) × 8 × 1.5 now, ($33 − $28) × 8 before
    assert saturday.absorbed == D("5") * D("8") * D("1.5") - D("5") * D("8")


def test_a_run_cannot_be_calculated_before_the_earlier_run_is_approved(agreement, worker, work, period, alliedup):
    work(worker, date(2026, 11, 2), time(7), time(15))
    payrun_calculate(run=period.run)
    later = pay_period_create(cooperative=alliedup)
    with pytest.raises(ValidationError, match="earlier pay run"):
        payrun_calculate(run=later.run)


def test_periods_start_on_sunday_and_follow_each_other(alliedup, period):
    with pytest.raises(ValidationError):
        pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 22))  # a gap of a week
    nxt = pay_period_create(cooperative=alliedup)
    assert (nxt.starts_on, nxt.ends_on) == (date(2026, 11, 15), date(2026, 11, 28))


def test_first_period_must_start_on_the_workweek_start(alliedup):
    with pytest.raises(ValidationError, match="workweek"):
        pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 2))  # a Monday


# --- wage floor ----------------------------------------------------------------------


def test_client_paying_above_the_cba_wage_absorbs_nothing(agreement, worker, work, period, high_contract):
    # Monday Nov 2, 10 h at $40.00 billed: 8 × 40 + 2 × 40 × 1.5 = 320 + 120.
    work(worker, date(2026, 11, 2), time(7), time(17), contract=high_contract)
    run = payrun_calculate(run=period.run)
    [regular] = lines_of(run, worker, "regular")
    assert regular.rate == D("33.0000")  # paid the CBA wage, not the bill rate
    assert regular.bill_rate == D("40.0000")
    assert regular.bill_amount == D("8") * D("40.00") + D("2") * D("40.00") * D("1.5")
    assert regular.absorbed == D("0.00")
    assert [e.kind for e in selectors.run_exceptions(run)] == []


def test_hours_without_a_bill_rate_are_paid_and_reported(agreement, worker, work, period, high_contract):
    work(worker, date(2026, 11, 2), time(7), time(15), contract=high_contract)
    # The rate is removed after the shift was filled (a shift without one cannot be filled).
    BillRate.objects.filter(contract=high_contract).delete()
    run = payrun_calculate(run=period.run)
    [regular] = lines_of(run, worker, "regular")
    assert (regular.amount, regular.bill_rate, regular.bill_amount, regular.absorbed) == (D("8") * D("33.00"), None, D("0.00"), D("0.00"))
    exceptions = selectors.run_exceptions(run)
    assert [e.kind for e in exceptions] == ["no_bill_rate"]
    assert "Bayside Hospital" in exceptions[0].message and "Nov 02" in exceptions[0].message


def test_negative_margin_is_reported(agreement, worker, work, period):
    work(worker, date(2026, 11, 2), time(7), time(15))  # $28.00 billed, $33.00 paid
    run = payrun_calculate(run=period.run)
    [exception] = selectors.run_exceptions(run)
    assert exception.kind == "negative_margin"
    assert f"billed ${D('8') * D('28.00')}, paid ${D('8') * D('33.00')}" in exception.message


def test_wage_floor_report_per_client_over_approved_runs_only(agreement, worker, work, period, high_contract, alliedup, payroll_user):
    # Run 1 (approved): Monday Nov 2 10 h at Valley Clinic ($28.00), Tuesday Nov 3 8 h at
    # Bayside Hospital ($40.00). Run 2 (calculated, not approved): Monday Nov 16 8 h at Valley.
    work(worker, date(2026, 11, 2), time(7), time(17))
    work(worker, date(2026, 11, 3), time(7), time(15), contract=high_contract)
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    work(worker, date(2026, 11, 16), time(7), time(15))
    payrun_calculate(run=pay_period_create(cooperative=alliedup).run)

    rows = selectors.wage_floor_report(alliedup, date(2026, 11, 1), date(2026, 11, 28))
    assert [r.client_name for r in rows] == ["Bayside Hospital", "Valley Clinic"]
    bayside, valley = rows
    assert (bayside.hours, bayside.billed, bayside.paid, bayside.absorbed) == (
        D("8.00"), D("8") * D("40.00"), D("8") * D("33.00"), D("0.00"))
    assert bayside.margin == D("320.00") - D("264.00")
    # Valley: billed 8 × 28 + 2 × 28 × 1.5; paid 10 × 33 + 2 × 16.50 premium;
    # absorbed (33 − 28) × (8 + 2 × 1.5). Nov 16 (unapproved run) is not in it.
    assert (valley.hours, valley.billed, valley.paid, valley.absorbed) == (
        D("10.00"), D("8") * D("28.00") + D("2") * D("28.00") * D("1.5"), D("10") * D("33.00") + D("2") * D("16.50"),
        D("5") * (D("8") + D("2") * D("1.5")))
    assert valley.margin == D("308.00") - D("363.00")


# --- wage steps ----------------------------------------------------------------------


def _set_step(worker, step, since=None):
    wc = WorkerClassification.objects.get(worker=worker)
    wc.wage_step = step
    if since is not None:
        wc.since = since
    wc.save()


def test_step_two_pays_the_step_two_wage(agreement, worker, work, period):
    _set_step(worker, 2)
    work(worker, date(2026, 11, 2), time(7), time(15))
    [regular] = lines_of(payrun_calculate(run=period.run), worker, "regular")
    assert (regular.rate, regular.amount, regular.description) == (D("34.0000"), D("8") * D("34.00"), "Step 2")


def test_a_step_above_the_table_pays_the_top_step(agreement, worker, work, period):
    _set_step(worker, 5)
    work(worker, date(2026, 11, 2), time(7), time(15))
    [regular] = lines_of(payrun_calculate(run=period.run), worker, "regular")
    assert (regular.rate, regular.amount, regular.description) == (D("34.0000"), D("8") * D("34.00"), "Step 2")


def test_steps_by_years_of_service(agreement, worker, work, period, alliedup, ma):
    agreement.step_basis = "years"
    agreement.save()
    # In the classification since Oct 1, 2023: three full years by Nov 1, 2026 → step 4,
    # above the table's top → step 2, $34.00.
    _set_step(worker, 1, since=date(2023, 10, 1))
    # Since Nov 2, 2025: not a full year by Nov 1, 2026 → step 1, $33.00.
    newer = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Ana", last_name="Ruiz", hire_date=date(2025, 11, 2))
    work(worker, date(2026, 11, 2), time(7), time(15))
    work(newer, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    assert selectors.worker_steps(agreement, [worker.pk, newer.pk], period.starts_on) == {(worker.pk, ma.pk): 4, (newer.pk, ma.pk): 1}
    assert [(ln.rate, ln.amount) for ln in lines_of(run, worker, "regular")] == [(D("34.0000"), D("8") * D("34.00"))]
    assert [(ln.rate, ln.amount) for ln in lines_of(run, newer, "regular")] == [(D("33.0000"), D("8") * D("33.00"))]


def test_steps_by_hours_worked(agreement, worker, work, period, alliedup, ma):
    agreement.step_basis = "hours"
    agreement.hours_per_step = D("24.00")
    agreement.save()
    # 3 × 8 = 24 h before the period → 1 + 24 // 24 = step 2; 8 + 8 + 7.99 = 23.99 h → step 1.
    newer = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Ana", last_name="Ruiz")
    for n, (who, hours) in enumerate([(worker, "8.00"), (worker, "8.00"), (worker, "8.00"), (newer, "8.00"), (newer, "8.00"), (newer, "7.99")]):
        HoursEntryFactory(cooperative=alliedup, worker=who, classification=ma, workday=date(2026, 6, 1) + timedelta(days=n), hours=hours)
    work(worker, date(2026, 11, 2), time(7), time(15))
    work(newer, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    assert [(ln.rate, ln.description) for ln in lines_of(run, worker, "regular")] == [(D("34.0000"), "Step 2")]
    assert [(ln.rate, ln.description) for ln in lines_of(run, newer, "regular")] == [(D("33.0000"), "Step 1")]


# --- dues and equity -----------------------------------------------------------------


def _gross_only(run, worker, amount, user):
    """A statement with exactly `amount` gross: one staff adjustment, then recalculate."""
    pay_adjustment_add(run=run, worker=worker, amount=amount, reason="Test gross", added_by=user)
    return payrun_calculate(run=run)


def _dues_of(run, worker):
    return list(PayDeduction.objects.filter(run=run, worker=worker, kind="dues").values_list("amount", flat=True))


@pytest.mark.parametrize("gross, cap, expected", [
    ("1234.56", None, "18.52"),   # 1.5% = 18.5184 → 18.52
    ("1234.56", "15.00", "15.00"),  # capped
    ("67.00", None, "1.01"),       # 1.005 → 1.01, half up (half-even would give 1.00)
    ("3.00", None, "0.05"),        # 0.045 → 0.05
])
def test_percent_dues_are_rounded_half_up_and_capped(agreement, worker, period, payroll_user, gross, cap, expected):
    agreement.dues_kind, agreement.dues_percent, agreement.dues_cap = "percent", D("1.50"), (D(cap) if cap else None)
    agreement.save()
    run = _gross_only(period.run, worker, gross, payroll_user)
    assert _dues_of(run, worker) == [D(expected)]
    statement = PayStatement.objects.get(run=run, worker=worker)
    assert (statement.gross, statement.deductions) == (D(gross), D(expected))


def test_flat_dues_and_no_dues(agreement, worker, period, payroll_user):
    agreement.dues_kind, agreement.dues_flat = "flat", D("22.50")
    agreement.save()
    run = _gross_only(period.run, worker, "500.00", payroll_user)
    assert _dues_of(run, worker) == [D("22.50")]
    agreement.dues_kind = "none"
    agreement.save()
    run = payrun_calculate(run=run)
    assert _dues_of(run, worker) == []
    assert PayStatement.objects.get(run=run, worker=worker).deductions == D("0.00")


def test_flat_dues_never_exceed_the_gross(agreement, worker, period, payroll_user):
    agreement.dues_kind, agreement.dues_flat = "flat", D("22.50")
    agreement.save()
    run = _gross_only(period.run, worker, "10.00", payroll_user)
    assert _dues_of(run, worker) == [D("10.00")]


def test_equity_installment_is_deducted_and_posted_once_on_approval(agreement, worker, work, period, payroll_user, alliedup):
    agreement.dues_kind, agreement.dues_percent, agreement.dues_cap = "percent", D("1.50"), None
    agreement.save()
    # Installments of $250 / 5 = $50.00 due Oct 1 and Nov 1 by the pay date Nov 20: $100.00.
    account = equity_account_open(worker=worker, plan="installments", start_on=date(2026, 10, 1))
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    assert period.pay_date == date(2026, 11, 20)
    deductions = dict(PayDeduction.objects.filter(run=run, worker=worker).values_list("kind", "amount"))
    # dues: 1.5% of 8 × 33 = 264.00 → 3.96
    assert deductions == {"dues": D("3.96"), "equity": D("2") * D("50.00")}
    assert PayStatement.objects.get(run=run, worker=worker).deductions == D("3.96") + D("100.00")
    assert not EquityEntry.objects.filter(account=account).exists()  # nothing posted before approval

    payrun_approve(run=run, approved_by=payroll_user)
    [entry] = EquityEntry.objects.filter(account=account)
    assert (entry.kind, entry.amount, entry.reference, entry.effective_on) == ("deduction", D("100.00"), "PR-20261101", date(2026, 11, 20))
    with pytest.raises(ValidationError):
        payrun_approve(run=run, approved_by=payroll_user)
    assert EquityEntry.objects.filter(account=account).count() == 1

    # The next run (pay date Dec 4) owes nothing more: the Dec 1 installment is due by then.
    work(worker, date(2026, 11, 16), time(7), time(15))
    run2 = payrun_calculate(run=pay_period_create(cooperative=alliedup).run)
    assert PayDeduction.objects.get(run=run2, worker=worker, kind="equity").amount == D("50.00")


def test_equity_deduction_never_exceeds_pay_left_after_dues(agreement, worker, period, payroll_user):
    agreement.dues_kind, agreement.dues_flat = "flat", D("20.00")
    agreement.save()
    equity_account_open(worker=worker, plan="installments", start_on=date(2026, 10, 1))  # $100.00 due
    run = _gross_only(period.run, worker, "70.00", payroll_user)
    deductions = dict(PayDeduction.objects.filter(run=run, worker=worker).values_list("kind", "amount"))
    assert deductions == {"dues": D("20.00"), "equity": D("70.00") - D("20.00")}


# --- cents ----------------------------------------------------------------------------


def test_statement_gross_and_run_total_sum_exactly_with_awkward_numbers(alliedup, ma, work, period, payroll_user):
    from payroll.services.wages import agreement_create, wage_table_set

    cba = agreement_create(cooperative=alliedup, name="CBA odd", union="SEIU-UHW", starts_on=date(2026, 1, 1),
                           ends_on=date(2027, 6, 30), dues_kind="percent", dues_percent=D("1.37"))
    wage_table_set(agreement=cba, classification=ma, effective_from=date(2026, 1, 1), steps={1: D("33.9917"), 2: D("35.0111")})
    differential_add(agreement=cba, kind="night", basis="percent", amount=D("7.5"), window_start=time(22), window_end=time(6))
    rosa = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Rosa", last_name="Diaz")
    ana = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Ana", last_name="Ruiz")
    WorkerClassification.objects.filter(worker=ana).update(wage_step=2)
    # Six shifts of 7 h 20 min (7.33 h each) 05:00–12:20, one night hour each (05–06):
    # 43.98 h in the week of Nov 8, 3.98 h of it weekly overtime on Saturday.
    for day in range(8, 14 + 1):
        if day == 8:
            continue
        work(rosa, date(2026, 11, day), time(5), time(12, 20))
    for day in (9, 10, 11):
        work(ana, date(2026, 11, day), time(21), time(4, 20), break_minutes=17)
    run = payrun_calculate(run=period.run)

    for who in (rosa, ana):
        lines = list(PayLine.objects.filter(run=run, worker=who))
        for line in lines:
            assert line.amount == (line.hours * line.rate).quantize(D("0.01"), ROUND_HALF_UP)
        statement = PayStatement.objects.get(run=run, worker=who)
        assert statement.gross == sum(line.amount for line in lines)
        assert statement.deductions == sum(PayDeduction.objects.filter(run=run, worker=who).values_list("amount", flat=True))

    # Rosa by hand: regular 6 × 7.33 × 33.9917 = 6 × 249.16; night 6 × 1 h × 2.5494 (7.5% of
    # 33.9917 = 2.549378); regular rate (6 × 249.159161 + 6 × 2.5494) / 43.98 unrounded:
    # straight pay 1494.954966 + 15.2964 = 1510.251366 → ÷ 43.98 = 34.3395 → premium 17.1698
    # (17.16975 half up), 3.98 h × 17.1698 = 68.335804 → 68.34.
    assert [ln.amount for ln in lines_of(run, rosa, "regular")] == [D("249.16")] * 6
    assert [ln.rate for ln in lines_of(run, rosa, "differential")] == [D("2.5494")] * 6
    [ot] = lines_of(run, rosa, "ot15")
    assert (ot.workday, ot.hours, ot.rate, ot.amount) == (date(2026, 11, 14), D("3.98"), D("17.1698"), D("68.34"))
    rosa_gross = D("6") * D("249.16") + D("6") * D("2.55") + D("68.34")
    assert PayStatement.objects.get(run=run, worker=rosa).gross == rosa_gross

    totals = selectors.run_totals(run)
    assert totals["gross"] == sum(PayStatement.objects.filter(run=run).values_list("gross", flat=True))
    assert totals["gross"] == sum(PayLine.objects.filter(run=run).values_list("amount", flat=True))
    assert totals["workers"] == 2
    approved = payrun_approve(run=run, approved_by=payroll_user)
    assert approved.status == PayRun.Status.APPROVED



def _second_late_timesheet(worker, work, period, alliedup, payroll_user, alliedup_users):
    """Run 1 pays Tue–Sat 8 h; run 2 pays the late Monday 07:00–15:00 (and Saturday's
    premium); run 3 gets a second late Monday timesheet 16:00–20:00 (Monday's hours 8–12)."""
    for day in range(3, 8):
        work(worker, date(2026, 11, day), time(7), time(15))
    monday = work(worker, date(2026, 11, 2), time(7), time(15), approve=False)
    evening = work(worker, date(2026, 11, 2), time(16), time(20), approve=False)
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=payroll_user)
    timesheet_approve(timesheet=monday, approved_by=alliedup_users["client"])
    run2 = payrun_approve(run=payrun_calculate(run=pay_period_create(cooperative=alliedup).run), approved_by=payroll_user)
    assert gross_of(run2, worker) == D("8") * D("33.00") + D("8") * D("16.50")
    timesheet_approve(timesheet=evening, approved_by=alliedup_users["client"])
    return payrun_calculate(run=pay_period_create(cooperative=alliedup).run)


def test_a_second_late_timesheet_in_a_corrected_week_pays_only_what_it_adds(agreement, worker, work, period, alliedup, payroll_user, alliedup_users):
    run3 = _second_late_timesheet(worker, work, period, alliedup, payroll_user, alliedup_users)
    # 4 h straight time + 4 h daily OT × $16.50 premium; nothing else changes in the week.
    assert gross_of(run3, worker) == D("4") * D("33.00") + D("4") * D("16.50")
    assert PayStatement.objects.get(run=run3, worker=worker).hours_worked == D("4.00")


def test_a_second_late_timesheet_adds_only_its_own_lines(agreement, worker, work, period, alliedup, payroll_user, alliedup_users):
    run3 = _second_late_timesheet(worker, work, period, alliedup, payroll_user, alliedup_users)
    pay = [(ln.workday, ln.kind, ln.hours, ln.amount) for ln in PayLine.objects.filter(run=run3, worker=worker).exclude(amount=0, hours=0).order_by("workday", "kind", "amount")]
    assert pay == [
        (date(2026, 11, 2), "ot15", D("4.00"), D("4") * D("16.50")),
        (date(2026, 11, 2), "regular", D("4.00"), D("4") * D("33.00")),
    ]
