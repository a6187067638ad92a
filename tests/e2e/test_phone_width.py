"""The worker portal on a small phone (360 px wide, the narrowest common Android width):
every page a worker uses fits without scrolling sideways, with realistic data in it (long
client and site names, tables of hours, pay and sick leave, a vote open, the calendar link
just made)."""

import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope
from playwright.sync_api import expect

from members.models import CredentialRequirement, CredentialType, WorkerCredential
from payroll.models import PayLine, PayPeriod, PayRun, PayStatement, SickLeaveEntry
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.contacts import client_site_add
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from tests.governance.conftest import make_owner
from tests.governance.helpers import open_election
from tests.members.factories import HoursEntryFactory, JobClassificationFactory

pytestmark = pytest.mark.e2e

WIDTH = 360
PHONE = {"viewport": {"width": WIDTH, "height": 740}, "is_mobile": True, "has_touch": True}
PAGES = [
    ("worker_home", "Hello"),
    ("members:my_ownership", "My ownership"),
    ("placements:open_shifts", "Open shifts"),
    ("placements:my_schedule", "My schedule"),  # with a timesheet form open: the worker's timesheets
    ("payroll:my_statements", "My pay statements"),
    ("payroll:my_sick_leave", "My paid sick leave"),
    ("payroll:my_wage", "My wage and step"),
    ("payroll:patronage:my_capital", "My capital account"),
    ("governance:my_votes", "My votes"),
    ("insights:owner", "Our co-op"),
]


@pytest.fixture
def owner(alliedup, alliedup_users):
    """The worker login as a worker-owner with a long name and a full portal: hours, shifts
    booked, worked and open at a client with long names, a pay statement, sick leave, and
    an election open."""
    today = alliedup.today()
    with scope(cooperative=alliedup):
        lvn = JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")
        licence = CredentialType.objects.create(cooperative=alliedup, code="lvn-licence", name="LVN licence (California BVNPT)")
        CredentialRequirement.objects.create(cooperative=alliedup, credential_type=licence, classification=lvn)
        worker = make_owner(alliedup, user=alliedup_users["worker"], first_name="María-Guadalupe", last_name="Hernández-Villanueva",
                            classifications=[lvn])
        worker.owner_classification = lvn
        worker.save(update_fields=["owner_classification"])
        WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence, number="VN-0123456789",
                                        expires_on=today + timedelta(days=20))
        for i in range(1, 13):
            HoursEntryFactory(worker=worker, classification=lvn, workday=today - timedelta(days=7 * i), hours="12.00")

        client = client_create(cooperative=alliedup, name="Eastbay Skilled Nursing and Rehabilitation Center of Alameda County")
        site = client_site_add(client=client, name="3 West Medical-Surgical Telemetry Unit",
                               address="14100 Doolittle Drive, Building C, San Leandro, CA 94577")
        contract = contract_create(client=client, reference="ESN-2026-LONGREFERENCE-0001", starts_on=today - timedelta(days=90))
        bill_rate_set(contract=contract, classification=lvn, effective_from=today - timedelta(days=90), regular_rate="52.00")

        def order(day, start, end, headcount=1):
            return job_order_create(contract=contract, classification=lvn, site=site, starts_on=day, ends_on=day,
                                    shift_start=start, shift_end=end, headcount=headcount)

        for shift in order(today - timedelta(days=1), time(7, 0), time(15, 30)).shifts.all():  # worked: timesheet form
            shift_assign(shift=shift, worker=worker)
        for shift in order(today + timedelta(days=2), time(19, 0), time(7, 0)).shifts.all():  # coming up, overnight
            shift_assign(shift=shift, worker=worker)
        order(today + timedelta(days=3), time(7, 0), time(19, 30), headcount=3)  # open to request

        period = PayPeriod.objects.create(cooperative=alliedup, starts_on=today - timedelta(days=20), ends_on=today - timedelta(days=7),
                                          pay_date=today - timedelta(days=2))
        run = PayRun.objects.create(cooperative=alliedup, period=period, status=PayRun.Status.APPROVED)
        PayLine.objects.create(cooperative=alliedup, run=run, worker=worker, workday=period.starts_on, kind=PayLine.Kind.ADJUSTMENT,
                               amount=Decimal("1234.56"), description="Retroactive CBA step increase, Licensed Vocational Nurse",
                               is_manual=True)
        PayStatement.objects.create(cooperative=alliedup, run=run, worker=worker, hours_worked=Decimal("72.00"),
                                    gross=Decimal("12345.67"), deductions=Decimal("50.00"), taxes=Decimal("2345.67"),
                                    net=Decimal("9950.00"), sick_hours_available=Decimal("23.50"))
        SickLeaveEntry.objects.create(cooperative=alliedup, worker=worker, kind="accrued", hours=Decimal("24.00"),
                                      workday=today - timedelta(days=30), note="Accrued from hours worked (1 per 30)")

        candidates = [make_owner(alliedup, first_name=f, last_name="Okafor-Nwachukwu") for f in ("Adaeze", "Chukwuemeka")]
        open_election(alliedup, candidates, title="Board of directors election, worker-owner seats 2026–2028")
    return worker


def _fits(page, what: str):
    sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    # A mobile browser widens its layout viewport to fit content wider than the screen.
    assert sizes["inner"] == WIDTH, f"{what} is wider than the phone: the viewport grew to {sizes['inner']} px"
    assert sizes["scroll"] <= WIDTH, f"{what} scrolls sideways at {WIDTH} px: {sizes}"


def test_every_worker_portal_page_fits_a_360_px_phone(owner, alliedup, alliedup_users, live_server, new_page, sign_in):
    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    for name, heading in PAGES:
        phone.goto(live_server.url + reverse(name, kwargs={"coop_slug": alliedup.slug}))
        expect(phone.get_by_role("heading", level=1)).to_contain_text(heading)
        _fits(phone, name)

    # The statement's PDF button reads as a button (it was white on the near-white card).
    phone.goto(live_server.url + reverse("payroll:my_statements", kwargs={"coop_slug": alliedup.slug}))
    pdf = phone.get_by_role("link", name="Statement (PDF)")
    assert pdf.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(11, 92, 59)"
    assert pdf.evaluate("a => getComputedStyle(a).color") == "rgb(255, 255, 255)"

    # The ballot of the open election.
    phone.goto(live_server.url + reverse("governance:my_votes", kwargs={"coop_slug": alliedup.slug}))
    phone.get_by_role("link", name="Vote now").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Board of directors election")
    _fits(phone, "the ballot")

    # The calendar link, just made: a long address in the page.
    phone.goto(live_server.url + reverse("placements:my_schedule", kwargs={"coop_slug": alliedup.slug}))
    phone.get_by_role("button", name="Get my calendar link").click()
    address = re.compile("^" + re.escape(live_server.url + "/cal/") + r"[A-Za-z0-9_-]+\.ics$")
    expect(phone.get_by_label("Or copy this address into your calendar app")).to_have_value(address)
    _fits(phone, "my schedule with the new calendar link")


def test_the_manifest_and_icons_load_in_the_browser(owner, alliedup, alliedup_users, live_server, new_page, sign_in):
    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    href = phone.locator('link[rel="manifest"]').get_attribute("href")
    manifest = phone.request.get(live_server.url + href)
    assert manifest.ok and manifest.json()["start_url"] == f"/c/{alliedup.slug}/me/"
    for icon in manifest.json()["icons"]:
        assert phone.request.get(live_server.url + icon["src"]).ok, icon
