"""The payroll processor's files: the export sums exactly to the run's lines and deductions;
the results import fills taxes and net pay all-or-nothing."""

import csv
import io
from collections import defaultdict
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.services.equity import equity_account_open
from payroll.models import PayDeduction, PayLine, PayRun, PayStatement, SickLeaveEntry
from payroll.selectors import employee_id
from payroll.services.processor import payrun_export, payrun_import_results
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.sick_leave import sick_leave_use
from payroll.services.wages import differential_add
from tests.members.factories import WorkerFactory

D = Decimal


@pytest.fixture
def payroll_user(alliedup_users):
    return alliedup_users["payroll"]


@pytest.fixture
def ana(alliedup, ma):
    return WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Ana", last_name="Ruiz")


@pytest.fixture
def dues(agreement):
    agreement.dues_kind, agreement.dues_percent, agreement.dues_cap = "percent", D("1.50"), D("15.00")
    agreement.save()
    return agreement


def parse(text):
    return list(csv.DictReader(io.StringIO(text)))


def _approved_run_with_adjustments(run, workers_and_amounts, user):
    """A run whose statements come from staff adjustments only (exact gross per worker)."""
    for who, amount in workers_and_amounts:
        pay_adjustment_add(run=run, worker=who, amount=amount, reason="Retro pay", added_by=user)
    return payrun_approve(run=payrun_calculate(run=run), approved_by=user)


# --- export ----------------------------------------------------------------------------


@pytest.mark.today("2026-11-23")  # sick days of Nov 2026 are still payable by a run
def test_export_rows_sum_exactly_to_the_runs_lines_and_deductions(dues, worker, ana, work, period, payroll_user, alliedup):
    differential_add(agreement=dues, kind="night", amount=D("4.25"), window_start=time(23), window_end=time(7))
    equity_account_open(worker=ana, plan="installments", start_on=date(2026, 11, 1))  # $50.00 due by Nov 20
    SickLeaveEntry.objects.create(cooperative=alliedup, worker=ana, kind="accrued", hours=D("8"), workday=date(2026, 10, 1))
    # Rosa: Monday 13.5 h with a night start (REG, DIFF, OT15, OT20), Tuesday 7 h 20 min.
    work(worker, date(2026, 11, 2), time(5), time(18, 30))
    work(worker, date(2026, 11, 3), time(7), time(14, 20))
    # Ana: two 8-hour days, 4 sick hours, a staff adjustment.
    work(ana, date(2026, 11, 9), time(7), time(15))
    work(ana, date(2026, 11, 10), time(7), time(15))
    sick_leave_use(worker=ana, workday=date(2026, 11, 11), hours="4")
    run = payrun_calculate(run=period.run)
    pay_adjustment_add(run=run, worker=ana, amount="12.34", reason="Missed meal premium", added_by=payroll_user)
    run = payrun_approve(run=payrun_calculate(run=run), approved_by=payroll_user)

    text = payrun_export(run=run, exported_by=payroll_user)
    rows = parse(text)
    assert list(rows[0]) == ["employee_id", "last_name", "first_name", "type", "code", "hours", "amount", "pay_date", "period_start", "period_end"]
    assert {(r["pay_date"], r["period_start"], r["period_end"]) for r in rows} == {("2026-11-20", "2026-11-01", "2026-11-14")}

    expected = defaultdict(lambda: [D("0.00"), D("0.00")])
    for line in PayLine.objects.filter(run=run).select_related("worker"):
        bucket = expected[(employee_id(line.worker), line.earning_code)]
        bucket[0] += line.hours
        bucket[1] += line.amount
    earnings = {(r["employee_id"], r["code"]): [D(r["hours"]), D(r["amount"])] for r in rows if r["type"] == "earning"}
    assert len(earnings) == len([r for r in rows if r["type"] == "earning"])  # one row per worker and code
    assert earnings == dict(expected)
    assert {code for _, code in earnings} == {"REG", "DIFF", "OT15", "OT20", "SICK", "ADJ"}

    deductions = {(r["employee_id"], r["code"]): D(r["amount"]) for r in rows if r["type"] == "deduction"}
    assert deductions == {(employee_id(d.worker), d.code): d.amount for d in PayDeduction.objects.filter(run=run).select_related("worker")}
    assert deductions[(employee_id(ana), "EQUITY")] == D("50.00")
    assert all(r["hours"] == "" for r in rows if r["type"] == "deduction")

    for statement in PayStatement.objects.filter(run=run).select_related("worker"):
        eid = employee_id(statement.worker)
        assert sum(amount for (e, _), (_, amount) in earnings.items() if e == eid) == statement.gross
        assert sum(amount for (e, _), amount in deductions.items() if e == eid) == statement.deductions
    # Rows of one worker come together, names sorted: Diaz before Ruiz; codes in order.
    order = [(r["last_name"], r["type"], r["code"]) for r in rows if r["type"] == "earning"]
    assert order == sorted(order, key=lambda o: (o[0], ["REG", "DIFF", "OT15", "OT20", "SICK", "ADJ"].index(o[2])))

    run.refresh_from_db()
    assert run.status == PayRun.Status.EXPORTED and run.exported_at is not None
    assert payrun_export(run=run) == text  # exporting again gives the same file


