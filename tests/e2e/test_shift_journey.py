"""A shift from request to paid hours, on a phone: the worker requests an open shift, staff
confirm it, the worker works it and submits the timesheet, the client approves it, and the
hours land in the worker's ledger toward ownership."""

import re
from datetime import time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from members.models import CredentialRequirement, CredentialType, HoursEntry, WorkerCredential
from placements.models import Assignment, ClientContact, JobOrder, Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import assignment_confirm
from placements.services.orders import job_order_create, shift_times
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.e2e

SITE = ZoneInfo("America/Los_Angeles")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
START, END = time(7, 0), time(15, 30)


@pytest.fixture
def setting(alliedup, alliedup_users):
    """Rosa, a licensed LVN linked to the worker login; a client whose contact is the
    client login; tomorrow's 07:00–15:30 LVN shift at the client's site."""
    tomorrow = timezone.localdate(timezone=SITE) + timedelta(days=1)
    with scopes_disabled():
        lvn = JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")
        licence = CredentialType.objects.create(cooperative=alliedup, code="lvn-licence", name="LVN licence")
        CredentialRequirement.objects.create(cooperative=alliedup, credential_type=licence, classification=lvn)
        worker = WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", user=alliedup_users["worker"],
                               classifications=[lvn])
        WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence,
                                        expires_on=tomorrow + timedelta(days=365))
    with scope(cooperative=alliedup):
        client = client_create(cooperative=alliedup, name="Eastbay Skilled Nursing", time_zone=SITE.key)
        contract = contract_create(client=client, reference="ESN-2026", starts_on=tomorrow - timedelta(days=30))
        bill_rate_set(contract=contract, classification=lvn, effective_from=tomorrow - timedelta(days=30), regular_rate="52.00")
        ClientContact.objects.create(cooperative=alliedup, client=client, user=alliedup_users["client"])
        order = job_order_create(contract=contract, classification=lvn, starts_on=tomorrow, ends_on=tomorrow,
                                 shift_start=START, shift_end=END)
    return {"worker": worker, "order": order}


def _staff_confirms_and_the_shift_is_worked(alliedup, alliedup_users, order):
    """Staff confirm the request (the coordinator's page is not part of this journey), then
    time passes: the shift becomes yesterday's, since a timesheet is only for time worked
    and only shifts still to come can be requested. No clock-faking library is installed,
    so the rows move instead of the clock."""
    yesterday = timezone.localdate(timezone=SITE) - timedelta(days=1)
    starts_at, ends_at = shift_times(yesterday, START, END, SITE)
    with scope(cooperative=alliedup):
        assignment = Assignment.objects.get(shift__job_order=order)
        assert assignment.status == Assignment.Status.ACCEPTED
        assignment_confirm(assignment=assignment, confirmed_by=alliedup_users["coordinator"])
        JobOrder.objects.filter(pk=order.pk).update(starts_on=yesterday, ends_on=yesterday)
        Shift.objects.filter(job_order=order).update(starts_at=starts_at, ends_at=ends_at)
        Assignment.objects.filter(pk=assignment.pk).update(starts_at=starts_at, ends_at=ends_at)
    return yesterday


def _fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_worker_requests_works_and_is_paid_for_a_shift(new_page, live_server, sign_in, alliedup, alliedup_users, setting):
    base = f"{live_server.url}/c/alliedup/placements"

    # The worker finds tomorrow's shift and requests it with one tap.
    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    phone.goto(f"{base}/me/shifts/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Open shifts I qualify for")
    card = phone.locator(".shift-card").filter(has_text="Eastbay Skilled Nursing")
    expect(card).to_contain_text("07:00–15:30")
    expect(card).to_contain_text("Licensed Vocational Nurse")
    assert _fits_the_phone(phone)
    card.get_by_role("button", name=re.compile("^Request")).tap()
    expect(card).to_contain_text("Requested — staff will confirm.")
    expect(card.get_by_role("button")).to_have_count(0)

    phone.goto(f"{base}/me/schedule/")
    expect(phone.locator("main")).to_contain_text("Requested — staff will confirm")

    yesterday = _staff_confirms_and_the_shift_is_worked(alliedup, alliedup_users, setting["order"])

    # The worker submits the timesheet in "My schedule": stayed 15 minutes late, 30-minute lunch.
    phone.reload()
    timesheet = phone.get_by_role("form", name=re.compile("^Timesheet for"))
    expect(timesheet.get_by_label("Clock-in (Los Angeles time)")).to_have_value(f"{yesterday:%Y-%m-%d}T07:00")
    timesheet.get_by_label("Clock-out (Los Angeles time)").fill(f"{yesterday:%Y-%m-%d}T15:45")
    timesheet.get_by_label("Unpaid break (minutes)").fill("30")
    timesheet.get_by_role("button", name="Submit timesheet").tap()
    expect(phone.locator(".messages")).to_contain_text("Timesheet submitted.")
    expect(phone.locator("main")).to_contain_text("Timesheet submitted: 8.25 h, waiting for the client's approval.")
    assert _fits_the_phone(phone)

    # The client's contact approves it, also from a phone.
    approver = new_page(**PHONE)
    sign_in(approver, alliedup_users["client"])
    approver.goto(f"{base}/client/timesheets/")
    expect(approver.get_by_role("heading", level=1)).to_have_text("Timesheets to approve")
    row = approver.locator(".shift-card").filter(has_text="Rosa Delgado")
    expect(row).to_contain_text("In 07:00, out 15:45")
    expect(row).to_contain_text("8.25 h")
    assert _fits_the_phone(approver)
    row.get_by_role("button", name=re.compile("^Approve")).tap()
    expect(approver.locator(".messages")).to_contain_text("Approved 8.25 hours for Rosa Delgado.")
    expect(approver.locator("main")).to_contain_text("No timesheets waiting for you.")

    # The hours are in the worker's ledger, on the day worked, and the worker sees them approved.
    with scope(cooperative=alliedup):
        entry = HoursEntry.objects.get(worker=setting["worker"])
        assert (entry.hours, entry.workday, entry.source) == (Decimal("8.25"), yesterday, HoursEntry.Source.TIMESHEET)
        assert entry.posted_by == alliedup_users["client"]
    phone.reload()
    expect(phone.locator("main")).to_contain_text("Timesheet approved: 8.25 h.")
