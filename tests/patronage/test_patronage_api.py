"""The patronage API: from fiscal year to cash paid, the 1099-PATR rows, the worker's own
capital account and notice, refusals (cash below 20%, a worker on staff routes) and query
counts that do not grow with members. tests/patronage/conftest.py opens alliedup's scope."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliedup.models import Cooperative
from patronage.models import CapitalAccountEntry, PatronageAllocation
from patronage.services.allocations import allocation_approve, allocation_issue_request, fiscal_year_create
from payroll.selectors import employee_id
from tests.patronage.test_patronage import YEAR, draft, hours, owner

BASE = "/api/v1/c/alliedup/payroll/patronage"
D = Decimal


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(Cooperative, "today", lambda self: date(2026, 3, 2))
    return date(2026, 3, 2)


@pytest.fixture
def api(alliedup_users):
    """api(role) -> an APIClient authenticated with that role's API token."""

    def _client(role):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=alliedup_users[role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


@pytest.fixture
def members(alliedup, ma, alliedup_users):
    """Rosa (the worker-role user's record) 1,200 hours and Li 300 hours in 2025, owners all year."""
    rosa = owner(alliedup, date(2024, 1, 1), first_name="Rosa", last_name="Diaz", user=alliedup_users["worker"])
    li = owner(alliedup, date(2024, 1, 1), first_name="Li", last_name="Chen")
    hours(rosa, ma, date(2025, 2, 3), "1200.00")
    hours(li, ma, date(2025, 2, 3), "300.00")
    return rosa, li


def _ok(response, code=200):
    assert response.status_code == code, response.content[:2000]
    return response.json()


DRAFT = {"net_earnings": "120000.00", "earnings_source": "Audited statements 2025", "reserve_percent": "30.00",
         "reserve_decided_by": "Board resolution 2026-02"}


def test_from_fiscal_year_to_cash_paid_through_the_api(members, api, django_capture_on_commit_callbacks):
    rosa, li = members
    staff = api("payroll")
    year = _ok(staff.post(f"{BASE}/fiscal-years/", {"starts_on": "2025-01-01", "ends_on": "2025-12-31"}, format="json"), 201)
    assert year["status"] == "open" and year["allocation"] is None

    allocation = _ok(staff.post(f"{BASE}/allocations/", {"fiscal_year": year["uuid"], **DRAFT}, format="json"), 201)
    assert (allocation["status"], allocation["basis"], allocation["cash_percent"]) == ("draft", "hours", "20.00")
    assert (allocation["reserve"], allocation["pool"], allocation["total_units"]) == ("36000.00", "84000.00", "1500.00")
    assert allocation["totals"] == {"members": 2, "allocated": "84000.00", "cash": "16800.00", "retained": "67200.00", "posted": 0}
    assert allocation["cash_deadline"] == "2026-09-15" and allocation["cash_deadline_warning"] is None
    url = f"{BASE}/allocations/{allocation['uuid']}"

    lines = _ok(staff.get(f"{url}/lines/"))["results"]
    assert [(l["employee_id"], l["units"], l["allocated"], l["cash"], l["retained"]) for l in lines] == [
        (employee_id(rosa), "1200.00", "67200.00", "13440.00", "53760.00"),
        (employee_id(li), "300.00", "16800.00", "3360.00", "13440.00"),
    ]
    # Not issued yet: no 1099-PATR data, no notice.
    assert staff.get(f"{url}/1099-patr/").status_code == 400
    assert staff.get(f"{url}/notices/{rosa.uuid}/pdf/").status_code == 404

    assert _ok(staff.post(f"{url}/approve/"))["status"] == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        progress = _ok(staff.post(f"{url}/issue/"), 202)
    assert progress == {"status": "approved", "issuing": True, "posted": 0, "to_post": 2}  # read before the task ran
    assert _ok(staff.get(f"{url}/progress/")) == {"status": "issued", "issuing": False, "posted": 2, "to_post": 2}
    assert CapitalAccountEntry.objects.count() == 2

    rows = _ok(staff.get(f"{url}/1099-patr/"))
    issued_at = PatronageAllocation.objects.get().issued_at
    assert rows[0] == {
        "tax_year": issued_at.astimezone(rosa.cooperative.zone).year, "employee_id": employee_id(li), "worker": str(li.uuid),
        "last_name": "Chen", "first_name": "Li", "email": li.email, "box1_patronage_dividends": "16800.00",
        "cash_paid": "3360.00", "qualified_notice_retained": "13440.00",
    }
    assert [r["last_name"] for r in rows] == ["Chen", "Diaz"]
    pdf = staff.get(f"{url}/notices/{rosa.uuid}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    paid = _ok(staff.post(f"{url}/cash-paid/", {"paid_on": "2026-03-01"}, format="json"))
    assert (paid["status"], paid["cash_paid_on"]) == ("paid", "2026-03-01")
    assert _ok(staff.get(f"{BASE}/fiscal-years/"))["results"][0]["status"] == "allocated"


def test_cash_below_20_percent_is_a_400_and_writes_nothing(alliedup, members, api):
    year = fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])
    response = api("payroll").post(f"{BASE}/allocations/", {"fiscal_year": str(year.uuid), **DRAFT, "cash_percent": "19.99"}, format="json")
    assert response.status_code == 400
    assert "20%" in " ".join(response.json()["cash_percent"])
    assert not PatronageAllocation.objects.exists()


