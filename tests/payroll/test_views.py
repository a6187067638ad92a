"""Pages of payroll: the staff screens (agreements and wage tables, pay runs from calculate to
the processor's results, statements and their PDFs, the wage floor report, sick leave used),
the worker portal (own statements only), and bounded query counts. tests/payroll/conftest.py
opens alliedup's scope for every test."""

import io
import zipfile
from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliedup.money import money_text
from payroll import documents, selectors
from payroll.models import CollectiveAgreement, PayLine, PayPeriod, PayRun, PayStatement, SickLeaveEntry, WageTable
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from tests.members.factories import WorkerFactory

BASE = "/c/alliedup/payroll"
D = Decimal

try:
    import pypdf
except ImportError:  # optional: the text checks run where pypdf is installed
    pypdf = None


@pytest.fixture
def payroll_client(alliedup_users, login):
    return login(alliedup_users["payroll"])


@pytest.fixture
def worker_user(alliedup_users):
    return alliedup_users["worker"]


@pytest.fixture
def own_worker(worker, worker_user):
    """The fixture worker (Rosa Diaz), linked to the worker-role user's account."""
    worker.user = worker_user
    worker.save(update_fields=["user"])
    return worker


def _approved_run(period, users):
    return payrun_approve(run=payrun_calculate(run=period.run), approved_by=users["payroll"])


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def _staff_urls(agreement, run, statement, worker):
    return [
        f"{BASE}/", f"{BASE}/agreements/", f"{BASE}/agreements/{agreement.uuid}/", f"{BASE}/runs/{run.uuid}/",
        f"{BASE}/statements/{statement.uuid}/", f"{BASE}/statements/{statement.uuid}/pdf/",
        f"{BASE}/runs/{run.uuid}/statements.pdf", f"{BASE}/runs/{run.uuid}/statements.zip",
        f"{BASE}/wage-floor/", f"{BASE}/wage-floor/csv/", f"{BASE}/workers/{worker.uuid}/sick-leave/",
    ]


# Staff pages render; workers are refused ------------------------------------------------------


def test_each_staff_page_renders_for_payroll_staff(agreement, worker, work, period, alliedup_users, payroll_client):
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = _approved_run(period, alliedup_users)
    statement = PayStatement.objects.get(run=run)
    for url in _staff_urls(agreement, run, statement, worker):
        response = payroll_client.get(url)
        assert response.status_code == 200, url
    page = payroll_client.get(f"{BASE}/runs/{run.uuid}/").content.decode()
    assert "Diaz, Rosa" in page and "$264.00" in page and "Approved" in page  # 8 h × $33.00
    assert "CBA 2026–2027" in payroll_client.get(f"{BASE}/agreements/").content.decode()
    detail = payroll_client.get(f"{BASE}/agreements/{agreement.uuid}/").content.decode()
    assert "Medical Assistant" in detail and "1: $33.00" in detail and "2: $34.00" in detail
    listing = payroll_client.get(f"{BASE}/").content.decode()
    assert run.reference in listing and "$264.00" in listing


@pytest.mark.parametrize("role", ["worker", "client"])
def test_workers_and_clients_are_refused_the_staff_pages(role, agreement, worker, work, period, alliedup_users, login):
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    statement = PayStatement.objects.get(run=run)
    client = login(alliedup_users[role])
    for url in _staff_urls(agreement, run, statement, worker):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}/runs/{run.uuid}/approve/").status_code == 403
    assert client.post(f"{BASE}/periods/new/").status_code == 403
    assert PayRun.objects.get(pk=run.pk).status == PayRun.Status.CALCULATED


def test_a_coordinator_sees_the_wage_floor_report_but_not_the_pay_runs(alliedup_users, login):
    coordinator = login(alliedup_users["coordinator"])
    assert coordinator.get(f"{BASE}/wage-floor/").status_code == 200
    assert coordinator.get(f"{BASE}/").status_code == 403


