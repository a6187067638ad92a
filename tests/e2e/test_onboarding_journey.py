"""Issue 15, done when: a co-op starts empty, as the platform operator creates it, and is
set up and run entirely in the browser by its administrator and the people it invites."""

import re
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import pytest
from django.core import mail
from django_scopes import scope
from playwright.sync_api import expect

from alliedup.models import Role, User
from alliedup.money import money_text
from alliedup.services import cooperative_create, role_grant
from tests.alliedup.test_accounts import current_totp_code
from tests.conftest import clock_at

pytestmark = [pytest.mark.e2e, pytest.mark.today("2030-04-08T09:00:00-07:00")]

SLUG = "harbor"
ADMIN_EMAIL = "ana.ortiz@harbor-care.example.com"
ADMIN_PASSWORD = "tide pools at dawn 2030"
LVN, LICENCE = "Licensed Vocational Nurse", "LVN licence"
WAGES = {1: Decimal("34.50"), 2: Decimal("35.54"), 3: Decimal("36.60")}
DUES_PERCENT = Decimal("1.50")
REDEMPTION_DAYS = 60
WORKER_EMAIL, WORKER_PASSWORD = "maya.chen@example.com", "night shift coffee 47"
CONTACT_EMAIL, CONTACT_PASSWORD = "dev.patel@bayview-snf.example.com", "census at seven 19"
CLIENT, OTHER_CLIENT = "Bayview Skilled Nursing", "Mercy Valley Clinic"
STEP = 2
CENT = Decimal("0.01")
BILL_RATE = Decimal("52.00")
HOURS = Decimal("10.00")  # 07:00-17:30 less a 30-minute unpaid lunch
OWNER_EMAIL, OWNER_PASSWORD = "lena.okafor@example.com", "harbor seals in march 88"
ROSTER = (
    "first_name,last_name,email,phone,hire_date,classification,wage_step,prior_hours,prior_hours_through,status,"
    "owner_since,equity_paid\n"
    f"Lena,Okafor,{OWNER_EMAIL},555-0142,2026-02-02,lvn,3,1480.50,2029-12-31,worker_owner,2027-06-01,250.00\n"
)
NET_EARNINGS, RESERVE_PERCENT = Decimal("10000.07"), Decimal("30")
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def operator_creates_the_coop(transactional_db, settings):
    """What the platform operator does in the Django admin: the tenant, and one user (email and
    a first password) holding its admin role. Nothing else exists."""
    settings.MFA_REQUIRED_ROLES = ("admin", "coordinator", "payroll", "board")  # as in production
    coop = cooperative_create(slug=SLUG, name="Harbor Care Cooperative")
    admin = User.objects.create_user(ADMIN_EMAIL, ADMIN_PASSWORD, full_name="Ana Ortiz")
    with scope(cooperative=coop):
        role_grant(cooperative=coop, user=admin, role=Role.ADMIN)
    return coop


@pytest.fixture
def time_passes():
    """time_passes(iso) moves the clock on (the live server's too) until the test ends;
    Chromium keeps the real clock, and the sessions it holds stay valid."""
    travellers = []

    def _to(when: str):
        traveller = clock_at(when)
        traveller.start()
        travellers.append(traveller)

    yield _to
    for traveller in reversed(travellers):
        traveller.stop()


