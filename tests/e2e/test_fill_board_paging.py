"""The fill board and the timesheet queue of a busy co-op, in a browser: the board opens the
first day with open shifts, a later day loads on demand (htmx, no navigation) and a shift
there is filled in one click; the queue shows 50 timesheets a page, moves between pages and
filters in place (the address follows, so a reload keeps the page), and a decision made on
page 2 comes back to page 2. Without JavaScript, the same links are plain links."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from members.models import CredentialRequirement, CredentialType, WorkerCredential
from placements.models import Assignment, Shift, Timesheet
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.orders import job_order_create
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.e2e

BUSY_CLIENT, QUIET_CLIENT = "Eastbay Skilled Nursing", "Bayview Rehab"


def _open(contract, classification, day, n):
    """n open shifts on `day`, in job orders of at most 50 positions."""
    shifts = []
    for headcount in [50] * (n // 50) + ([n % 50] if n % 50 else []):
        order = job_order_create(contract=contract, classification=classification, starts_on=day, ends_on=day,
                                 shift_start=time(7), shift_end=time(15, 30), headcount=headcount)
        shifts += list(Shift.objects.filter(job_order=order).order_by("starts_at", "id"))
    return shifts


@pytest.fixture
def busy_coop(alliedup):
    """Tomorrow 50 open shifts at Eastbay (a whole page), in five days one at Bayview; Rosa,
    a licensed LVN who can take it; 53 timesheets waiting (51 at Eastbay, 2 at Bayview)."""
    today = timezone.localdate(timezone=alliedup.zone)
    with scopes_disabled():
        lvn = JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")
        licence = CredentialType.objects.create(cooperative=alliedup, code="lvn-licence", name="LVN licence")
        CredentialRequirement.objects.create(cooperative=alliedup, credential_type=licence, classification=lvn)
        rosa = WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", classifications=[lvn])
        WorkerCredential.objects.create(cooperative=alliedup, worker=rosa, credential_type=licence, expires_on=today + timedelta(days=365))
    with scope(cooperative=alliedup):
        contracts = {}
        for name in (BUSY_CLIENT, QUIET_CLIENT):
            client = client_create(cooperative=alliedup, name=name)
            contracts[name] = contract_create(client=client, reference=name[:3].upper(), starts_on=date(2026, 1, 1))
            bill_rate_set(contract=contracts[name], classification=lvn, effective_from=date(2026, 1, 1), regular_rate="52.00")
        _open(contracts[BUSY_CLIENT], lvn, today + timedelta(days=1), 50)
        later = today + timedelta(days=5)
        (later_shift,) = _open(contracts[QUIET_CLIENT], lvn, later, 1)
        waiting = []
        for name, n in ((BUSY_CLIENT, 51), (QUIET_CLIENT, 2)):
            shifts = _open(contracts[name], lvn, today - timedelta(days=3 if name == BUSY_CLIENT else 4), n)
            workers = WorkerFactory.create_batch(n, cooperative=alliedup, classifications=[lvn])
            assignments = Assignment.objects.bulk_create(
                Assignment(cooperative=alliedup, shift=s, worker=w, starts_at=s.starts_at, ends_at=s.ends_at) for s, w in zip(shifts, workers)
            )
            Shift.objects.filter(pk__in=[s.pk for s in shifts]).update(status=Shift.Status.FILLED)
            first = datetime(2026, 11, 1, 12, tzinfo=UTC) + timedelta(hours=len(waiting))
            waiting += Timesheet.objects.bulk_create(
                Timesheet(cooperative=alliedup, assignment=a, clock_in=a.starts_at, clock_out=a.ends_at, break_minutes=30,
                          submitted_at=first + timedelta(minutes=i)) for i, a in enumerate(assignments)
            )
    return {"later": later, "later_shift": later_shift, "waiting": waiting,
            "clients": {name: contract.client.uuid for name, contract in contracts.items()}}


def test_board_loads_a_day_on_demand_and_assigns_there(new_page, live_server, sign_in, alliedup, alliedup_users, busy_coop):
    base = f"{live_server.url}/c/alliedup/placements"
    later, shift = busy_coop["later"], busy_coop["later_shift"]
    day_id = f"#day-{later:%Y-%m-%d}"

    # Without JavaScript the day's link is a plain link to ?day=.
    plain = new_page(java_script_enabled=False)
    sign_in(plain, alliedup_users["coordinator"])
    plain.goto(f"{base}/")
    plain.locator(day_id).get_by_role("link", name="Show the 1 open shift").click()
    expect(plain).to_have_url(f"{base}/?day={later:%Y-%m-%d}{day_id}")
    expect(plain.locator("table.board tbody tr")).to_have_count(1)
    expect(plain.locator(day_id).locator("table.board")).to_contain_text(QUIET_CLIENT)

    staff = new_page()
    sign_in(staff, alliedup_users["coordinator"])
    staff.goto(f"{base}/")
    expect(staff.locator("table.board tbody tr")).to_have_count(50)  # tomorrow, the first day with open shifts
    day = staff.locator(day_id)
    expect(day.get_by_role("heading", level=3)).to_contain_text("1 open · 0 filled")
    day.get_by_role("link", name="Show the 1 open shift").click()
    row = staff.locator(day_id).locator("table.board tbody tr").filter(has_text=QUIET_CLIENT)
    expect(row).to_have_count(1)
    assert staff.url.rstrip("/") == base  # loaded in place
    row.get_by_role("link", name="Suggest").click()
    row.locator("ol.suggestions li").filter(has_text="Rosa Delgado").get_by_role("button", name="Assign").click()
    expect(staff.locator(f"#shift-{shift.uuid}")).to_contain_text("Filled by Rosa Delgado")
    with scope(cooperative=alliedup):
        assert Shift.objects.get(pk=shift.pk).status == Shift.Status.FILLED


def test_queue_pages_and_filters_in_place_and_a_decision_returns_to_its_page(new_page, live_server, sign_in, alliedup,
                                                                              alliedup_users, busy_coop):
    base = f"{live_server.url}/c/alliedup/placements"
    waiting = busy_coop["waiting"]
    staff = new_page()
    sign_in(staff, alliedup_users["coordinator"])
    staff.goto(f"{base}/timesheets/")
    queue = staff.locator("#timesheet-queue")
    expect(queue).to_contain_text("53 timesheets waiting")
    expect(queue.locator("tbody tr")).to_have_count(50)
    staff.evaluate("window.notReloaded = true")
    queue.get_by_role("link", name="Newer").click()
    expect(queue.locator("tbody tr")).to_have_count(3)
    expect(staff).to_have_url(f"{base}/timesheets/?page=2")  # htmx pushed the address
    assert staff.evaluate("window.notReloaded === true")  # swapped in place, no page load
    expect(staff.locator(f"#timesheet-{waiting[-1].uuid}")).to_be_visible()

    # Approve the newest on page 2: back on page 2, one fewer.
    staff.locator(f"#timesheet-{waiting[-1].uuid}").get_by_role("button", name="Approve").click()
    expect(staff.locator(".messages")).to_contain_text("Approved for the client: 8.00 h")
    expect(staff).to_have_url(f"{base}/timesheets/?page=2")
    expect(staff.locator("#timesheet-queue tbody tr")).to_have_count(2)

    # Filter by client in place: only Eastbay's, one page.
    staff.get_by_label("Client").select_option(label=f"{BUSY_CLIENT} (51)")
    staff.evaluate("window.notReloaded = true")
    staff.get_by_role("button", name="Show").click()
    expect(staff.locator("#timesheet-queue")).to_contain_text("52 timesheets waiting; 51 match these filters")
    assert staff.evaluate("window.notReloaded === true")
    expect(staff).to_have_url(f"{base}/timesheets/?client={busy_coop['clients'][BUSY_CLIENT]}&classification=")
    expect(staff.locator("#timesheet-queue tbody tr")).to_have_count(50)
    expect(staff.locator("#timesheet-queue tbody tr").filter(has_text=QUIET_CLIENT)).to_have_count(0)
    staff.reload()
    expect(staff.locator("#timesheet-queue")).to_contain_text("51 match these filters")

    # Without JavaScript the pages are plain links.
    plain = new_page(java_script_enabled=False)
    sign_in(plain, alliedup_users["coordinator"])
    plain.goto(f"{base}/timesheets/")
    plain.get_by_role("link", name="Newer").click()
    expect(plain).to_have_url(f"{base}/timesheets/?page=2")
    expect(plain.locator("#timesheet-queue tbody tr")).to_have_count(2)
