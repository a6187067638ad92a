"""Pages of patronage: the staff screens from fiscal year to cash paid (issuing runs the task
and posts the capital accounts), the 1099-PATR and cash files, the notice PDF, the worker's
own capital account, who may see what, and query counts that do not grow with members.
tests/patronage/conftest.py opens alliedup's scope for every test."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliedup.models import AuditEvent, Cooperative, Role
from patronage.documents import CONSENT_STATEMENT
from patronage.models import CapitalAccountEntry, FiscalYear, PatronageAllocation
from patronage.services.allocations import allocation_approve, allocation_issue_request, fiscal_year_create
from payroll.selectors import employee_id
from tests.factories import CooperativeRoleFactory, UserFactory
from tests.patronage.test_patronage import YEAR, draft, hours, owner

BASE = "/c/alliedup/payroll/patronage"
D = Decimal

try:
    import pypdf
except ImportError:  # optional: the text checks run where pypdf is installed
    pypdf = None


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The co-op's today is Monday 2026-03-02: fiscal 2025 has ended, its cash is due Sep 15, 2026."""
    monkeypatch.setattr(Cooperative, "today", lambda self: date(2026, 3, 2))
    return date(2026, 3, 2)


@pytest.fixture
def year(alliedup):
    return fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])


@pytest.fixture
def members(alliedup, ma):
    """Two owners all year: 1,200 and 300 hours (the pool splits 80/20)."""
    rosa = owner(alliedup, date(2024, 1, 1), first_name="Rosa", last_name="Diaz")
    li = owner(alliedup, date(2024, 1, 1), first_name="Li", last_name="Chen")
    hours(rosa, ma, date(2025, 2, 3), "1200.00")
    hours(li, ma, date(2025, 2, 3), "300.00")
    return rosa, li


@pytest.fixture
def issue(alliedup_users, django_capture_on_commit_callbacks):
    """issue(allocation) -> the allocation approved and issued (the task run on commit)."""

    def _issue(allocation):
        allocation = allocation_approve(allocation=allocation, approved_by=alliedup_users["admin"])
        with django_capture_on_commit_callbacks(execute=True):
            allocation_issue_request(allocation=allocation, requested_by=alliedup_users["admin"])
        allocation.refresh_from_db()
        assert allocation.status == PatronageAllocation.Status.ISSUED
        return allocation

    return _issue


@pytest.fixture
def issued(year, members, issue):
    """Fiscal 2025: $120,000.00, 30% reserve → $84,000.00: Rosa 67,200.00, Li 16,800.00; 20% cash."""
    return issue(draft(year))


def _staff_urls(allocation, worker):
    a = f"{BASE}/allocations/{allocation.uuid}"
    return [f"{BASE}/", f"{BASE}/allocations/new/", f"{a}/", f"{a}/progress/", f"{a}/1099-patr.csv", f"{a}/cash.csv",
            f"{a}/notices/{worker.uuid}/pdf/", f"{BASE}/workers/{worker.uuid}/capital/"]


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


# Who may see what ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PAYROLL, Role.ADMIN])
def test_each_staff_page_renders_for_payroll_and_admin(role, issued, members, alliedup_users, login):
    client = login(alliedup_users[role])
    for url in _staff_urls(issued, members[0]):
        assert client.get(url).status_code == 200, url
    detail = client.get(f"{BASE}/allocations/{issued.uuid}/").content.decode()
    assert "Diaz, Rosa" in detail and "$67,200.00" in detail and "$84,000.00" in detail and "$36,000.00" in detail
    assert "2 of 2 lines posted" in detail and "Form 1099-PATR data (CSV)" in detail
    assert "hx-trigger" not in detail  # issued: nothing to poll
    assert "Issued" in client.get(f"{BASE}/").content.decode()


def test_the_board_reads_but_does_not_act(issued, members, alliedup_users, login):
    client = login(alliedup_users[Role.BOARD])
    assert client.get(f"{BASE}/allocations/{issued.uuid}/").status_code == 200
    assert client.post(f"{BASE}/allocations/{issued.uuid}/cash-paid/", {"paid_on": "2026-03-01"}).status_code == 403
    assert client.get(f"{BASE}/allocations/new/").status_code == 403


def test_a_worker_is_refused_every_staff_page(issued, members, alliedup_users, login):
    client = login(alliedup_users[Role.WORKER])
    for url in _staff_urls(issued, members[0]):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}/allocations/{issued.uuid}/approve/").status_code == 403
    assert client.post(f"{BASE}/workers/{members[0].uuid}/capital/redeem/", {"amount": "1.00"}).status_code == 403