def test_onboarding(new_page, live_server, operator_creates_the_coop, time_passes):
    desk = new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.get_by_label("Email").fill(ADMIN_EMAIL)
    desk.get_by_label("Password").fill(ADMIN_PASSWORD)
    desk.get_by_role("button", name="Sign In").click()
    desk.wait_for_load_state()
    expect(desk.locator("main")).to_contain_text("We have sent an email to you for verification")
    desk.goto(live_server.url + _link(mail.outbox[-1], "/accounts/confirm-email/"))
    desk.get_by_role("button", name="Confirm").click()
    desk.wait_for_load_state()

    # The operator's first password signs in once the address is confirmed; the admin role
    # asks for an authenticator first (allauth asks for the password again to add one).
    expect(desk.locator(".messages")).to_contain_text(
        "Your role as administrator in Harbor Care Cooperative requires two-factor authentication")
    desk.get_by_label("Password").fill(ADMIN_PASSWORD)
    desk.get_by_role("button", name="Confirm").click()
    secret = desk.get_by_label("Authenticator secret").input_value()
    desk.get_by_label("Authenticator code").fill(current_totp_code(secret))
    desk.get_by_role("button", name="Activate").click()
    expect(desk.locator(".messages")).to_contain_text("Authenticator app activated.")
    desk.get_by_role("link", name="Continue to Harbor Care Cooperative").click()

    # 1. Set-up. The staff home opens on the first-run checklist, nothing done yet.
    expect(desk.get_by_role("heading", level=1)).to_have_text("Staff home")
    setup = desk.get_by_role("region", name="Getting the co-op set up")
    expect(setup.locator("li.done")).to_have_count(0)
    expect(setup).to_contain_text("Job classifications: to do.")
    setup.get_by_role("link", name="Job classifications").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Job classifications")
    add = desk.get_by_role("region", name="Add a job classification")
    add.get_by_label("Code").fill("lvn")
    add.get_by_label("Name").fill(LVN)
    add.get_by_role("button", name="Add classification").click()
    expect(desk.locator(".messages")).to_contain_text(f"{LVN} added.")

    desk.get_by_role("navigation", name="Set-up").get_by_role("link", name="Credential types").click()
    add = desk.get_by_role("region", name="Add a credential type")
    add.get_by_label("Code").fill("lvn-licence")
    add.get_by_label("Name").fill(LICENCE)
    expect(add.get_by_label("Carries an expiry date")).to_be_checked()
    add.get_by_label(LVN).check()
    add.get_by_role("button", name="Add credential type").click()
    expect(desk.locator(".messages")).to_contain_text(f"{LICENCE} added.")
    expect(desk.get_by_role("table").locator("tr").filter(has_text=LICENCE)).to_contain_text(LVN)

    # Bylaws: equity is repaid within 60 days of an exit, not 90; payroll runs weekly.
    desk.get_by_role("navigation", name="Set-up").get_by_role("link", name="Settings").click()
    checklist = desk.get_by_role("region", name="Getting set up")
    expect(checklist.locator("li.done")).to_have_count(2)
    desk.get_by_label("On exit, repay the equity buy-in within (days)").fill(str(REDEMPTION_DAYS))
    desk.get_by_label("Pay frequency").select_option(label="Weekly")
    desk.get_by_role("button", name="Save settings").click()
    expect(desk.locator(".messages")).to_contain_text("Settings saved: 2 changed.")
    expect(checklist).to_contain_text("Bylaws settings reviewed: done.")

    # The collective agreement and its wage table, from the checklist's link.
    checklist.get_by_role("link", name="Collective agreement with wage tables").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Collective agreements")
    new = desk.get_by_role("region", name="New agreement")
    new.get_by_label("Name", exact=True).fill("Harbor Care CBA 2030-2031")
    new.get_by_label("Union", exact=True).fill("SEIU-UHW")
    new.get_by_label("Term starts").fill("2030-01-01")
    new.get_by_label("Term ends").fill("2031-06-30")
    new.get_by_label("Status").select_option(label="In force")
    new.get_by_label("Wage steps").select_option(label="Step set by staff for each worker")
    new.get_by_label("Union dues").select_option(label="Percent of gross (with an optional cap)")
    new.get_by_label("Dues percent").fill(str(DUES_PERCENT))
    new.get_by_role("button", name="Add agreement").click()
    expect(desk.locator(".messages")).to_contain_text("Add its wage tables next.")
    table = desk.get_by_role("region", name="Add a wage table")
    table.get_by_label("Classification").select_option(label=LVN)
    expect(table.get_by_label("From")).to_have_value("2030-01-01")
    table.get_by_label("Hourly wage by step").fill(", ".join(f"{n}={rate}" for n, rate in WAGES.items()))
    table.get_by_role("button", name="Add wage table").click()
    expect(desk.locator(".messages")).to_contain_text(f"Wages of {LVN} from Jan 01, 2030 added.")
    expect(desk.get_by_role("region", name="Wage tables", exact=True)).to_contain_text(f"2: ${WAGES[2]}")

    desk.get_by_role("link", name="Holiday calendar", exact=True).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Holiday calendar 2030")
    standard = desk.get_by_role("region", name="Add the standard holidays")
    expect(standard.get_by_label("Year")).to_have_value("2030")
    standard.get_by_role("button", name="Add the standard holidays").click()
    expect(desk.locator(".messages")).to_contain_text("8 holidays of 2030 added.")

    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(checklist.locator("li.done")).to_have_count(5)
    expect(checklist).to_contain_text("Your workers: to do.")

    # 2. Hire a worker by hand, with an invitation to sign in; her licence goes on file.
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    desk.get_by_role("link", name="Hire a worker").click()
    desk.get_by_label("First name").fill("Maya")
    desk.get_by_label("Last name").fill("Chen")
    desk.get_by_label("Email", exact=True).fill(WORKER_EMAIL)
    desk.get_by_label("Hire date").fill("2030-04-08")
    desk.get_by_label("Job classification").select_option(label=LVN)
    desk.get_by_label("Wage step").fill(str(STEP))
    expect(desk.get_by_label("Email them an invitation to sign in")).to_be_checked()
    desk.get_by_role("button", name="Hire").click()
    expect(desk.locator(".messages")).to_contain_text(
        f"Maya Chen is hired. An invitation to sign in goes to {WORKER_EMAIL}.")
    desk.locator("summary", has_text="Record a credential").click()
    credential = desk.get_by_role("form", name="Record a credential")
    credential.get_by_label("Credential").select_option(label=LICENCE)
    credential.get_by_label("Number").fill("VN-331207")
    credential.get_by_label("Expires on").fill("2032-03-31")
    credential.get_by_role("button", name="Record").click()
    expect(desk.locator(".messages")).to_contain_text("Saved.")
    expect(desk.get_by_role("region", name="Credentials")).to_contain_text("Mar 31, 2032")
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Staff home").click()
    expect(desk.get_by_role("region", name="Getting the co-op set up")).to_have_count(0)  # all done

    # On her phone, Maya follows the emailed link, creates her account and accepts.
    phone = new_page(**PHONE)
    _accept_invitation(phone, live_server.url, _mail_to(WORKER_EMAIL), WORKER_EMAIL, WORKER_PASSWORD)
    expect(phone.locator(".messages")).to_contain_text("Welcome to Harbor Care Cooperative.")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Hello")
    expect(phone.get_by_role("region", name="At a glance")).to_contain_text(f"of 350.00 h as {LVN}")
    assert _fits(phone)

    # 3. A client with a site, a contract and its bill rate, and a contact invited to the portal.
    _add_client(desk, OTHER_CLIENT, "MVC-1")  # a second client: the contact must not see it
    _add_client(desk, CLIENT, "BSN-2030")
    desk.locator("summary", has_text="Add a site").click()
    site = desk.get_by_role("form", name="Add a site")
    site.get_by_label("Site or unit").fill("North wing")
    site.get_by_role("button", name="Add site").click()
    expect(desk.get_by_role("region", name="Sites and contacts")).to_contain_text("Sites: North wing")
    desk.locator("summary", has_text="Add a contact").click()
    contact = desk.get_by_role("form", name="Add a contact")
    contact.get_by_label("Name", exact=True).fill("Dev Patel")
    contact.get_by_label("Email").fill(CONTACT_EMAIL)
    contact.get_by_role("button", name="Invite").click()
    expect(desk.get_by_role("region", name="Sites and contacts")).to_contain_text("Invited Apr 8, 2030")

    approver = new_page()
    _accept_invitation(approver, live_server.url, _mail_to(CONTACT_EMAIL), CONTACT_EMAIL, CONTACT_PASSWORD)
    expect(approver.get_by_role("heading", level=1)).to_have_text("Harbor Care Cooperative")
    expect(approver.get_by_role("region", name="Timesheets to approve: 0")).to_contain_text(
        "Nothing waits for your approval.")
    approver.get_by_role("navigation", name="Main").get_by_role("link", name="Request staff").click()
    contracts = approver.get_by_label("Contract").locator("option")
    expect(contracts.filter(has_text=CLIENT)).to_have_count(1)
    expect(contracts.filter(has_text=OTHER_CLIENT)).to_have_count(0)
    desk.reload()
    expect(desk.get_by_role("region", name="Sites and contacts").get_by_role("row").filter(has_text="Dev Patel")
           ).to_contain_text("Signs in")

    # 4. A job order for tomorrow, 07:00-17:30. Maya requests the shift from her phone and
    # staff confirm her.
    order = desk.get_by_role("region", name="New job order")
    order.get_by_label("Contract").select_option(label=f"{CLIENT} BSN-2030")
    order.get_by_label("Site").select_option(label=f"{CLIENT} · North wing")
    order.get_by_label("Classification").select_option(label=LVN)
    order.get_by_label("First day").fill("2030-04-09")
    order.get_by_label("Last day").fill("2030-04-09")
    order.get_by_label("Shift starts").fill("07:00")
    order.get_by_label("Shift ends").fill("17:30")
    order.get_by_role("button", name="Create job order").click()
    expect(desk.locator(".messages")).to_contain_text("Job order created: 1 shift to fill.")

    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Open shifts").click()
    card = phone.locator(".shift-card").filter(has_text=CLIENT)
    expect(card).to_contain_text("07:00–17:30")
    card.get_by_role("button", name=re.compile("^Request")).tap()
    expect(card).to_contain_text("Requested — staff will confirm.")
    assert _fits(phone)

    desk.get_by_role("region", name="Shifts in the next 14 days").get_by_role("link").click()
    expect(desk.get_by_role("region", name="Assigned")).to_contain_text(
        "Requested by the worker, waiting for confirmation")
    desk.get_by_role("button", name="Confirm Maya Chen").click()
    expect(desk.locator(".messages")).to_contain_text("Maya Chen's assignment is confirmed.")

    # The shift is worked: Maya submits her timesheet that evening, half an hour's unpaid lunch.
    time_passes("2030-04-09T18:10:00-07:00")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="My schedule").click()
    timesheet = phone.get_by_role("form", name=re.compile("^Timesheet for"))
    expect(timesheet.get_by_label("Clock-in (Los Angeles time)")).to_have_value("2030-04-09T07:00")
    timesheet.get_by_label("Clock-out (Los Angeles time)").fill("2030-04-09T17:30")
    timesheet.get_by_label("Unpaid break (minutes)").fill("30")
    timesheet.get_by_role("button", name="Submit timesheet").tap()
    expect(phone.locator(".messages")).to_contain_text("Timesheet submitted.")
    expect(phone.locator("main")).to_contain_text(f"Timesheet submitted: {HOURS} h, waiting for the client's approval.")
    assert _fits(phone)

    approver.get_by_role("navigation", name="Main").get_by_role("link", name="Timesheets").click()
    row = approver.locator(".shift-card").filter(has_text="Maya Chen")
    expect(row).to_contain_text("In 07:00, out 17:30")
    row.get_by_role("button", name=re.compile("^Approve")).click()
    expect(approver.locator(".messages")).to_contain_text(f"Approved {HOURS} hours for Maya Chen.")

    # 5. The week is over: payroll opens the first period, calculates and approves the run.
    time_passes("2030-04-15T09:00:00-07:00")
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Payroll").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Pay runs")
    desk.get_by_label("First day").fill("2030-04-07")
    desk.get_by_role("button", name="Open the first period").click()
    expect(desk.locator(".messages")).to_contain_text("its run is a draft until you calculate it.")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Pay run PR-20300407")
    desk.get_by_role("button", name="Calculate").click()
    # The CBA wage of her step for every hour, and the daily overtime premium (hours over 8
    # at half the regular rate, which is that wage: one rate all week); union dues 1.5%.
    wage = WAGES[STEP]
    regular = HOURS * wage
    premium = ((HOURS - 8) * wage * Decimal("0.5")).quantize(CENT, ROUND_HALF_UP)
    gross = regular + premium
    dues = (gross * DUES_PERCENT / 100).quantize(CENT, ROUND_HALF_UP)
    assert (gross, dues) == (Decimal("390.94"), Decimal("5.86"))  # the figures below, worked by hand
    row = desk.get_by_role("region", name="Statements").get_by_role("row").filter(has_text="Chen, Maya")
    expect(row).to_contain_text(f"{HOURS}")
    expect(row).to_contain_text(money_text(gross))
    expect(row).to_contain_text(money_text(dues))
    desk.get_by_label("I confirm: approve this pay run.").check()
    desk.get_by_role("button", name="Approve (final)").click()
    expect(desk.locator(".messages")).to_contain_text("approved: it is final")
    row.get_by_role("link", name="Chen, Maya").click()
    lines = desk.get_by_role("row").filter(has_text="Tue Apr 9")
    expect(lines).to_have_count(2)
    expect(lines.first.get_by_role("cell")).to_have_text(
        ["Tue Apr 9", "Regular", LVN, f"Step {STEP}", f"{HOURS}", f"${wage}", money_text(regular)])
    expect(lines.last.get_by_role("cell").nth(1)).to_have_text("Overtime 1.5× (premium)")
    expect(lines.last.get_by_role("cell").last).to_have_text(money_text(premium))

    # Maya sees the statement on her phone.
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="My pay").click()
    stub = phone.locator(".card").filter(has_text="Paid Apr 19, 2030")
    expect(stub).to_contain_text(f"{HOURS} hours · gross {money_text(gross)}")
    assert _fits(phone)

    # 6. An existing worker-owner comes in with the roster import: owner since 2027, the
    # buy-in paid, her hours of 2029 as the opening balance.
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    desk.get_by_role("link", name="Import your roster (CSV)").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Import your roster")
    desk.get_by_label("CSV file").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()})
    desk.get_by_role("button", name="Check the file").click()
    expect(desk.get_by_role("heading", level=2, name="Ready to import 1 worker")).to_be_visible()
    rows = desk.get_by_role("region", name="Rows of the file")
    expect(rows).to_contain_text("Worker-owner since Jun 1, 2027")
    expect(rows).to_contain_text("$250.00 (in full)")
    desk.get_by_role("button", name="Import 1 worker").click()
    expect(desk.locator(".messages")).to_contain_text("Imported 1 worker: 0 employees, 0 candidates, 1 worker-owner.")

    lena_phone = new_page(**PHONE)
    _accept_invitation(lena_phone, live_server.url, _mail_to(OWNER_EMAIL), OWNER_EMAIL, OWNER_PASSWORD)
    lena_phone.get_by_role("navigation", name="Main").get_by_role("link", name="My ownership").click()
    expect(lena_phone.locator(".badge")).to_have_text("Worker-owner")

    # Last year's books close on the platform: patronage of 2029 is allocated and the retained
    # part goes into her capital account.
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Payroll").click()
    desk.get_by_role("link", name="Patronage").click()
    fiscal_year = desk.get_by_role("region", name="Add a fiscal year")
    fiscal_year.get_by_label("First day").fill("2029-01-01")
    fiscal_year.get_by_label("Last day").fill("2029-12-31")
    fiscal_year.get_by_role("button", name="Add fiscal year").click()
    desk.get_by_role("link", name="Draft the allocation").click()
    desk.get_by_label("Net earnings from member business ($)").fill(str(NET_EARNINGS))
    desk.get_by_label("Source of the figure").fill("Audited financial statements 2029")
    desk.get_by_label("Collective reserve (%)").fill(str(RESERVE_PERCENT))
    desk.get_by_label("Board resolution").fill("Board resolution 2030-03")
    desk.get_by_role("button", name="Compute the draft").click()
    reserve = (NET_EARNINGS * RESERVE_PERCENT / 100).quantize(CENT, ROUND_HALF_UP)
    share = NET_EARNINGS - reserve  # she is the only worker-owner of 2029
    cash = (share * Decimal("0.20")).quantize(CENT, ROUND_CEILING)  # never below 20%
    retained = share - cash
    assert retained == Decimal("5600.04")
    expect(desk.locator(".messages")).to_contain_text(f"Draft computed: {money_text(share)} among the members.")
    desk.get_by_label("I confirm: approve this allocation.").check()
    desk.get_by_role("button", name="Approve (final)").click()
    desk.get_by_role("button", name="Issue notices and post capital accounts").click()
    expect(desk.locator(".status-line")).to_contain_text("Issued")

    # She leaves: staff record the withdrawal; the bylaws' schedule repays the buy-in within
    # 60 days and the capital account in 5 yearly installments, the odd cents on the last.
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    desk.get_by_role("link", name="All workers").click()
    desk.get_by_label("Name or email").fill("okafor")
    desk.get_by_role("button", name="Find").click()
    desk.get_by_role("region", name="Workers").get_by_role("link", name="Okafor, Lena").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Lena Okafor")
    leave = desk.get_by_role("form", name="End ownership")
    leave.get_by_label("Reason for leaving").select_option(label="Withdrawal (the owner leaves)")
    expect(leave.get_by_label("Ownership ends on")).to_have_value("2030-04-15")
    leave.get_by_label("Why").fill("Moving to Oregon")
    leave.get_by_label("I confirm: end this ownership").check()
    leave.get_by_role("button", name="End ownership").click()
    total = Decimal("250.00") + retained
    expect(desk.locator(".messages")).to_contain_text(
        f"Lena Okafor's ownership ended on Apr 15, 2030. {money_text(total)} is scheduled for redemption.")
    schedule = [("Equity buy-in", "Jun 14, 2030", "$250.00"), ("Capital account", "Apr 15, 2031", "$1,120.00")] + [
        ("Capital account", f"Apr 15, {year}", "$1,120.01") for year in range(2032, 2036)]
    for page in (desk, lena_phone):
        if page is lena_phone:
            page.reload()
            expect(page.get_by_role("heading", name="Repaying your equity and capital account")).to_be_visible()
        installments = page.get_by_role("region", name="Redemption installments").locator("tbody tr")
        expect(installments).to_have_count(len(schedule))
        for row, (part, due, amount) in zip(installments.all(), schedule):
            expect(row).to_contain_text(part)
            expect(row).to_contain_text(due)
            expect(row).to_contain_text(amount)
    assert _fits(lena_phone)