def test_a_year_not_ended_and_a_second_issue_are_refused(alliedup, members, api, alliedup_users):
    staff = api("payroll")
    later = fiscal_year_create(cooperative=alliedup, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    response = staff.post(f"{BASE}/allocations/", {"fiscal_year": str(later.uuid), **DRAFT}, format="json")
    assert response.status_code == 400 and "fiscal_year" in response.json()
    year = fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])
    allocation = draft(year)
    assert staff.post(f"{BASE}/allocations/{allocation.uuid}/issue/").status_code == 400  # a draft is not issued


def test_the_worker_reads_only_their_own_capital_account_and_notice(alliedup, members, api, alliedup_users, django_capture_on_commit_callbacks):
    rosa, li = members
    year = fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])
    allocation = allocation_approve(allocation=draft(year), approved_by=alliedup_users["admin"])
    me = api("worker")
    before = _ok(me.get(f"{BASE}/me/capital-account/"))
    assert before["retained_balance"] == "0.00" and before["entries"] == [] and before["latest_notice"] is None
    assert me.get(f"{BASE}/me/notices/{allocation.uuid}/pdf/").status_code == 404  # not issued yet
    with django_capture_on_commit_callbacks(execute=True):
        allocation_issue_request(allocation=allocation, requested_by=alliedup_users["admin"])
    account = _ok(me.get(f"{BASE}/me/capital-account/"))
    assert (account["equity_paid"], account["retained_balance"], account["balance"]) == ("0.00", "53760.00", "53760.00")
    assert account["entries"] == [{"effective_on": "2025-12-31", "kind": "patronage", "amount": "53760.00",
                                   "reference": account["entries"][0]["reference"], "note": account["entries"][0]["note"],
                                   "fiscal_year_ends_on": "2025-12-31", "redemption_installment": None}]
    notice = account["latest_notice"]
    assert (notice["allocated"], notice["cash"], notice["retained"]) == ("67200.00", "13440.00", "53760.00")
    assert notice["pdf"] == f"{BASE}/me/notices/{allocation.uuid}/pdf/"
    pdf = me.get(notice["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "Diaz" in pdf["Content-Disposition"]
    # Staff routes, Li's account or notice: refused.
    for url in (f"{BASE}/fiscal-years/", f"{BASE}/allocations/{allocation.uuid}/", f"{BASE}/allocations/{allocation.uuid}/1099-patr/",
                f"{BASE}/workers/{li.uuid}/capital-account/", f"{BASE}/allocations/{allocation.uuid}/notices/{li.uuid}/pdf/"):
        assert me.get(url).status_code == 403, url


def test_the_board_reads_and_staff_record_a_redemption(alliedup, members, api, alliedup_users, django_capture_on_commit_callbacks):
    rosa, li = members
    year = fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])
    allocation = allocation_approve(allocation=draft(year), approved_by=alliedup_users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        allocation_issue_request(allocation=allocation, requested_by=alliedup_users["admin"])
    board = api("board")
    assert _ok(board.get(f"{BASE}/workers/{li.uuid}/capital-account/"))["retained_balance"] == "13440.00"
    assert board.post(f"{BASE}/workers/{li.uuid}/capital-account/", {"amount": "1.00"}, format="json").status_code == 403
    staff = api("payroll")
    body = {"amount": "13440.01", "effective_on": "2026-03-02", "reference": "CHK-9", "reason": "Exit"}
    assert "amount" in staff.post(f"{BASE}/workers/{li.uuid}/capital-account/", body, format="json").json()
    entry = _ok(staff.post(f"{BASE}/workers/{li.uuid}/capital-account/", {**body, "amount": "440.00"}, format="json"), 201)
    assert (entry["kind"], entry["amount"]) == ("redemption", "-440.00")
    assert _ok(staff.get(f"{BASE}/workers/{li.uuid}/capital-account/"))["retained_balance"] == "13000.00"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_members(alliedup, ma, api, alliedup_users, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    workers = [owner(alliedup, date(2024, 1, 1)) for _ in range(10)]
    for w in workers[:2]:
        hours(w, ma, date(2024, 3, 4), "40.00")
    for w in workers:
        hours(w, ma, date(2025, 3, 3), "40.00")
    allocations = []
    for starts, ends in ((date(2024, 1, 1), date(2024, 12, 31)), YEAR):
        allocation = allocation_approve(allocation=draft(fiscal_year_create(cooperative=alliedup, starts_on=starts, ends_on=ends)),
                                        approved_by=alliedup_users["admin"])
        with django_capture_on_commit_callbacks(execute=True):
            allocation_issue_request(allocation=allocation, requested_by=alliedup_users["admin"])
        allocations.append(allocation)
    staff = api("payroll")
    for suffix in ("/", "/lines/", "/1099-patr/", "/progress/"):
        small, big = (_queries(staff, f"{BASE}/allocations/{a.uuid}{suffix}") for a in allocations)
        assert small == big, suffix
    with django_assert_max_num_queries(12):
        staff.get(f"{BASE}/allocations/{allocations[1].uuid}/lines/")
    with django_assert_max_num_queries(10):
        staff.get(f"{BASE}/fiscal-years/")


def test_an_allocation_issued_without_its_time_recorded_exports_a_blank_tax_year(members, api, alliedup_users, login):
    """Older data: issued, but `issued_at` was never stored. The 1099-PATR rows still come
    out (the amounts are known); the tax year, which hangs on the issue date, is left blank
    rather than guessed, and neither the API nor the CSV download fails."""
    rosa, li = members
    allocation = draft(fiscal_year_create(cooperative=rosa.cooperative, starts_on=YEAR[0], ends_on=YEAR[1]))
    allocation_approve(allocation=allocation, approved_by=alliedup_users["admin"])
    PatronageAllocation.objects.filter(pk=allocation.pk).update(status=PatronageAllocation.Status.ISSUED, issued_at=None)

    rows = _ok(api("payroll").get(f"{BASE}/allocations/{allocation.uuid}/1099-patr/"))
    assert [(r["tax_year"], r["last_name"], r["box1_patronage_dividends"]) for r in rows] == [
        (None, "Chen", "16800.00"), (None, "Diaz", "67200.00"),
    ]
    csv = login(alliedup_users["payroll"]).get(f"/c/alliedup/payroll/patronage/allocations/{allocation.uuid}/1099-patr.csv")
    assert csv.status_code == 200 and "1099-patr-year-unknown-fy2025.csv" in csv["Content-Disposition"]
    assert csv.content.decode().splitlines()[1].startswith(f",{employee_id(li)},Chen,")
