"""Approved hours corrected, in the browser: a coordinator opens the shift, corrects the
approved clock-out with a reason, and is told the pay follows; the worker, on a phone, sees
the correction on their schedule."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from members.models import HoursEntry
from placements.models import Shift, TimesheetCorrection
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_submit
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.e2e

SITE = ZoneInfo("America/Los_Angeles")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def approved(alliedup, alliedup_users):
    """Rosa's shift of two days ago, 07:00–15:30 at the site, approved for the client."""
    day = timezone.localdate(timezone=SITE) - timedelta(days=2)
    with scopes_disabled():
        lvn = JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")
        worker = WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", user=alliedup_users["worker"],
                               classifications=[lvn])
    with scope(cooperative=alliedup):
        client = client_create(cooperative=alliedup, name="Eastbay Skilled Nursing", time_zone=SITE.key)
        contract = contract_create(client=client, reference="ESN-2026", starts_on=day - timedelta(days=30))
        bill_rate_set(contract=contract, classification=lvn, effective_from=day - timedelta(days=30), regular_rate="52.00")
        order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day,
                                 shift_start=time(7), shift_end=time(15, 30))
        shift = Shift.objects.get(job_order=order)
        assignment = shift_assign(shift=shift, worker=worker)
        timesheet = timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at)
        timesheet_approve(timesheet=timesheet, approved_by=None, on_behalf_of_client=True)
    return {"day": day, "shift": shift, "timesheet": timesheet, "worker": worker}


def test_a_coordinator_corrects_approved_hours_and_the_worker_sees_it(alliedup, alliedup_users, live_server, new_page,
                                                                       sign_in, approved):
    base = f"{live_server.url}/c/alliedup/placements"
    staff = new_page()
    sign_in(staff, alliedup_users["coordinator"])
    staff.goto(f"{base}/shifts/{approved['shift'].uuid}/")
    staff.get_by_role("link", name="Correct the approved hours").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Correct Rosa Delgado's approved hours")
    clock_out = staff.get_by_label("Clock-out (Los Angeles time)")
    expect(clock_out).to_have_value(f"{approved['day']:%Y-%m-%d}T15:30")
    clock_out.fill(f"{approved['day']:%Y-%m-%d}T14:30")
    staff.get_by_label("Why are the approved hours corrected?").fill("Left at 14:30; the client approved the scheduled end")
    staff.get_by_role("button", name="Correct the hours").click()
    expect(staff.locator(".messages")).to_contain_text("Corrected: 8.50 h → 7.50 h for Rosa Delgado")

    with scopes_disabled():
        assert TimesheetCorrection.objects.get().hours_after == 7.5
        assert sum(HoursEntry.objects.filter(worker=approved["worker"]).values_list("hours", flat=True)) == 7.5

    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    phone.goto(f"{base}/me/schedule/")
    expect(phone.get_by_text("Corrected by staff")).to_be_visible()
    expect(phone.locator(".timesheet-status")).to_contain_text("from 8.50 h: Left at 14:30")
