from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from payroll.services.periods import pay_period_create
from payroll.services.wages import agreement_create, wage_table_set
from placements.models import Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_submit
from tests.members.factories import JobClassificationFactory, WorkerFactory

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


@pytest.fixture
def ma(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="ma", name="Medical Assistant")


@pytest.fixture
def agreement(alliedup, ma):
    """A CBA with the medical assistant at $33.00 (step 1) and $34.00 (step 2); no dues."""
    cba = agreement_create(cooperative=alliedup, name="CBA 2026–2027", union="SEIU-UHW", starts_on=date(2026, 1, 1),
                           ends_on=date(2027, 6, 30), dues_kind="none")
    wage_table_set(agreement=cba, classification=ma, effective_from=date(2026, 1, 1), steps={1: Decimal("33.00"), 2: Decimal("34.00")})
    return cba


@pytest.fixture
def low_contract(alliedup, ma):
    """A client paying $28.00 for a medical assistant: below the CBA's $33.00."""
    client = client_create(cooperative=alliedup, name="Valley Clinic")
    contract = contract_create(client=client, reference="VC-2026", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=ma, effective_from=date(2026, 1, 1), regular_rate="28.00")
    return contract


@pytest.fixture
def worker(alliedup, ma):
    return WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Rosa", last_name="Diaz")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LA)


@pytest.fixture
def work(low_contract, ma, alliedup_users):
    """work(worker, day, start_hour, end_hour, break_minutes=0, contract=None): a one-shift job
    order filled by the worker, the timesheet submitted as scheduled and approved."""

    def _work(worker, day: date, start: time, end: time, break_minutes: int = 0, contract=None, approve=True):
        order = job_order_create(contract=contract or low_contract, classification=ma, starts_on=day, ends_on=day,
                                 shift_start=start, shift_end=end)
        shift = Shift.objects.get(job_order=order)
        assignment = shift_assign(shift=shift, worker=worker)
        timesheet = timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at,
                                     break_minutes=break_minutes)
        if approve:
            timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"])
        return timesheet

    return _work


@pytest.fixture
def period(alliedup):
    """The biweekly period Sunday 2026-11-01 → Saturday 2026-11-14 (Sunday workweeks)."""
    return pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 1))
