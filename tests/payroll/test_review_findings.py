"""Review of the holiday calendar, timesheet corrections, invoice adjustments and sick leave
caps and requests: each test shows one bug found (arithmetic written out). Fixtures:
tests/payroll/conftest.py (CBA $33.00 for a medical assistant; the client bills $28.00;
biweekly period Nov 1–14, 2026, Sunday workweeks)."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from payroll.models import PayLine, PayRun, PayStatement, SickLeaveEntry
from payroll.services.holidays import holiday_add, holiday_remove
from payroll.services.periods import pay_period_create
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from placements.models import Invoice
from placements.services.invoices import invoice_create, invoice_delete_draft
from placements.services.timesheets import timesheet_correct
from tests.payroll.conftest import at

D = Decimal
MON = date(2026, 11, 2)
VETERANS_DAY = date(2026, 11, 11)  # a Wednesday in the fixture period


def test_reopening_a_week_keeps_both_holiday_premium_lines_of_a_double_pay_holiday(alliedup, alliedup_users, agreement,
                                                                                     worker, work, period):
    """At ×2.00 a holiday with overtime has two HOL lines (straight hours at 1.0×, overtime
    hours at 0.5×) with the same description; recomputing the week for a correction of
    another day must not claw either of them back."""
    agreement.holiday_multiplier = D("2.00")
    agreement.save(update_fields=["holiday_multiplier"])
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    monday = work(worker, date(2026, 11, 9), time(7), time(15))  # 8 h
    work(worker, VETERANS_DAY, time(7), time(17))  # 10 h: HOL 8 h × $33.00 + HOL 2 h × $16.50
    first = payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    assert sorted(PayLine.objects.filter(run=first, kind="holiday").values_list("hours", "amount")) == [
        (D("2.00"), D("33.00")), (D("8.00"), D("264.00"))]
    # Monday was 7 hours, not 8: the week (18 h → 17 h, no weekly overtime) is paid 1 h × $33.00 less.
    timesheet_correct(timesheet=monday, clock_in=at(date(2026, 11, 9), 7), clock_out=at(date(2026, 11, 9), 14),
                      break_minutes=0, reason="Left at 14:00")
    run = payrun_calculate(run=pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 15)).run)
    fixes = sorted((ln.workday, ln.kind, ln.hours, ln.amount) for ln in PayLine.objects.filter(run=run, worker=worker))
    assert fixes == [(date(2026, 11, 9), "regular", D("-1.00"), D("-1") * D("33.00"))]
    assert PayStatement.objects.get(run=run, worker=worker).gross == D("-33.00")


def test_a_holiday_added_to_a_calculated_run_sends_it_back_to_draft(alliedup, alliedup_users, agreement, worker, work, period):
    """Otherwise the run is approved without the premium, the day is then in an approved
    run's period (holiday_add refuses to touch it) and the premium is never paid — or is paid
    by surprise when a later correction reopens the week."""
    work(worker, VETERANS_DAY, time(7), time(15))  # 8 h × $33.00 = $264.00
    run = payrun_calculate(run=period.run)
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    run.refresh_from_db()
    assert run.status == PayRun.Status.DRAFT
    with pytest.raises(ValidationError, match="Calculate the pay run"):
        payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    run = payrun_calculate(run=run)
    # 8 h × $33.00 + holiday premium 8 h × 0.5 × $33.00 = 264 + 132
    assert PayStatement.objects.get(run=run, worker=worker).gross == D("264.00") + D("132.00")
    holiday_remove(cooperative=alliedup, day=VETERANS_DAY)
    run.refresh_from_db()
    assert run.status == PayRun.Status.DRAFT


def test_deleting_a_draft_that_an_adjustment_corrects_is_refused_with_a_message(agreement, worker, work, period, low_contract):
    """Draft A bills 10 h ($308.00); the timesheet is corrected to 8 h and the one-click draft
    B credits 2 overtime hours (−$84.00) against A. Deleting A (a draft, so 'deletable') hits
    the PROTECT of B's corrects_invoice: a ProtectedError (a 500 on the page and the API)
    instead of a refusal; and were it deleted, B's −$84.00 would stand alone."""
    timesheet = work(worker, MON, time(7), time(17))
    draft = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    assert draft.total == D("8") * D("28.00") + D("2") * D("42.00") == D("308.00")
    timesheet_correct(timesheet=timesheet, clock_in=at(MON, 7), clock_out=at(MON, 15), break_minutes=0, reason="Left at 15:00")
    credit = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    assert credit.total == D("-84.00") and credit.lines.get().corrects_invoice_id == draft.pk
    with pytest.raises(ValidationError):
        invoice_delete_draft(invoice=draft)
    assert Invoice.objects.filter(pk=draft.pk).exists()