def _link(message, path: str) -> str:
    """The path (from `path` on) of the address in `message` leading there: the emails name
    the site's configured address, the test's server listens elsewhere."""
    (url,) = re.findall(rf"https?://\S+?({re.escape(path)}\S*)", message.body)
    return url


def _mail_to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _accept_invitation(page, server: str, message, email: str, password: str):
    """Signed out, from the emailed link: create the account with the invited address (it
    counts as confirmed: only its mailbox got the link), come back and accept."""
    page.goto(server + _link(message, f"/c/{SLUG}/invitations/"))
    page.get_by_role("link", name="create your account").click()
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("button", name="Accept the invitation").click()


def _add_client(desk, name: str, reference: str):
    """From the clients page: the client, then a contract from Apr 1 with an LVN bill rate."""
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Placements").click()
    desk.get_by_role("link", name="Clients and job orders").click()
    new = desk.get_by_role("region", name="New client")
    new.get_by_label("Name", exact=True).fill(name)
    new.get_by_label("Time zone").fill("America/Los_Angeles")
    new.get_by_role("button", name="Add client").click()
    expect(desk.locator(".messages")).to_contain_text(f"{name} added.")
    desk.locator("summary", has_text="Add a contract").click()
    contract = desk.get_by_role("form", name="Add a contract")
    contract.get_by_label("Reference").fill(reference)
    contract.get_by_label("Starts on").fill("2030-04-01")
    contract.get_by_role("button", name="Add contract").click()
    expect(desk.locator(".messages")).to_contain_text(f"Contract {reference} added.")
    desk.locator("summary", has_text="Set a bill rate").click()
    rate = desk.get_by_role("form", name=f"Set a bill rate on {reference}")
    rate.get_by_label("Classification").select_option(label=LVN)
    rate.get_by_label("Rate per hour").fill(str(BILL_RATE))
    rate.get_by_role("button", name="Set rate").click()
    expect(desk.get_by_role("table").filter(has_text=LVN)).to_contain_text(f"${BILL_RATE}")
