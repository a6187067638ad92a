"""What payroll tells workers (payroll/notices.py): "your pay statement is ready", to each
worker in a run once it is approved, once."""

from datetime import date

import pytest

from payroll.models import PayRun
from payroll.notices import pay_statement_task
from payroll.services.periods import pay_period_create
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.wages import agreement_create, wage_table_set
from placements.services.timesheets import timesheet_approve, timesheet_submit
from tests.notifications.conftest import book, contract, worker_with_login  # noqa: F401 (the fixture)
from tests.placements.conftest import lvn  # noqa: F401 (the fixture)

pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def approved_run(alliedup, lvn, contract, alliedup_users, django_capture_on_commit_callbacks):  # noqa: F811
    """A pay run of Nov 1–14 with two workers' statements, approved (on commit: told)."""
    cba = agreement_create(cooperative=alliedup, name="CBA", union="SEIU-UHW", starts_on=date(2026, 1, 1),
                           ends_on=date(2027, 6, 30), dues_kind="none")
    wage_table_set(agreement=cba, classification=lvn, effective_from=date(2026, 1, 1), steps={1: "40.00"})
    period = pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 1))
    workers = [worker_with_login(alliedup, classifications=[lvn], first_name=name) for name in ("Rosa", "Ben")]
    for worker in workers:
        assignment = book(contract, lvn, worker, date(2026, 11, 3))
        sheet = timesheet_submit(assignment=assignment, clock_in=assignment.starts_at, clock_out=assignment.ends_at)
        timesheet_approve(timesheet=sheet, approved_by=alliedup_users["client"])
    run = payrun_calculate(run=period.run)
    with django_capture_on_commit_callbacks(execute=True):
        run = payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    return run, workers


def test_approving_a_pay_run_tells_each_worker_once(alliedup, approved_run, mailoutbox):
    run, workers = approved_run
    assert sorted(m.to[0] for m in mailoutbox) == sorted(w.email for w in workers)
    rosa = next(m for m in mailoutbox if m.to == [workers[0].email])
    assert rosa.subject == "AlliedUP Cooperative: your pay statement for Nov 20, 2026 is ready"
    assert "Gross pay:    $320.00" in rosa.body and "8.00" in rosa.body
    assert "/c/alliedup/payroll/" in rosa.body
    assert pay_statement_task.delay(cooperative=alliedup.pk, run_id=run.pk).get() == 0
    assert len(mailoutbox) == 2


def test_a_run_not_approved_tells_nobody(alliedup, mailoutbox):
    run = pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 1)).run
    assert run.status == PayRun.Status.DRAFT
    assert pay_statement_task.delay(cooperative=alliedup.pk, run_id=run.pk).get() == 0
    assert mailoutbox == []