def test_a_worker_sees_only_their_own_capital_account_and_notice(alliedup, ma, alliedup_users, login, issue):
    """Rosa owns since 2024, Ana only since 2025: fiscal 2024 has a line for Rosa alone."""
    ana = owner(alliedup, date(2025, 1, 1), first_name="Ana", last_name="Lopez", user=alliedup_users["worker"])
    rosa_user = UserFactory(email="rosa@example.com")
    CooperativeRoleFactory(cooperative=alliedup, user=rosa_user, role=Role.WORKER)
    rosa = owner(alliedup, date(2024, 1, 1), first_name="Rosa", last_name="Diaz", user=rosa_user)
    hours(rosa, ma, date(2024, 3, 4), "100.00")
    hours(rosa, ma, date(2025, 3, 3), "300.00")
    hours(ana, ma, date(2025, 3, 3), "100.00")
    fy2024 = issue(draft(fiscal_year_create(cooperative=alliedup, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)), net="5000.00"))
    fy2025 = issue(draft(fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1]), net="10000.00"))
    # 2025: pool 7,000.00 → Rosa 5,250.00, Ana 1,750.00 (cash 350.00, retained 1,400.00)
    client = login(alliedup_users["worker"])
    page = client.get(f"{BASE}/my/capital/").content.decode()
    assert "$1,750.00" in page and "$1,400.00" in page and "$350.00" in page
    assert "Diaz" not in page and "$5,250.00" not in page
    assert f"/my/capital/notices/{fy2025.uuid}/pdf/" in page
    notice = client.get(f"{BASE}/my/capital/notices/{fy2025.uuid}/pdf/")
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF")
    assert f"{employee_id(ana)}-Lopez" in notice["Content-Disposition"]
    # Rosa's line of 2024 is not Ana's: not found; nor is Rosa's notice through the staff route.
    assert client.get(f"{BASE}/my/capital/notices/{fy2024.uuid}/pdf/").status_code == 404
    assert client.get(f"{BASE}/allocations/{fy2025.uuid}/notices/{rosa.uuid}/pdf/").status_code == 403
    # Rosa sees hers, both years.
    rosa_page = login(rosa_user).get(f"{BASE}/my/capital/").content.decode()
    assert "Lopez" not in rosa_page and "$1,750.00" not in rosa_page
    assert login(rosa_user).get(f"{BASE}/my/capital/notices/{fy2024.uuid}/pdf/").status_code == 200


def test_the_ownership_page_links_an_owner_to_their_capital_account(alliedup, alliedup_users, login):
    owner(alliedup, date(2024, 1, 1), user=alliedup_users["worker"])
    page = login(alliedup_users["worker"]).get("/c/alliedup/members/me/").content.decode()
    assert f"{BASE}/my/capital/" in page


def test_an_account_without_an_employee_record_sees_a_notice_not_an_error(alliedup_users, login):
    response = login(alliedup_users["worker"]).get(f"{BASE}/my/capital/")
    assert response.status_code == 200 and b"No employee record" in response.content


# The notice --------------------------------------------------------------------------------------


