"""From a job order to a paid-for invoice, all through the pages: staff create a job order on
the client's page and fill its shift from the fill board, the worker sees it on their
schedule, works it and submits the timesheet, the client approves it, staff draft and issue
the invoice for the day and download its PDF, and the client finds the invoice in their
portal."""

import re
from datetime import time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from members.models import CredentialRequirement, CredentialType, WorkerCredential
from placements.models import Assignment, ClientContact, Invoice, JobOrder, Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.orders import shift_times
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.e2e

SITE = ZoneInfo("America/Los_Angeles")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
START, END = time(7, 0), time(15, 30)
BILL_RATE = Decimal("52.75")
CLIENT = "Eastbay Skilled Nursing"


@pytest.fixture
def setting(alliedup, alliedup_users):
    """Rosa, a licensed LVN linked to the worker login; a client (contact: the client login)
    with a contract billing LVNs at $52.75/h. No job order: staff create it on the page."""
    today = timezone.localdate(timezone=SITE)
    with scopes_disabled():
        lvn = JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")
        licence = CredentialType.objects.create(cooperative=alliedup, code="lvn-licence", name="LVN licence")
        CredentialRequirement.objects.create(cooperative=alliedup, credential_type=licence, classification=lvn)
        worker = WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", user=alliedup_users["worker"],
                               classifications=[lvn])
        WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence,
                                        expires_on=today + timedelta(days=365))
    with scope(cooperative=alliedup):
        client = client_create(cooperative=alliedup, name=CLIENT, time_zone=SITE.key)
        contract = contract_create(client=client, reference="ESN-2026", starts_on=today - timedelta(days=30))
        bill_rate_set(contract=contract, classification=lvn, effective_from=today - timedelta(days=30), regular_rate=str(BILL_RATE))
        ClientContact.objects.create(cooperative=alliedup, client=client, user=alliedup_users["client"])
    return {"worker": worker, "client": client}


def _the_shift_is_worked(alliedup, client):
    """Time passes: tomorrow's shift becomes yesterday's. The fill board lists shifts from
    today on (a job order for yesterday is accepted by the form but never reaches the board),
    and a timesheet is only for time worked. No clock-faking library is installed, so the
    rows move instead of the clock, as in test_shift_journey.py."""
    yesterday = timezone.localdate(timezone=SITE) - timedelta(days=1)
    starts_at, ends_at = shift_times(yesterday, START, END, SITE)
    with scope(cooperative=alliedup):
        order = JobOrder.objects.get(contract__client=client)
        assignment = Assignment.objects.get(shift__job_order=order)
        assert assignment.status == Assignment.Status.CONFIRMED
        JobOrder.objects.filter(pk=order.pk).update(starts_on=yesterday, ends_on=yesterday)
        Shift.objects.filter(job_order=order).update(starts_at=starts_at, ends_at=ends_at)
        Assignment.objects.filter(pk=assignment.pk).update(starts_at=starts_at, ends_at=ends_at)
    return yesterday