# The pay run through the pages ----------------------------------------------------------------


def test_first_period_asks_for_a_start_date_and_the_next_follows(alliedup, payroll_client):
    page = payroll_client.get(f"{BASE}/").content.decode()
    assert "Open the first period" in page and 'name="starts_on"' in page
    response = payroll_client.post(f"{BASE}/periods/new/", {"starts_on": "2026-11-03"})  # a Tuesday
    assert response.status_code == 400 and "workweek" in response.content.decode()
    response = payroll_client.post(f"{BASE}/periods/new/", {"starts_on": "2026-11-01"})
    first = PayPeriod.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/runs/{first.run.uuid}/"
    assert 'name="starts_on"' not in payroll_client.get(f"{BASE}/").content.decode()
    payroll_client.post(f"{BASE}/periods/new/", {})
    assert list(PayPeriod.objects.order_by("starts_on").values_list("starts_on", flat=True)) == [date(2026, 11, 1), date(2026, 11, 15)]


def test_calculate_approve_export_and_import_results_through_the_run_screen(agreement, worker, work, period, payroll_client):
    work(worker, date(2026, 11, 2), time(7), time(17))  # 10 h: 8 regular + 2 overtime
    run = period.run
    response = payroll_client.post(f"{BASE}/runs/{run.uuid}/calculate/")
    assert response.status_code == 302
    statement = PayStatement.objects.get(run=run)
    assert statement.gross == D("363.00")
    page = payroll_client.get(f"{BASE}/runs/{run.uuid}/").content.decode()
    # The client bills $28.00 under the CBA's $33.00: a negative margin to review.
    assert "Negative margin" in page and "Approve (final)" in page and "$363.00" in page

    assert payroll_client.post(f"{BASE}/runs/{run.uuid}/approve/", {"approve-confirm": "on"}).status_code == 302
    run.refresh_from_db()
    assert run.status == PayRun.Status.APPROVED
    assert SickLeaveEntry.objects.filter(worker=worker, run=run, kind="accrued").count() == 1

    response = payroll_client.post(f"{BASE}/runs/{run.uuid}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pay-run-{run.reference}.csv"'
    body = response.content.decode()
    eid = selectors.employee_id(worker)
    assert body.splitlines()[0].startswith("employee_id,last_name,first_name,type,code")
    assert f"{eid},Diaz,Rosa,earning,REG,10.00,330.00" in body and f"{eid},Diaz,Rosa,earning,OT15,2.00,33.00" in body
    run.refresh_from_db()
    assert run.status == PayRun.Status.EXPORTED

    bad = "employee_id,taxes,net_pay\nE999999,1.00,2.00\n" + f"{eid},abc,300.00\n"
    response = payroll_client.post(f"{BASE}/runs/{run.uuid}/results/", {"results-text": bad})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: employee &#x27;E999999&#x27; has no statement" in text and "Line 3:" in text and "abc" in text
    good = io.BytesIO(f"employee_id,taxes,net_pay\n{eid},41.25,321.75\n".encode())
    good.name = "results.csv"
    response = payroll_client.post(f"{BASE}/runs/{run.uuid}/results/", {"results-file": good})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.taxes, statement.net) == (D("41.25"), D("321.75"))
    assert "$321.75" in payroll_client.get(f"{BASE}/runs/{run.uuid}/").content.decode()