def test_export_of_a_run_not_approved_is_refused(agreement, worker, work, period):
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    with pytest.raises(ValidationError, match="Approve"):
        payrun_export(run=run)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED and run.exported_at is None


# --- import ----------------------------------------------------------------------------


def test_import_fills_taxes_and_net_pay(dues, worker, ana, period, payroll_user):
    run = _approved_run_with_adjustments(period.run, [(worker, "1234.56"), (ana, "500.00")], payroll_user)
    payrun_export(run=run)
    # Rosa: gross 1234.56 − dues 15.00 (1.5% = 18.52, capped) = 1219.56 left; Ana: 500.00 − 7.50 = 492.50.
    rosa_left = D("1234.56") - D("15.00")
    ana_left = D("500.00") - D("7.50")
    assert PayStatement.objects.get(run=run, worker=worker).deductions == D("15.00")
    text = (
        "employee_id,taxes,net_pay\n"
        f"{employee_id(worker)},\"1,000.00\",{rosa_left - D('1000.00')}\n"
        f"{employee_id(ana)},80.25,{ana_left - D('80.25')}\n"
    )
    assert payrun_import_results(run=run, csv_text="\ufeff" + text, imported_by=payroll_user) == 2
    rosa = PayStatement.objects.get(run=run, worker=worker)
    assert (rosa.taxes, rosa.net) == (D("1000.00"), D("219.56"))
    assert rosa.taxes + rosa.net + rosa.deductions == rosa.gross
    anas = PayStatement.objects.get(run=run, worker=ana)
    assert (anas.taxes, anas.net) == (D("80.25"), D("412.25"))
    run.refresh_from_db()
    assert run.taxes_imported_at is not None


def test_malformed_results_list_every_problem_and_write_nothing(agreement, worker, ana, period, payroll_user, alliedup, ma):
    bea, cy, dee = (WorkerFactory(cooperative=alliedup, classifications=[ma], first_name=n, last_name=n + "son") for n in ("Bea", "Cy", "Dee"))
    run = _approved_run_with_adjustments(period.run, [(worker, "100.00"), (ana, "100.00"), (bea, "100.00"), (cy, "100.00"), (dee, "100.00")], payroll_user)
    text = (
        "employee_id,taxes,net_pay\n"
        f"{employee_id(worker)},10.00,90.00\n"   # line 2: fine on its own
        "E999999,10.00,90.00\n"                   # line 3: unknown employee
        f"{employee_id(worker)},10.00,90.00\n"   # line 4: repeated
        f"{employee_id(ana)},12.345,80.00\n"     # line 5: fractions of a cent
        f"{employee_id(bea)},10.00,-5.00\n"      # line 6: negative
        f"{employee_id(cy)},0.00,100.01\n"       # line 7: net above gross − deductions (100.00)
    )                                            # Dee: no row
    with pytest.raises(ValidationError) as err:
        payrun_import_results(run=run, csv_text=text)
    messages = err.value.messages
    assert len(messages) == 6
    assert messages[0].startswith("Line 3") and "E999999" in messages[0]
    assert messages[1].startswith("Line 4") and "line 2" in messages[1]
    assert messages[2].startswith("Line 5") and "12.345" in messages[2]
    assert messages[3].startswith("Line 6") and "-5.00" in messages[3]
    assert messages[4].startswith("Line 7") and "100.01" in messages[4]
    assert messages[5] == f"Employee {employee_id(dee)} has a statement in this run but no row in the file."
    assert set(PayStatement.objects.filter(run=run).values_list("taxes", "net")) == {(None, None)}
    run.refresh_from_db()
    assert run.taxes_imported_at is None


def test_results_whose_taxes_and_net_exceed_what_is_left_are_refused(agreement, worker, period, payroll_user):
    run = _approved_run_with_adjustments(period.run, [(worker, "100.00")], payroll_user)
    # 60.00 + 60.00 = 120.00 paid out of 100.00
    with pytest.raises(ValidationError):
        payrun_import_results(run=run, csv_text=f"employee_id,taxes,net_pay\n{employee_id(worker)},60.00,60.00\n")
    assert PayStatement.objects.get(run=run).taxes is None


def test_import_into_a_run_not_approved_is_refused(agreement, worker, work, period):
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    with pytest.raises(ValidationError, match="approved"):
        payrun_import_results(run=run, csv_text=f"employee_id,taxes,net_pay\n{employee_id(worker)},10.00,200.00\n")
    assert PayStatement.objects.get(run=run).taxes is None


def test_import_without_the_columns_is_refused(agreement, worker, period, payroll_user):
    run = _approved_run_with_adjustments(period.run, [(worker, "100.00")], payroll_user)
    with pytest.raises(ValidationError, match="missing: net_pay"):
        payrun_import_results(run=run, csv_text=f"employee_id,taxes\n{employee_id(worker)},10.00\n")
