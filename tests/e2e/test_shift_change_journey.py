"""A swap on phones: Rosa offers her confirmed shift to Luis from My schedule, Luis accepts
it on his portal, the coordinator approves it on the drops and swaps page, and the shift is
on Luis's schedule. Then Luis asks to drop it and the approval reopens it on the fill board."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from alliedup.models import Role
from members.models import CredentialRequirement, CredentialType, WorkerCredential
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from tests.factories import CooperativeRoleFactory, UserFactory
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.e2e

SITE = ZoneInfo("America/Los_Angeles")
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def _fits(page, what: str):
    sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert sizes["inner"] == 360 and sizes["scroll"] <= 360, f"{what} scrolls sideways: {sizes}"


@pytest.fixture
def booked(alliedup, alliedup_users):
    """Rosa (the worker login) booked on a day shift five days ahead (well before the
    48-hour cut-off); Luis, a licensed LVN with his own login."""
    day = timezone.localdate(timezone=SITE) + timedelta(days=5)
    luis_user = UserFactory(email="luis@alliedup.example.com", full_name="Luis Ortega")
    with scopes_disabled():
        CooperativeRoleFactory(cooperative=alliedup, user=luis_user, role=Role.WORKER)
        lvn = JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")
        licence = CredentialType.objects.create(cooperative=alliedup, code="lvn-licence", name="LVN licence")
        CredentialRequirement.objects.create(cooperative=alliedup, credential_type=licence, classification=lvn)
        people = {}
        for key, first, last, user in (("rosa", "Rosa", "Delgado", alliedup_users["worker"]), ("luis", "Luis", "Ortega", luis_user)):
            people[key] = WorkerFactory(cooperative=alliedup, first_name=first, last_name=last, user=user, classifications=[lvn])
            WorkerCredential.objects.create(cooperative=alliedup, worker=people[key], credential_type=licence,
                                            expires_on=day + timedelta(days=365))
    with scope(cooperative=alliedup):
        client = client_create(cooperative=alliedup, name="Eastbay Skilled Nursing", time_zone=SITE.key)
        contract = contract_create(client=client, reference="ESN-2026", starts_on=day - timedelta(days=30))
        bill_rate_set(contract=contract, classification=lvn, effective_from=day - timedelta(days=30), regular_rate="52.00")
        order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=time(7, 0),
                                 shift_end=time(15, 30))
        shift = order.shifts.get()
        shift_assign(shift=shift, worker=people["rosa"])
    return {"luis": luis_user, "shift": shift}


def test_a_swap_then_a_drop_from_phone_to_fill_board(booked, alliedup, alliedup_users, live_server, new_page, sign_in):
    base = f"{live_server.url}/c/{alliedup.slug}/placements"

    rosa = new_page(**PHONE)
    sign_in(rosa, alliedup_users["worker"])
    rosa.goto(f"{base}/me/schedule/")
    rosa.get_by_role("link", name="Drop or swap this shift").click()
    expect(rosa.get_by_role("heading", level=1)).to_contain_text("Drop or swap a shift")
    _fits(rosa, "the drop or swap page")
    rosa.get_by_label("Co-worker", exact=True).select_option(label="Luis Ortega")
    rosa.get_by_label("Message (optional)").fill("My sister's wedding")
    rosa.get_by_role("button", name="Offer the shift").click()
    expect(rosa.get_by_text("Offered to Luis Ortega.")).to_be_visible()
    expect(rosa.get_by_text("waiting for your co-worker to accept.")).to_be_visible()

    luis = new_page(**PHONE)
    sign_in(luis, booked["luis"])
    luis.goto(f"{base}/me/schedule/")
    expect(luis.get_by_role("heading", name="Shifts offered to you")).to_be_visible()
    _fits(luis, "my schedule with a swap offered")
    luis.get_by_role("button", name="Accept").click()
    expect(luis.get_by_text("Swap accepted. The coordinator confirms it next.")).to_be_visible()

    staff = new_page()
    sign_in(staff, alliedup_users["coordinator"])
    staff.goto(f"{base}/")
    staff.get_by_role("link", name="Drops and swaps to decide (1)").click()
    expect(staff.get_by_text("My sister's wedding")).to_be_visible()
    staff.get_by_role("button", name="Approve the swap").click()
    expect(staff.get_by_text("Swap approved: the shift is Luis Ortega's now.")).to_be_visible()

    luis.goto(f"{base}/me/schedule/")
    expect(luis.get_by_text("Eastbay Skilled Nursing")).to_be_visible()
    luis.get_by_role("link", name="Drop or swap this shift").click()
    luis.get_by_label("Why (optional)").fill("Exam that morning")
    luis.get_by_role("button", name="Ask to drop the shift").click()
    expect(luis.get_by_text("Drop requested:")).to_be_visible()

    staff.goto(f"{base}/shift-changes/")
    staff.get_by_role("button", name="Approve: reopen the shift").click()
    staff.goto(f"{base}/?day={booked['shift'].starts_at.astimezone(SITE):%Y-%m-%d}")
    expect(staff.locator(f"#shift-{booked['shift'].uuid}")).to_contain_text("Reopened: a worker dropped it")