def test_job_order_to_issued_invoice(new_page, live_server, sign_in, alliedup, alliedup_users, setting):
    base = f"{live_server.url}/c/alliedup/placements"
    tomorrow = timezone.localdate(timezone=SITE) + timedelta(days=1)

    # Staff (a coordinator) open the client from the fill board and create a job order for tomorrow.
    staff = new_page()
    sign_in(staff, alliedup_users["coordinator"])
    staff.goto(f"{base}/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Fill board")
    expect(staff.locator("main")).to_contain_text("No open shifts in the next 14 days.")
    staff.get_by_role("link", name="Clients and job orders").click()
    staff.get_by_role("link", name=CLIENT).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(CLIENT)
    order_form = staff.get_by_role("region", name="New job order").locator("form")
    order_form.get_by_label("Contract").select_option(label=f"{CLIENT} ESN-2026")
    order_form.get_by_label("Classification").select_option(label="Licensed Vocational Nurse")
    order_form.get_by_label("First day").fill(f"{tomorrow:%Y-%m-%d}")
    order_form.get_by_label("Last day").fill(f"{tomorrow:%Y-%m-%d}")
    order_form.get_by_label("Shift starts").fill("07:00")
    order_form.get_by_label("Shift ends").fill("15:30")
    order_form.get_by_label("Workers per shift").fill("1")
    order_form.get_by_role("button", name="Create job order").click()
    expect(staff.locator(".messages")).to_contain_text("Job order created: 1 shift to fill.")
    orders = staff.get_by_role("region", name="Job orders")
    expect(orders).to_contain_text("07:00–15:30 × 1")
    expect(orders).to_contain_text("ESN-2026")

    # The fill board suggests Rosa for the shift; one click assigns her.
    staff.get_by_role("link", name="Placements", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Fill board")
    row = staff.locator("table.board tbody tr").filter(has_text=CLIENT)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("07:00–15:30")
    expect(row).to_contain_text("Licensed Vocational Nurse")
    row.get_by_role("link", name="Suggest").click()
    suggestion = row.locator("ol.suggestions li").filter(has_text="Rosa Delgado")
    expect(suggestion).to_have_count(1)
    suggestion.get_by_role("button", name="Assign").click()
    row = staff.locator("table.board tbody tr").filter(has_text=CLIENT)
    expect(row).to_contain_text("Filled by Rosa Delgado")
    assert staff.url.rstrip("/") == base  # assigned in place, no navigation

    # Rosa sees the confirmed shift on her schedule, on her phone.
    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    phone.goto(f"{base}/me/schedule/")
    coming_up = phone.get_by_role("region", name="Coming up")
    card = coming_up.locator(".shift-card").filter(has_text=CLIENT)
    expect(card).to_contain_text(f"{tomorrow:%a, %b} {tomorrow.day} · 07:00–15:30")
    expect(card).to_contain_text("Licensed Vocational Nurse")
    expect(card).to_contain_text("Status: Confirmed")

    yesterday = _the_shift_is_worked(alliedup, setting["client"])

    # She worked it, left 15 minutes early and took a 30-minute lunch: 7.75 hours.
    phone.reload()
    timesheet = phone.get_by_role("form", name=re.compile("^Timesheet for"))
    expect(timesheet.get_by_label("Clock-in (Los Angeles time)")).to_have_value(f"{yesterday:%Y-%m-%d}T07:00")
    timesheet.get_by_label("Clock-out (Los Angeles time)").fill(f"{yesterday:%Y-%m-%d}T15:15")
    timesheet.get_by_label("Unpaid break (minutes)").fill("30")
    timesheet.get_by_role("button", name="Submit timesheet").tap()
    expect(phone.locator(".messages")).to_contain_text("Timesheet submitted.")
    expect(phone.locator("main")).to_contain_text("Timesheet submitted: 7.75 h, waiting for the client's approval.")

    # The client's contact approves it.
    client = new_page()
    sign_in(client, alliedup_users["client"])
    client.get_by_role("link", name="Timesheets", exact=True).click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Timesheets to approve")
    ts_card = client.locator(".shift-card").filter(has_text="Rosa Delgado")
    expect(ts_card).to_contain_text("In 07:00, out 15:15")
    ts_card.get_by_role("button", name=re.compile("^Approve")).click()
    expect(client.locator(".messages")).to_contain_text("Approved 7.75 hours for Rosa Delgado.")

    # Staff draft the invoice for the day worked, check it, issue it and download the PDF.
    hours = Decimal("7.75")
    total = (hours * BILL_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # 408.8125 -> 408.81
    number = f"INV-{alliedup.today().year}-00001"
    staff.get_by_role("link", name="Invoices", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Invoices")
    expect(staff.locator("main")).to_contain_text("No invoices yet.")
    draft_form = staff.get_by_role("region", name="Draft an invoice").locator("form")
    draft_form.get_by_label("Client").select_option(label=CLIENT)
    draft_form.get_by_label("First day").fill(f"{yesterday:%Y-%m-%d}")
    draft_form.get_by_label("Last day").fill(f"{yesterday:%Y-%m-%d}")
    draft_form.get_by_role("button", name="Draft invoice").click()
    expect(staff.locator(".messages")).to_contain_text(f"Draft invoice for {CLIENT}: ${total}.")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Draft invoice")
    line = staff.locator("table tbody tr").filter(has_text="Rosa Delgado")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Regular")
    expect(line).to_contain_text("7.75")
    expect(line).to_contain_text(f"${BILL_RATE}")
    expect(line).to_contain_text(f"${total}")
    expect(staff.locator("table tfoot")).to_contain_text(f"${total}")

    staff.get_by_role("button", name="Issue invoice").click()
    expect(staff.locator(".messages")).to_contain_text(f"Invoice {number} issued, due")
    expect(staff.get_by_role("heading", level=1)).to_contain_text(f"Invoice {number}")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Issued")
    expect(staff.locator("main")).to_contain_text(f"${total}")
    expect(staff.get_by_role("button", name="Issue invoice")).to_have_count(0)
    with staff.expect_download() as download_info:
        staff.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{number}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    with scope(cooperative=alliedup):
        invoice = Invoice.objects.get(client=setting["client"])
        assert (invoice.number, invoice.status, invoice.total) == (number, Invoice.Status.ISSUED, total)

    # The client sees the issued invoice in their portal and downloads it too.
    client.get_by_role("link", name="Invoices", exact=True).click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Invoices")
    inv_row = client.locator("table tbody tr").filter(has_text=number)
    expect(inv_row).to_contain_text(CLIENT)
    expect(inv_row).to_contain_text("Open")
    expect(inv_row).to_contain_text(f"${total}")
    with client.expect_download() as client_download_info:
        inv_row.get_by_role("link", name=f"Download invoice {number} (PDF)").click()
    with open(client_download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