def test_a_missing_wage_is_listed_on_the_run_screen_and_nothing_is_written(alliedup, worker, work, period, payroll_client):
    work(worker, date(2026, 11, 2), time(7), time(15))  # no agreement: no CBA wage
    response = payroll_client.post(f"{BASE}/runs/{period.run.uuid}/calculate/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "missing wage" in page and "no CBA wage" in page and "Rosa Diaz" in page
    assert PayLine.objects.count() == 0 and PayRun.objects.get().status == PayRun.Status.DRAFT


def test_approving_an_uncalculated_run_shows_why(alliedup, period, payroll_client):
    response = payroll_client.post(f"{BASE}/runs/{period.run.uuid}/approve/", {"approve-confirm": "on"})
    assert "Calculate the pay run" in response.content.decode()
    assert PayRun.objects.get().status == PayRun.Status.DRAFT


def test_adjustment_through_the_form_sends_the_run_back_to_draft(agreement, worker, work, period, payroll_client):
    work(worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_calculate(run=period.run)
    response = payroll_client.post(f"{BASE}/runs/{run.uuid}/adjustments/", {"adj-worker": str(worker.uuid), "adj-amount": "25.00",
                                                                          "adj-reason": ""})
    assert response.status_code == 400 and "Say what the adjustment is for" in response.content.decode()
    response = payroll_client.post(f"{BASE}/runs/{run.uuid}/adjustments/", {
        "adj-worker": str(worker.uuid), "adj-amount": "25.00", "adj-reason": "Missed meal premium"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == PayRun.Status.DRAFT
    page = payroll_client.get(f"{BASE}/runs/{run.uuid}/").content.decode()
    assert "Missed meal premium" in page and "Recalculate" in page
    payroll_client.post(f"{BASE}/runs/{run.uuid}/calculate/")
    assert PayStatement.objects.get(run=run).gross == D("8") * D("33.00") + D("25.00")


# Agreements and wage tables ---------------------------------------------------------------------


def test_agreement_and_wage_table_through_the_forms(alliedup, ma, payroll_client):
    response = payroll_client.post(f"{BASE}/agreements/", {
        "name": "CBA 2027", "union": "SEIU-UHW", "starts_on": "2027-01-01", "ends_on": "2028-12-31", "status": "active",
        "step_basis": "assigned", "hours_per_step": "2080.00", "dues_kind": "percent", "dues_percent": "1.50", "dues_flat": "0.00"})
    agreement = CollectiveAgreement.objects.get(name="CBA 2027")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/agreements/{agreement.uuid}/"
    url = f"{BASE}/agreements/{agreement.uuid}"
    response = payroll_client.post(f"{url}/tables/", {"table-classification": ma.pk, "table-effective_from": "2027-01-01",
                                                      "table-steps": "1=33.00, 2=33.99, 3=35.01"})
    assert response.status_code == 302
    table = WageTable.objects.get(agreement=agreement)
    assert {s.step: s.hourly_rate for s in table.steps.all()} == {1: D("33.00"), 2: D("33.99"), 3: D("35.01")}
    # Overlapping dates are the service's refusal, shown on the form.
    response = payroll_client.post(f"{url}/tables/", {"table-classification": ma.pk, "table-effective_from": "2027-07-01",
                                                      "table-steps": "1=34.00"})
    assert response.status_code == 400 and "may not overlap" in response.content.decode()
    response = payroll_client.post(f"{url}/tables/", {"table-classification": ma.pk, "table-effective_from": "2027-07-01",
                                                      "table-steps": "one=34"})
    assert response.status_code == 400 and "step=rate" in response.content.decode()
    # Close the first table, then the new scale fits.
    assert payroll_client.post(f"{url}/tables/close/", {"close-table": table.pk, "close-effective_to": "2027-06-30"}).status_code == 302
    table.refresh_from_db()
    assert table.effective_to == date(2027, 6, 30)
    assert payroll_client.post(f"{url}/tables/", {"table-classification": ma.pk, "table-effective_from": "2027-07-01",
                                                  "table-steps": "1=34.00"}).status_code == 302
    response = payroll_client.post(f"{url}/differentials/", {"diff-kind": "night", "diff-basis": "per_hour", "diff-amount": "4.00",
                                                             "diff-window_start": "23:00", "diff-window_end": "07:00"})
    assert response.status_code == 302 and agreement.differentials.count() == 1


def test_wage_table_import_lists_every_bad_line_and_writes_nothing(alliedup, ma, agreement, payroll_client):
    url = f"{BASE}/agreements/{agreement.uuid}/tables/import/"
    bad = ("classification,effective_from,effective_to,step,hourly_rate\n"
           "xx,2027-01-01,,1,30.00\n"
           "ma,2027-13-01,,1,30.00\n"
           "ma,2027-01-01,,1,-4\n")
    response = payroll_client.post(url, {"import-text": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: unknown classification" in page and "Line 3:" in page and "Line 4:" in page
    assert WageTable.objects.count() == 1
    upload = io.BytesIO(("\ufeffclassification,effective_from,effective_to,step,hourly_rate\n"
                         "ma,2027-01-01,2027-06-30,1,35.00\nma,2027-01-01,2027-06-30,2,36.00\n").encode())
    upload.name = "wages.csv"
    # The fixture's table is open-ended: close it before the new one starts.
    payroll_client.post(f"{BASE}/agreements/{agreement.uuid}/tables/close/", {
        "close-table": WageTable.objects.get().pk, "close-effective_to": "2026-12-31"})
    response = payroll_client.post(url, {"import-file": upload})
    assert response.status_code == 302
    assert WageTable.objects.filter(effective_from=date(2027, 1, 1)).get().steps.count() == 2


# Statements and PDFs ------------------------------------------------------------------------------


def test_statement_pdf_is_a_real_pdf_with_the_wage_statement_items(alliedup, agreement, worker, work, period, alliedup_users):
    alliedup.address = "1 Cooperative Way, Oakland, CA 94612"
    alliedup.save(update_fields=["address"])
    work(worker, date(2026, 11, 2), time(7), time(17))
    run = _approved_run(period, alliedup_users)
    statement = PayStatement.objects.get(run=run)
    content = documents.statement_pdf(statement)
    assert content.startswith(b"%PDF")
    if pypdf is not None:
        text = _pdf_text(content)
        assert "Diaz" in text and "363.00" in text and selectors.employee_id(worker)[-4:] in text
        assert "pending from the payroll processor" in text and "Oakland" in text


def test_the_run_pdf_has_one_page_per_statement_and_the_zip_one_pdf_each(agreement, ma, work, period, alliedup, alliedup_users,
                                                                        payroll_client):
    workers = [WorkerFactory(cooperative=alliedup, classifications=[ma], last_name=name) for name in ("Alvarez", "Brooks", "Chen")]
    for w in workers:
        work(w, date(2026, 11, 3), time(7), time(15))
    run = _approved_run(period, alliedup_users)
    response = payroll_client.get(f"{BASE}/runs/{run.uuid}/statements.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if pypdf is not None:
        assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 3
    response = payroll_client.get(f"{BASE}/runs/{run.uuid}/statements.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(f"{selectors.employee_id(w)}-{w.last_name}.pdf" for w in workers)
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def test_the_run_pdf_loads_its_statements_in_a_fixed_number_of_queries(agreement, ma, work, period, alliedup, alliedup_users):
    def pages_queries():
        run = PayRun.objects.get(pk=period.run.pk)
        with CaptureQueriesContext(connection) as ctx:
            documents.statement_pages(run, documents._statements(run))
        return len(ctx)

    work(WorkerFactory(cooperative=alliedup, classifications=[ma]), date(2026, 11, 3), time(7), time(15))
    payrun_calculate(run=period.run)
    one = pages_queries()
    for _ in range(4):
        work(WorkerFactory(cooperative=alliedup, classifications=[ma]), date(2026, 11, 3), time(7), time(15))
    payrun_calculate(run=period.run)
    assert pages_queries() == one == 3


# The worker portal -------------------------------------------------------------------------------


def test_a_worker_sees_and_downloads_only_their_own_statements(alliedup, ma, agreement, own_worker, work, period, alliedup_users,
                                                              worker_user, login):
    other = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Omar", last_name="Nguyen")
    work(own_worker, date(2026, 11, 2), time(7), time(15))
    work(other, date(2026, 11, 2), time(7), time(15))
    run = _approved_run(period, alliedup_users)
    mine, theirs = PayStatement.objects.get(run=run, worker=own_worker), PayStatement.objects.get(run=run, worker=other)
    client = login(worker_user)
    page = client.get(f"{BASE}/my/statements/").content.decode()
    assert "$264.00" in page and str(mine.uuid) in page and str(theirs.uuid) not in page and "Nguyen" not in page
    response = client.get(f"{BASE}/my/statements/{mine.uuid}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"{BASE}/my/statements/{theirs.uuid}/pdf/").status_code == 404


def test_a_statement_of_an_unapproved_run_is_not_shown_to_the_worker(agreement, own_worker, work, period, worker_user, login):
    work(own_worker, date(2026, 11, 2), time(7), time(15))
    statement = PayStatement.objects.get(run=payrun_calculate(run=period.run))
    client = login(worker_user)
    assert "No pay statements yet" in client.get(f"{BASE}/my/statements/").content.decode()
    assert client.get(f"{BASE}/my/statements/{statement.uuid}/pdf/").status_code == 404


def test_my_sick_leave_and_my_wage(agreement, own_worker, work, period, alliedup_users, worker_user, login):
    work(own_worker, date(2026, 11, 2), time(7), time(17))
    _approved_run(period, alliedup_users)
    client = login(worker_user)
    page = client.get(f"{BASE}/my/sick-leave/").content.decode()
    balance = selectors.sick_balances([own_worker.pk])[own_worker.pk]
    assert balance == D("0.3333")  # 10 h ÷ 30
    assert "0.33 h" in page and "earned 0.33 h" in page
    page = client.get(f"{BASE}/my/wage/").content.decode()
    assert "Medical Assistant" in page and "Step <strong>1</strong>" in page and "$33.00" in page
    home = client.get("/c/alliedup/me/").content.decode()
    assert f"{BASE}/my/statements/" in home and f"{BASE}/my/wage/" in home


def test_a_worker_without_an_employee_record_gets_a_friendly_page(alliedup, worker_user, login):
    client = login(worker_user)
    for url in (f"{BASE}/my/statements/", f"{BASE}/my/sick-leave/", f"{BASE}/my/wage/"):
        response = client.get(url)
        assert response.status_code == 200 and "No employee record is linked" in response.content.decode(), url


def test_staff_are_refused_the_worker_portal(alliedup, payroll_client):
    assert payroll_client.get(f"{BASE}/my/statements/").status_code == 403


# Query counts ------------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def test_run_screen_and_runs_list_queries_do_not_grow_with_workers(agreement, ma, work, period, alliedup, alliedup_users,
                                                                  payroll_client, django_assert_max_num_queries):
    def add_worker():
        work(WorkerFactory(cooperative=alliedup, classifications=[ma]), date(2026, 11, 3), time(7), time(17))

    add_worker()
    run = payrun_calculate(run=period.run)
    run_url, list_url = f"{BASE}/runs/{run.uuid}/", f"{BASE}/"
    run_one, list_one = _count(payroll_client, run_url), _count(payroll_client, list_url)
    assert run_one <= 25 and list_one <= 15
    for _ in range(4):
        add_worker()
    payrun_calculate(run=run)
    assert PayStatement.objects.filter(run=run).count() == 5
    with django_assert_max_num_queries(run_one):
        assert payroll_client.get(run_url).status_code == 200
    with django_assert_max_num_queries(list_one):
        assert payroll_client.get(list_url).status_code == 200


# Wage floor report, staff home, sick leave used --------------------------------------------------


def test_wage_floor_report_matches_the_service_and_downloads_as_csv(alliedup, agreement, worker, work, period, alliedup_users,
                                                                   payroll_client):
    work(worker, date(2026, 11, 2), time(7), time(17))
    _approved_run(period, alliedup_users)
    [row] = selectors.wage_floor_report(alliedup, date(2026, 10, 1), date(2026, 12, 31))
    page = payroll_client.get(f"{BASE}/wage-floor/", {"first_day": "2026-10-01", "last_day": "2026-12-31"}).content.decode()
    assert "Valley Clinic" in page
    assert f'<td class="num">{row.hours}</td>' in page
    for value in (row.billed, row.paid, row.margin, row.absorbed):
        assert money_text(value) in page  # "-$55.00" for the negative margin
    assert (row.billed, row.paid, row.absorbed) == (D("308.00"), D("363.00"), D("55.00"))  # 8×28 + 2×42; 8×33 + 2×49.5
    response = payroll_client.get(f"{BASE}/wage-floor/csv/", {"first_day": "2026-10-01", "last_day": "2026-12-31"})
    assert response["Content-Disposition"] == 'attachment; filename="wage-floor-2026-10-01-2026-12-31.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == "client,hours,billed,paid,margin,absorbed"
    assert lines[1] == f"Valley Clinic,{row.hours},{row.billed},{row.paid},{row.margin},{row.absorbed}"
    assert lines[2] == f"Total,{row.hours},{row.billed},{row.paid},{row.margin},{row.absorbed}"


def test_wage_floor_report_defaults_to_this_quarter_and_refuses_bad_spans(alliedup, payroll_client):
    first, last = selectors.quarter_of(alliedup.today())
    page = payroll_client.get(f"{BASE}/wage-floor/").content.decode()
    assert first.isoformat() in page and last.isoformat() in page
    response = payroll_client.get(f"{BASE}/wage-floor/", {"first_day": "2026-12-31", "last_day": "2026-10-01"})
    assert response.status_code == 400 and "ends before it starts" in response.content.decode()
    response = payroll_client.get(f"{BASE}/wage-floor/", {"first_day": "2010-01-01", "last_day": "2026-12-31"})
    assert response.status_code == 400 and "at most 10 years" in response.content.decode()
    assert payroll_client.get(f"{BASE}/wage-floor/csv/", {"first_day": "2026-12-31", "last_day": "2026-10-01"}).status_code == 400


def test_staff_home_shows_what_the_coop_absorbed_this_quarter(alliedup, agreement, worker, work, period, alliedup_users, login):
    work(worker, date(2026, 11, 2), time(7), time(17))
    _approved_run(period, alliedup_users)
    expected = selectors.absorbed_this_quarter(alliedup)  # $55.00 while Q4 2026 is this quarter
    page = login(alliedup_users["payroll"]).get("/c/alliedup/staff/").content.decode()
    assert "Absorbed wage-floor differential this quarter" in page and f"${expected}" in page and f"{BASE}/wage-floor/" in page


@pytest.mark.today("2026-11-23")  # sick days of Nov 2026 are still payable by a run
def test_record_sick_leave_used_through_the_form(agreement, worker, work, period, alliedup_users, payroll_client):
    url = f"{BASE}/workers/{worker.uuid}/sick-leave/"
    response = payroll_client.post(url, {"workday": "2026-11-20", "hours": "2.00"})
    assert response.status_code == 400 and "Only 0.00 hours" in response.content.decode()
    SickLeaveEntry.objects.create(cooperative=worker.cooperative, worker=worker, kind="accrued", hours=D("5.0000"),
                                  workday=date(2026, 11, 1))
    response = payroll_client.post(url, {"workday": "2026-11-20", "hours": "2.00", "note": "flu"})
    assert response.status_code == 302
    assert selectors.sick_balances([worker.pk])[worker.pk] == D("3.0000")
    assert "3.00 hours" in payroll_client.get(url).content.decode()
