"""Pay runs: the wage floor, overtime premiums on the regular rate, statements, approval,
corrections in the next run. The arithmetic is written out in each test."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from payroll.models import PayLine, PayRun, PayStatement
from payroll.services.periods import pay_period_create
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.wages import differential_add

D = Decimal


def lines_of(run, worker, kind):
    return list(PayLine.objects.filter(run=run, worker=worker, kind=kind).order_by("workday", "id"))


def test_wage_floor_pays_the_cba_wage_and_records_what_the_coop_absorbs(agreement, worker, work, period):
    # Monday Nov 2: 07:00–17:00, 10 hours; the client pays $28.00, the CBA says $33.00.
    work(worker, date(2026, 11, 2), time(7), time(17))
    run = payrun_calculate(run=period.run)
    [regular] = lines_of(run, worker, "regular")
    assert (regular.hours, regular.rate, regular.amount) == (D("10.00"), D("33.0000"), D("10") * D("33.00"))
    [overtime] = lines_of(run, worker, "ot15")
    # hours 8–10 are daily overtime: premium 0.5 × regular rate $33.00 = $16.50
    assert (overtime.hours, overtime.rate, overtime.amount) == (D("2.00"), D("16.5000"), D("2") * D("16.50"))
    # billed: 8 × $28.00 + 2 × $28.00 × 1.5 = 224.00 + 84.00
    assert regular.bill_amount == D("8") * D("28.00") + D("2") * D("28.00") * D("1.5")
    # absorbed: ($33.00 − $28.00) on 8 straight hours and on 2 overtime hours × 1.5
    assert regular.absorbed == (D("33.00") - D("28.00")) * (D("8") + D("2") * D("1.5"))
    statement = PayStatement.objects.get(run=run, worker=worker)
    # paid = 8 × 33 + 2 × 49.50: the worker gets the full CBA wage with overtime
    assert statement.gross == D("8") * D("33.00") + D("2") * D("49.50") == D("363.00")
    assert statement.hours_worked == D("10.00")


def test_differential_raises_the_overtime_rate(agreement, worker, work, period):
    differential_add(agreement=agreement, kind="night", amount=D("4.00"), window_start=time(23), window_end=time(7))
    # Tuesday 19:00 → Wednesday 07:00 splits at midnight: 5 h on Tue, 7 h on Wed; 4 + 7 night hours.
    work(worker, date(2026, 11, 3), time(19), time(7))
    run = payrun_calculate(run=period.run)
    diffs = lines_of(run, worker, "differential")
    assert [(d.workday, d.hours, d.amount) for d in diffs] == [
        (date(2026, 11, 3), D("1.00"), D("1") * D("4.00")),  # 23:00–24:00
        (date(2026, 11, 4), D("7.00"), D("7") * D("4.00")),  # 00:00–07:00
    ]
    # No day passes 8 hours, no week passes 40: no overtime yet.
    assert lines_of(run, worker, "ot15") == []


def test_overtime_premium_uses_the_weeks_regular_rate_with_differentials(agreement, worker, work, period):
    differential_add(agreement=agreement, kind="night", amount=D("4.00"), window_start=time(23), window_end=time(7))
    # Thursday 21:00 → Friday 09:00 would split; use a single-day night: Thu 14:00–24:00 is not allowed,
    # so work Thursday 13:00–23:59? Simpler: a 10-hour shift 21:00–07:00 crossing midnight (3 + 7 h).
    work(worker, date(2026, 11, 5), time(13), time(23))  # 10 h on Thursday, no night hours
    work(worker, date(2026, 11, 6), time(20), time(7))  # Fri 20–24 (4 h, 1 night) + Sat 0–7 (7 h, 7 night)
    run = payrun_calculate(run=period.run)
    # Week straight time: 21 h × $33.00 + 8 night hours × $4.00 = 693.00 + 32.00 = 725.00
    # Regular rate = 725.00 ÷ 21 = 34.5238 (to 4 decimals, half up)
    regular_rate = (D("725.00") / D("21")).quantize(D("0.0001"))
    assert regular_rate == D("34.5238")
    [overtime] = lines_of(run, worker, "ot15")  # Thursday hours 8–10
    assert overtime.rate == (regular_rate * D("0.5")).quantize(D("0.0001")) == D("17.2619")
    assert overtime.amount == (D("2") * D("17.2619")).quantize(D("0.01")) == D("34.52")
    statement = PayStatement.objects.get(run=run, worker=worker)
    assert statement.gross == sum(l.amount for l in PayLine.objects.filter(run=run, worker=worker)) == D("725.00") + D("34.52")


def test_missing_wage_refuses_the_run_and_writes_nothing(alliedup, worker, work, period, ma):
    work(worker, date(2026, 11, 2), time(7), time(15))
    with pytest.raises(ValidationError, match="no CBA wage"):
        payrun_calculate(run=period.run)
    assert PayLine.objects.count() == 0 and PayRun.objects.get().status == "draft"


def test_an_approved_run_cannot_change(agreement, worker, work, period, alliedup_users):
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    with pytest.raises(ValidationError, match="approved"):
        payrun_calculate(run=run)
    with pytest.raises(ValidationError, match="approved"):
        pay_adjustment_add(run=run, worker=worker, amount="10.00", reason="bonus")
    assert PayLine.objects.filter(run=run).count() == 1


def test_late_timesheet_is_paid_in_the_next_run_with_the_weeks_overtime_recomputed(agreement, worker, work, period, alliedup, alliedup_users):
    # Week of Nov 1: Mon–Thu 10 h each (8 regular + 2 OT a day) is paid in run 1.
    for day in (2, 3, 4, 5):
        work(worker, date(2026, 11, day), time(7), time(17))
    late = work(worker, date(2026, 11, 6), time(7), time(15), approve=False)  # Friday 8 h, approved late
    run1 = payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    assert PayStatement.objects.get(run=run1).gross == D("4") * (D("10") * D("33") + D("2") * D("16.50"))
    from placements.services.timesheets import timesheet_approve
    timesheet_approve(timesheet=late, approved_by=alliedup_users["client"])
    run2 = payrun_calculate(run=pay_period_create(cooperative=alliedup).run)
    corrections = list(PayLine.objects.filter(run=run2, worker=worker).order_by("kind"))
    # Friday: 8 h straight time; the week had 32 regular hours, so Friday's hours 33–40 stay regular.
    # the week was paid by run 1: the correction points at it
    assert [(c.kind, c.hours, c.amount, c.corrects_run_id) for c in corrections] == [("regular", D("8.00"), D("8") * D("33.00"), run1.pk)]
    assert corrections[0].description.startswith("Correction, week of Nov 01")


def test_adjustment_sends_the_run_back_to_draft_and_lands_on_the_statement(agreement, worker, work, period, alliedup_users):
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    pay_adjustment_add(run=run, worker=worker, amount="25.00", reason="Missed meal premium Oct 28", added_by=alliedup_users["payroll"])
    run.refresh_from_db()
    assert run.status == "draft"
    with pytest.raises(ValidationError, match="Calculate"):
        payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    payrun_calculate(run=run)
    assert PayStatement.objects.get(run=run).gross == D("8") * D("33.00") + D("25.00")


def test_the_lines_are_the_same_in_however_many_pieces_they_are_written(agreement, ma, work, period, monkeypatch):
    """payrun_calculate writes a run's lines in pay_lines.PIECES COPYs, priced by a thread
    (alliedup.bulk.copy_pieces): one piece, one per worker or uneven shares give the same run."""
    from payroll.services import pay_lines
    from tests.members.factories import WorkerFactory

    differential_add(agreement=agreement, kind="night", amount=D("4.00"), window_start=time(23), window_end=time(7))
    workers = [WorkerFactory(cooperative=agreement.cooperative, classifications=[ma]) for _ in range(5)]
    for i, worker in enumerate(workers):  # overtime, double time after 12 hours, night hours over midnight
        week = 7 * (i % 2)
        work(worker, date(2026, 11, 2 + week), time(7), time(17 + i % 3))
        work(worker, date(2026, 11, 3 + week), time(19), time(7))
        work(worker, date(2026, 11, 5 + week), time(6), time(20))

    def the_run(pieces: int):
        monkeypatch.setattr(pay_lines, "PIECES", pieces)
        run = payrun_calculate(run=period.run)
        lines = sorted(PayLine.objects.filter(run=run).values_list(
            "worker_id", "workday", "kind", "timesheet_id", "hours", "rate", "amount", "description", "bill_amount", "absorbed"))
        statements = sorted(PayStatement.objects.filter(run=run).values_list("worker_id", "hours_worked", "gross", "net"))
        return lines, statements

    one = the_run(1)
    assert {kind for _, _, kind, *_ in one[0]} >= {"regular", "differential", "ot15", "ot20"} and len(one[1]) == 5
    assert the_run(8) == one  # a piece per worker
    assert the_run(2) == one  # three workers, then two