def test_waiting_requests_of_another_year_count_against_the_balance(alliedup, worker, monkeypatch):
    """The balance is one ledger across years, but only waiting requests of the asked day's
    year are subtracted from it: 10 h available, 8 h asked for on Dec 30 and 8 h more on
    Jan 4 are both accepted (16 h > 10 h), so staff are asked for more than the worker has."""
    from alliedup.models import Cooperative
    from payroll.services.sick_leave import sick_leave_request

    monkeypatch.setattr(Cooperative, "today", lambda self: date(2026, 12, 1))  # both days within 60 days ahead
    SickLeaveEntry.objects.create(cooperative=alliedup, worker=worker, kind="accrued", hours=D("10"),
                                  workday=date(2026, 10, 1), note="Opening balance")
    sick_leave_request(worker=worker, workday=date(2026, 12, 30), hours="8")
    with pytest.raises(ValidationError, match=r"Only 2.00 hours"):  # 10 − 8 waiting
        sick_leave_request(worker=worker, workday=date(2027, 1, 4), hours="8")


def test_a_reopened_week_is_paid_at_the_step_of_that_week_not_of_the_new_period(alliedup, alliedup_users, agreement, ma,
                                                                                 worker, work, period):
    """Years-of-service steps: the worker's anniversary (Nov 10) falls between the two
    periods, so Nov 1–14 is paid at step 1 ($33.00) and Nov 15– at step 2 ($34.00).
    Correcting Monday (10 h → 8 h) must take back 2 h × $33.00 and 2 overtime premium hours
    × $16.50, not re-pay the whole week (Tuesday too) at step 2."""
    from members.models import WorkerClassification

    agreement.step_basis = "years"
    agreement.save(update_fields=["step_basis"])
    WorkerClassification.objects.filter(worker=worker, classification=ma).update(since=date(2025, 11, 10))
    monday = work(worker, MON, time(7), time(17))  # 10 h
    work(worker, date(2026, 11, 3), time(7), time(15))  # 8 h, never corrected
    first = payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    # 18 h × $33.00 + 2 h × $16.50
    assert PayStatement.objects.get(run=first, worker=worker).gross == D("18") * D("33.00") + D("2") * D("16.50")
    timesheet_correct(timesheet=monday, clock_in=at(MON, 7), clock_out=at(MON, 15), break_minutes=0, reason="Left at 15:00")
    run = payrun_calculate(run=pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 15)).run)
    # −2 h × $33.00 − 2 h × $16.50 = −99.00
    assert PayStatement.objects.get(run=run, worker=worker).gross == D("-2") * D("33.00") - D("2") * D("16.50") == D("-99.00")
    assert not PayLine.objects.filter(run=run, workday=date(2026, 11, 3)).exists()


def test_the_invoices_page_lists_corrections_by_the_coops_workday_not_the_utc_date(alliedup, agreement, worker, work, period,
                                                                                     low_contract):
    """corrections_to_adjust compares clock_in_before.date() and clock_in_after.date(): UTC
    dates (16:00 in Los Angeles in November). Two corrections of 4 hours each:
    - 15:00–19:00 → 17:00–21:00 on Nov 2: same workday, same hours, nothing to adjust, yet
      listed (its one-click draft says 'Nothing to bill' and the row stays for 180 days);
    - 23:00–03:00 → 00:00–04:00 (Nov 2 → Nov 3): the hours moved to another workday (a
      draft of Nov 2 credits 1 h × $28.00), yet not listed (both clock-ins are Nov 3 in UTC)."""
    from django.utils import timezone

    from placements.selectors.invoices import corrections_to_adjust

    tue = date(2026, 11, 3)
    same = work(worker, MON, time(15), time(19))
    moved = work(worker, MON, time(23), time(3))  # Nov 2 23:00–24:00 (1 h) + Nov 3 00:00–03:00 (3 h)
    invoice_create(client=low_contract.client, period_start=MON, period_end=tue)
    timesheet_correct(timesheet=same, clock_in=at(MON, 17), clock_out=at(MON, 21), break_minutes=0, reason="Started at 17:00")
    timesheet_correct(timesheet=moved, clock_in=at(tue, 0), clock_out=at(tue, 4), break_minutes=0, reason="Started at midnight")
    listed = {c.reason for c in corrections_to_adjust(alliedup, now=timezone.now())}
    assert listed == {"Started at midnight"}
    # The draft indeed finds only the moved hour: Nov 2 −1 h × $28.00, Nov 3 +1 h × $28.00.
    adjustment = invoice_create(client=low_contract.client, period_start=MON, period_end=tue)
    assert sorted((ln.workday, ln.hours, ln.amount) for ln in adjustment.lines.all()) == [
        (MON, D("-1.00"), D("-28.00")), (tue, D("1.00"), D("28.00"))]