def test_the_notice_is_a_pdf_with_the_amounts_and_the_consent_statement(issued, members, alliedup_users, login):
    rosa = members[0]
    response = login(alliedup_users["payroll"]).get(f"{BASE}/allocations/{issued.uuid}/notices/{rosa.uuid}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if pypdf is not None:
        text = _pdf_text(response.content)
        # 84,000.00 × 1200/1500 = 67,200.00; cash 20% = 13,440.00; retained 53,760.00; due Sep 15, 2026
        for expected in ("Rosa Diaz", "$67,200.00", "$13,440.00", "$53,760.00", "1,200.00", "September 15, 2026", "Hours worked"):
            assert expected in text, expected
        assert " ".join(CONSENT_STATEMENT.split()) in text


def test_there_is_no_notice_before_the_allocation_is_issued(year, members, alliedup_users, login):
    allocation = draft(year)
    client = login(alliedup_users["payroll"])
    assert client.get(f"{BASE}/allocations/{allocation.uuid}/notices/{members[0].uuid}/pdf/").status_code == 404
    response = client.get(f"{BASE}/allocations/{allocation.uuid}/1099-patr.csv")
    assert response.status_code == 302  # back to the allocation with a message


# The files ---------------------------------------------------------------------------------------


def test_the_1099_patr_csv_has_only_members_with_10_dollars_or_more(alliedup, ma, year, issue, alliedup_users, login):
    big = owner(alliedup, date(2024, 1, 1), first_name="Big", last_name="Adams")
    small = owner(alliedup, date(2024, 1, 1), first_name="Small", last_name="Baker")
    hours(big, ma, date(2025, 5, 5), "9.00")
    hours(small, ma, date(2025, 5, 5), "1.00")
    allocation = issue(draft(year, net="99.90", reserve="0"))  # 89.91 and 9.99
    client = login(alliedup_users["payroll"])
    rows = _csv(client.get(f"{BASE}/allocations/{allocation.uuid}/1099-patr.csv"))
    tax_year = str(allocation.issued_at.astimezone(alliedup.zone).year)
    # cash: 20% of 89.91 = 17.982 → 17.99 (rounded up); retained 71.92
    assert rows == [
        ["tax_year", "employee_id", "last_name", "first_name", "email", "box1_patronage_dividends", "cash_paid", "qualified_notice_retained"],
        [tax_year, employee_id(big), "Adams", "Big", big.email, "89.91", "17.99", "71.92"],
    ]
    cash = _csv(client.get(f"{BASE}/allocations/{allocation.uuid}/cash.csv"))
    assert cash == [
        ["employee_id", "last_name", "first_name", "cash_amount", "pay_by_date"],
        [employee_id(big), "Adams", "Big", "17.99", "2026-09-15"],
        [employee_id(small), "Baker", "Small", "2.00", "2026-09-15"],  # 20% of 9.99 = 1.998 → 2.00
    ]


# From fiscal year to cash paid ------------------------------------------------------------------


def test_from_fiscal_year_to_draft_through_the_pages(alliedup, members, alliedup_users, login):
    client = login(alliedup_users["payroll"])
    assert client.post(f"{BASE}/years/new/", {"starts_on": "2025-01-01", "ends_on": "2025-12-31"}).status_code == 302
    year = FiscalYear.objects.get()
    form = client.get(f"{BASE}/allocations/new/?year={year.uuid}").content.decode()
    assert 'value="20.00"' in form  # the co-op's cash share
    data = {"fiscal_year": str(year.uuid), "net_earnings": "120000.00", "earnings_source": "Audited statements 2025",
            "reserve_percent": "30", "reserve_decided_by": "Board resolution 2026-02", "cash_percent": "19.99", "basis": "hours"}
    refused = client.post(f"{BASE}/allocations/new/", data)
    assert refused.status_code == 400 and "20%" in refused.content.decode()
    assert not PatronageAllocation.objects.exists()
    response = client.post(f"{BASE}/allocations/new/", {**data, "cash_percent": "25"})
    allocation = PatronageAllocation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/allocations/{allocation.uuid}/"
    assert (allocation.pool, allocation.cash_percent, allocation.created_by) == (D("84000.00"), D("25.00"), alliedup_users["payroll"])
    overlapping = client.post(f"{BASE}/years/new/", {"starts_on": "2025-06-01", "ends_on": "2026-05-31"})
    assert overlapping.status_code == 400 and "overlaps" in overlapping.content.decode()


def test_issuing_through_the_page_runs_the_task_and_posts_the_capital_entries(
    year, members, alliedup_users, login, django_capture_on_commit_callbacks,
):
    allocation = draft(year)
    client = login(alliedup_users["payroll"])
    assert client.post(f"{BASE}/allocations/{allocation.uuid}/approve/", {"approve-confirm": "on"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"{BASE}/allocations/{allocation.uuid}/issue/")
    assert response.status_code == 302 and len(callbacks) == 1
    allocation.refresh_from_db()
    assert allocation.status == PatronageAllocation.Status.ISSUED and allocation.fiscal_year.status == FiscalYear.Status.ALLOCATED
    entries = {e.worker_id: e.amount for e in CapitalAccountEntry.objects.all()}
    assert entries == {members[0].pk: D("53760.00"), members[1].pk: D("13440.00")}
    rosa = client.get(f"{BASE}/workers/{members[0].uuid}/capital/").content.decode()
    assert "$53,760.00" in rosa and "Retained patronage" in rosa


def test_approving_without_the_confirmation_changes_nothing_and_says_why(year, members, alliedup_users, login):
    """Approving is final, so the page asks for an "I confirm" tick (no JavaScript needed), as pay runs do."""
    allocation = draft(year)
    client = login(alliedup_users["payroll"])
    page = client.get(f"{BASE}/allocations/{allocation.uuid}/").content.decode()
    assert 'name="approve-confirm"' in page and "I confirm: approve this allocation." in page
    events = AuditEvent.objects.count()
    for data in ({}, {"approve-confirm": ""}):
        refused = client.post(f"{BASE}/allocations/{allocation.uuid}/approve/", data)
        body = refused.content.decode()
        assert refused.status_code == 400 and body.count("Tick the confirmation to approve the allocation.") == 2  # message and field
        assert "The allocation was not approved" in body and 'name="approve-confirm"' in body
        allocation.refresh_from_db()
        assert (allocation.status, allocation.approved_at, allocation.approved_by) == (PatronageAllocation.Status.DRAFT, None, None)
    assert AuditEvent.objects.count() == events
    ticked = client.post(f"{BASE}/allocations/{allocation.uuid}/approve/", {"approve-confirm": "on"})
    assert ticked.status_code == 302
    allocation.refresh_from_db()
    assert (allocation.status, allocation.approved_by) == (PatronageAllocation.Status.APPROVED, alliedup_users["payroll"])


def test_while_the_task_runs_the_page_polls_its_progress(year, members, alliedup_users, login):
    allocation = allocation_approve(allocation=draft(year), approved_by=alliedup_users["admin"])
    client = login(alliedup_users["payroll"])
    client.post(f"{BASE}/allocations/{allocation.uuid}/issue/")  # queued on commit: the test never commits
    page = client.get(f"{BASE}/allocations/{allocation.uuid}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "0 of 2 lines posted" in page
    fragment = client.get(f"{BASE}/allocations/{allocation.uuid}/progress/", HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "0 of 2 lines posted" in fragment.content.decode()
    assert "HX-Refresh" not in fragment


def test_once_issued_the_progress_fragment_reloads_the_page(issued, alliedup_users, login):
    fragment = login(alliedup_users["payroll"]).get(f"{BASE}/allocations/{issued.uuid}/progress/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and "2 of 2 lines posted" in fragment.content.decode()


def test_the_page_warns_as_the_cash_deadline_nears_and_marking_it_paid_clears_it(issued, alliedup_users, login, monkeypatch):
    client = login(alliedup_users["payroll"])
    url = f"{BASE}/allocations/{issued.uuid}/"
    assert "must be paid by" not in client.get(url).content.decode()
    monkeypatch.setattr(Cooperative, "today", lambda self: date(2026, 9, 1))
    assert "The cash part must be paid by September 15, 2026: 14 days left." in client.get(url).content.decode()
    assert client.post(f"{url}cash-paid/", {"paid_on": "2026-09-01"}).status_code == 302
    issued.refresh_from_db()
    assert issued.status == PatronageAllocation.Status.PAID and issued.cash_paid_on == date(2026, 9, 1)
    page = client.get(url).content.decode()
    assert "days left" not in page and "paid Sep 1, 2026" in page


def test_a_redemption_is_recorded_within_the_retained_balance(issued, members, alliedup_users, login):
    li = members[1]  # retained 13,440.00
    client = login(alliedup_users["payroll"])
    url = f"{BASE}/workers/{li.uuid}/capital/redeem/"
    too_much = client.post(url, {"amount": "13440.01", "effective_on": "2026-03-02", "reference": "CHK-1", "reason": "Exit"})
    assert too_much.status_code == 400 and "$13,440.00" in too_much.content.decode()
    assert client.post(url, {"amount": "440.00", "effective_on": "2026-03-02", "reference": "CHK-1", "reason": "Exit"}).status_code == 302
    page = client.get(f"{BASE}/workers/{li.uuid}/capital/").content.decode()
    assert "-$440.00" in page and "$13,000.00" in page


# Query counts ----------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_cost_the_same_queries_for_2_and_10_members(alliedup, ma, issue, alliedup_users, login, django_assert_max_num_queries):
    workers = [owner(alliedup, date(2024, 1, 1)) for _ in range(10)]
    for w in workers[:2]:
        hours(w, ma, date(2024, 3, 4), "40.00")
    for w in workers:
        hours(w, ma, date(2025, 3, 3), "40.00")
    small = issue(draft(fiscal_year_create(cooperative=alliedup, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))))
    big = issue(draft(fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])))
    assert (small.lines.count(), big.lines.count()) == (2, 10)
    client = login(alliedup_users["payroll"])
    client.get(f"{BASE}/")  # warm the session and role caches
    two, ten = _queries(client, f"{BASE}/allocations/{small.uuid}/"), _queries(client, f"{BASE}/allocations/{big.uuid}/")
    assert two == ten
    with django_assert_max_num_queries(20):
        client.get(f"{BASE}/allocations/{big.uuid}/")
    with django_assert_max_num_queries(15):
        client.get(f"{BASE}/")
    assert _queries(client, f"{BASE}/workers/{workers[0].uuid}/capital/") == _queries(client, f"{BASE}/workers/{workers[9].uuid}/capital/")
