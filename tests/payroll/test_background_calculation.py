"""A big pay run is calculated by the worker, not in the web request: queued, refreshed
until done, refusals kept on the run, approval held until it is done, once per delivery.
Fixtures: tests/payroll/conftest.py. PAYRUN_INLINE_TIMESHEETS = 0 makes any run 'big'."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from payroll.models import PayRun, PayStatement
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate_or_queue
from payroll.tasks import payrun_calculate_task
from tests.members.factories import JobClassificationFactory, WorkerFactory

D = Decimal


@pytest.fixture
def big(settings):
    settings.PAYRUN_INLINE_TIMESHEETS = 0


def test_a_big_run_is_queued_and_the_worker_calculates_it(big, agreement, worker, work, period, alliedup_users,
                                                          django_capture_on_commit_callbacks):
    work(worker, date(2026, 11, 2), time(7), time(15))
    with django_capture_on_commit_callbacks() as queued:
        assert payrun_calculate_or_queue(run=period.run, calculated_by=alliedup_users["payroll"]) is True
    run = PayRun.objects.get(pk=period.run.pk)
    assert run.calculation_queued_at is not None and run.status == "draft" and not PayStatement.objects.exists()
    with pytest.raises(ValidationError, match="already"):
        payrun_calculate_or_queue(run=run)  # one calculation at a time
    with pytest.raises(ValidationError, match="Calculate the pay run"):
        payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    assert len(queued) == 1
    queued[0]()  # the commit: the (eager) task runs
    run.refresh_from_db()
    assert (run.status, run.calculation_queued_at, run.calculated_by) == ("calculated", None, alliedup_users["payroll"])
    assert PayStatement.objects.get(worker=worker).gross == D("8") * D("33.00")
    assert payrun_calculate_task(cooperative=run.cooperative_id, run_id=run.pk) is False  # a duplicate delivery


def test_a_refusal_is_kept_on_the_run_and_shown(big, alliedup, agreement, period, login, alliedup_users,
                                                django_capture_on_commit_callbacks):
    cna = JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")
    unpaid = WorkerFactory(cooperative=alliedup, classifications=[cna], first_name="Ana", last_name="Lopez")
    page = login(alliedup_users["payroll"])
    url = reverse("payroll:run_calculate", args=["alliedup", period.run.uuid])
    _work_cna(alliedup, cna, unpaid)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs when the request's work commits
        page.post(url)
    text = page.get(reverse("payroll:run_detail", args=["alliedup", period.run.uuid])).content.decode()
    run = PayRun.objects.get(pk=period.run.pk)
    assert run.calculation_queued_at is None and "no CBA wage" in run.calculation_error and run.status == "draft"
    assert "no CBA wage" in text and "Ana Lopez" in text


def _work_cna(alliedup, cna, worker):
    """An approved CNA timesheet on Nov 3: the CBA has no wage table for CNAs."""
    from placements.models import Shift
    from placements.services.clients import bill_rate_set, client_create, contract_create
    from placements.services.matching import shift_assign
    from placements.services.orders import job_order_create
    from placements.services.timesheets import timesheet_approve, timesheet_submit

    client = client_create(cooperative=alliedup, name="Care Home")
    contract = contract_create(client=client, reference="CH-1", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=cna, effective_from=date(2026, 1, 1), regular_rate="30.00")
    order = job_order_create(contract=contract, classification=cna, starts_on=date(2026, 11, 3), ends_on=date(2026, 11, 3),
                             shift_start=time(7), shift_end=time(15))
    shift = Shift.objects.get(job_order=order)
    timesheet = timesheet_submit(assignment=shift_assign(shift=shift, worker=worker), clock_in=shift.starts_at,
                                 clock_out=shift.ends_at)
    timesheet_approve(timesheet=timesheet, approved_by=None, on_behalf_of_client=True)


def test_the_run_page_refreshes_while_queued_and_the_api_answers_202(big, agreement, worker, work, period, login,
                                                                      alliedup_users, django_capture_on_commit_callbacks):
    work(worker, date(2026, 11, 2), time(7), time(15))
    page = login(alliedup_users["payroll"])
    with django_capture_on_commit_callbacks(execute=False):
        response = page.post(reverse("payroll:run_calculate", args=["alliedup", period.run.uuid]), follow=True)
    text = response.content.decode()
    assert "being calculated in the background" in text and 'http-equiv="refresh"' in text
    assert ">Recalculate<" not in text and ">Calculate<" not in text

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=alliedup_users['payroll'])[0].key}")
    PayRun.objects.filter(pk=period.run.pk).update(calculation_queued_at=None)
    with django_capture_on_commit_callbacks(execute=False):
        answered = api.post(f"/api/v1/c/alliedup/payroll/runs/{period.run.uuid}/calculate/")
    assert answered.status_code == 202 and answered.json()["calculating"] is True


def test_a_small_run_is_still_calculated_at_once(agreement, worker, work, period):
    work(worker, date(2026, 11, 2), time(7), time(15))
    assert payrun_calculate_or_queue(run=period.run) is False
    assert PayRun.objects.get(pk=period.run.pk).status == "calculated"
