"""The payroll API: a run from calculation to the processor's results, imports that are all
or nothing, wage tables that never overlap, who may see what, and query counts that do not
grow with rows. Data comes from the fixtures of tests/payroll/conftest.py."""

import re
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliedup.models import Cooperative
from members.models import JobClassification
from payroll.models import PayLine, PayRun, PayStatement, SickLeaveEntry, WageTable
from payroll.selectors import employee_id
from payroll.services.periods import pay_period_create
from payroll.services.wages import agreement_create, wage_table_set
from tests.conftest import OUTSIDER_MARKER
from tests.members.factories import WorkerFactory

BASE = "/api/v1/c/alliedup/payroll"
MONEY = re.compile(r"^-?\d+\.\d{2}$")
D = Decimal


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
def today(monkeypatch):
    """The co-op's today is Friday 2026-11-20 (inside the agreement, in the quarter worked)."""
    monkeypatch.setattr(Cooperative, "today", lambda self: date(2026, 11, 20))
    return date(2026, 11, 20)


@pytest.fixture
def me(alliedup, alliedup_users, ma):
    """The employee record of the `worker` role's user."""
    return WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Ana", last_name="Lopez", user=alliedup_users["worker"])


def _ok(response, code=200):
    assert response.status_code == code, response.content[:2000]
    return response.json()


def _assert_money(data: dict, *fields):
    for field in fields:
        assert isinstance(data[field], str) and MONEY.match(data[field]), (field, data[field])


def test_calculate_approve_export_and_import_results_through_the_api(api, agreement, worker, work, period):
    # Monday Nov 2, 07:00–17:00: 8 h at $33.00 + 2 h overtime premium at $16.50 = 330.00 + 33.00.
    work(worker, date(2026, 11, 2), time(7), time(17))
    staff = api("payroll")
    run_uuid = str(period.run.uuid)

    [listed] = _ok(staff.get(f"{BASE}/runs/"))["results"]
    assert listed["uuid"] == run_uuid and listed["status"] == "draft" and listed["reference"] == "PR-20261101"
    assert listed["period"] == {"uuid": str(period.uuid), "starts_on": "2026-11-01", "ends_on": "2026-11-14", "pay_date": "2026-11-20"}
    assert listed["totals"] == {"workers": 0, "hours_worked": "0.00", "gross": "0.00", "deductions": "0.00"}

    run = _ok(staff.post(f"{BASE}/runs/{run_uuid}/calculate/"))
    assert run["status"] == "calculated"
    assert run["totals"] == {"workers": 1, "hours_worked": "10.00", "gross": "363.00", "deductions": "0.00"}
    [statement] = run["statements"]
    assert statement["worker"] == str(worker.uuid) and statement["employee_id"] == employee_id(worker)
    assert (statement["gross"], statement["deductions"], statement["taxes"], statement["net"]) == ("363.00", "0.00", None, None)
    # The client bills $28.00 against a $33.00 wage: flagged before approval, never blocking.
    assert [e["kind"] for e in run["exceptions"]] == ["negative_margin"]

    detail = _ok(staff.get(f"{BASE}/statements/{statement['uuid']}/"))
    assert [(ln["kind"], ln["earning_code"], ln["workday"], ln["hours"], ln["rate"], ln["amount"]) for ln in detail["lines"]] == [
        ("regular", "REG", "2026-11-02", "10.00", "33.0000", "330.00"),
        ("ot15", "OT15", "2026-11-02", "2.00", "16.5000", "33.00"),
    ]
    assert all(ln["corrects_run"] is None for ln in detail["lines"])
    assert [(r["kind"], r["hours"], r["amount"]) for r in detail["rates"]] == [("regular", "10.00", "330.00"), ("ot15", "2.00", "33.00")]
    assert detail["deduction_items"] == []
    _assert_money(detail, "gross", "deductions")
    for line in detail["lines"]:
        _assert_money(line, "amount")

    assert _ok(staff.post(f"{BASE}/runs/{run_uuid}/approve/"))["status"] == "approved"
    pdf = staff.get(f"{BASE}/statements/{statement['uuid']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="{employee_id(worker)}-Diaz.pdf"'

    export = staff.post(f"{BASE}/runs/{run_uuid}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert export["Content-Disposition"] == 'attachment; filename="PR-20261101.csv"'
    rows = export.content.decode().splitlines()
    assert rows[0].startswith("employee_id,last_name,first_name,type,code,hours,amount")
    assert rows[1:] == [
        f"{employee_id(worker)},Diaz,Rosa,earning,REG,10.00,330.00,2026-11-20,2026-11-01,2026-11-14",
        f"{employee_id(worker)},Diaz,Rosa,earning,OT15,2.00,33.00,2026-11-20,2026-11-01,2026-11-14",
    ]
    assert _ok(staff.get(f"{BASE}/runs/{run_uuid}/"))["status"] == "exported"

    results = SimpleUploadedFile("results.csv", f"employee_id,taxes,net_pay\n{employee_id(worker)},41.25,321.75\n".encode(), "text/csv")
    imported = _ok(staff.post(f"{BASE}/runs/{run_uuid}/results/", {"file": results}, format="multipart"))
    assert imported["statements"] == 1 and imported["run"]["taxes_imported_at"] is not None
    [done] = _ok(staff.get(f"{BASE}/runs/{run_uuid}/statements/"))["results"]
    assert (done["taxes"], done["net"]) == ("41.25", "321.75")
    _assert_money(done, "gross", "deductions", "taxes", "net", "hours_worked", "sick_hours_available")


def test_a_malformed_results_file_is_a_400_listing_each_bad_line_and_changes_nothing(api, agreement, worker, work, period, alliedup_users):
    from payroll.services.runs_approve import payrun_approve
    from payroll.services.runs_calculate import payrun_calculate

    work(worker, date(2026, 11, 2), time(7), time(15))
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    text = (
        "employee_id,taxes,net_pay\n"
        f"{employee_id(worker)},abc,200.00\n"  # line 2: not an amount
        "E999999,1.00,2.00\n"  # line 3: nobody
        f"{employee_id(worker)},1.00,2.00\n"  # line 4: repeated
    )
    response = api("payroll").post(f"{BASE}/runs/{period.run.uuid}/results/", {"csv": text}, format="json")
    assert response.status_code == 400
    errors = response.json()["file"]
    assert [e.split(":")[0] for e in errors] == ["Line 2", "Line 3", "Line 4"]
    statement = PayStatement.objects.get()
    assert (statement.taxes, statement.net) == (None, None)
    assert PayRun.objects.get().taxes_imported_at is None

    neither = api("payroll").post(f"{BASE}/runs/{period.run.uuid}/results/", {}, format="json")
    assert neither.status_code == 400 and "file" in neither.json()


def test_a_malformed_wage_table_import_lists_each_bad_line_and_writes_nothing(api, agreement, ma):
    text = (
        "classification,effective_from,effective_to,step,hourly_rate\n"
        "ma,2027-01-01,,1,35.00\n"
        "astronaut,2027-01-01,,1,90.00\n"  # line 3
        "ma,2027-01-01,,2,-1\n"  # line 4
        "ma,someday,,3,36.00\n"  # line 5
    )
    file = SimpleUploadedFile("tables.csv", text.encode(), "text/csv")
    response = api("payroll").post(f"{BASE}/agreements/{agreement.uuid}/wage-tables/import/", {"file": file}, format="multipart")
    assert response.status_code == 400
    assert [e.split(":")[0] for e in response.json()["file"]] == ["Line 3", "Line 4", "Line 5"]
    assert WageTable.objects.count() == 1


def test_wage_tables_import_and_close_through_the_api(api, agreement, ma):
    staff = api("payroll")
    url = f"{BASE}/agreements/{agreement.uuid}"
    closed = _ok(staff.post(f"{url}/wage-tables/close/", {"classification": "ma", "effective_from": "2026-01-01",
                                                         "effective_to": "2026-12-31"}, format="json"))
    assert closed["effective_to"] == "2026-12-31"
    text = "classification,effective_from,effective_to,step,hourly_rate\nma,2027-01-01,,1,35.00\nma,2027-01-01,,2,36.25\n"
    imported = _ok(staff.post(f"{url}/wage-tables/import/", {"csv": text, "note": "2027 scale"}, format="json"), 201)
    assert imported["tables"] == [{
        "classification": "ma", "classification_name": "Medical Assistant", "effective_from": "2027-01-01", "effective_to": None,
        "benchmark_note": "2027 scale", "steps": [{"step": 1, "hourly_rate": "35.0000"}, {"step": 2, "hourly_rate": "36.2500"}],
    }]
    detail = _ok(staff.get(f"{url}/"))
    assert [(t["effective_from"], t["effective_to"]) for t in detail["wage_tables"]] == [("2027-01-01", None), ("2026-01-01", "2026-12-31")]


def test_agreement_wage_table_and_differential_through_the_api(api, alliedup, ma):
    staff = api("payroll")
    created = _ok(staff.post(f"{BASE}/agreements/", {
        "name": "CBA 2027", "union": "SEIU-UHW", "starts_on": "2027-01-01", "ends_on": "2028-12-31", "dues_kind": "flat",
        "dues_flat": "20.00",
    }, format="json"), 201)
    assert created["status"] == "active" and created["dues_flat"] == "20.00" and created["daily_overtime_after"] == "8.00"
    url = f"{BASE}/agreements/{created['uuid']}"
    table = _ok(staff.post(f"{url}/wage-tables/", {
        "classification": "ma", "effective_from": "2027-01-01", "steps": {"1": "33.00", "2": "34.50"},
    }, format="json"), 201)
    assert table["steps"] == [{"step": 1, "hourly_rate": "33.0000"}, {"step": 2, "hourly_rate": "34.5000"}]
    diff = _ok(staff.post(f"{url}/differentials/", {
        "kind": "night", "amount": "4.00", "window_start": "23:00", "window_end": "07:00",
    }, format="json"), 201)
    assert diff == {"kind": "night", "basis": "per_hour", "amount": "4.0000", "window_start": "23:00", "window_end": "07:00",
                    "classification": None}
    detail = _ok(staff.get(f"{url}/"))
    assert len(detail["wage_tables"]) == 1 and len(detail["differentials"]) == 1
    assert [a["name"] for a in _ok(staff.get(f"{BASE}/agreements/"))["results"]] == ["CBA 2027"]

    no_window = staff.post(f"{url}/differentials/", {"kind": "night", "amount": "4.00"}, format="json")
    assert no_window.status_code == 400
    bad_step = staff.post(f"{url}/wage-tables/", {"classification": "ma", "effective_from": "2028-01-01",
                                                  "steps": {"one": "33.00"}}, format="json")
    assert bad_step.status_code == 400 and "steps" in bad_step.json()


def test_an_overlapping_wage_table_is_a_400_and_nothing_is_written(api, agreement, ma):
    response = api("payroll").post(f"{BASE}/agreements/{agreement.uuid}/wage-tables/", {
        "classification": "ma", "effective_from": "2026-07-01", "steps": {"1": "35.00"},
    }, format="json")
    assert response.status_code == 400
    assert "overlap" in response.json()["effective_from"][0]
    assert WageTable.objects.count() == 1


def test_adjustment_correcting_an_approved_run_shows_on_the_next_statement(api, alliedup, agreement, worker, work, period, alliedup_users):
    from payroll.services.runs_approve import payrun_approve
    from payroll.services.runs_calculate import payrun_calculate

    work(worker, date(2026, 11, 2), time(7), time(15))
    first = payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    staff = api("payroll")
    nxt = _ok(staff.post(f"{BASE}/runs/", {}, format="json"), 201)
    assert nxt["period"]["starts_on"] == "2026-11-15" and nxt["status"] == "draft"
    added = _ok(staff.post(f"{BASE}/runs/{nxt['uuid']}/adjustments/", {
        "worker": str(worker.uuid), "amount": "25.00", "reason": "Missed meal premium Nov 2", "corrects_run": str(first.uuid),
    }, format="json"), 201)
    assert (added["kind"], added["amount"], added["corrects_run"], added["corrects_run_reference"]) == (
        "adjustment", "25.00", str(first.uuid), "PR-20261101")
    run = _ok(staff.post(f"{BASE}/runs/{nxt['uuid']}/calculate/"))
    [line] = _ok(staff.get(f"{BASE}/statements/{run['statements'][0]['uuid']}/"))["lines"]
    assert (line["kind"], line["amount"], line["corrects_run_reference"], line["description"]) == (
        "adjustment", "25.00", "PR-20261101", "Missed meal premium Nov 2")

    bad = staff.post(f"{BASE}/runs/{nxt['uuid']}/adjustments/", {"worker": str(worker.uuid), "amount": "1.00", "reason": "x",
                                                                "corrects_run": str(nxt["uuid"])}, format="json")
    assert bad.status_code == 400 and "corrects_run" in bad.json()
    approved = staff.post(f"{BASE}/runs/{first.uuid}/adjustments/", {"worker": str(worker.uuid), "amount": "1.00", "reason": "x"}, format="json")
    assert approved.status_code == 400 and "approved" in approved.json()["non_field_errors"][0]
    unknown = staff.post(f"{BASE}/runs/{nxt['uuid']}/adjustments/", {"worker": "00000000-0000-0000-0000-000000000000",
                                                                    "amount": "1.00", "reason": "x"}, format="json")
    assert unknown.status_code == 400 and unknown.json().keys() == {"worker"}


def test_wage_floor_report_and_its_bad_spans(api, agreement, worker, work, period, alliedup_users, today):
    from payroll.services.runs_approve import payrun_approve
    from payroll.services.runs_calculate import payrun_calculate

    work(worker, date(2026, 11, 2), time(7), time(17))
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    coordinator = api("coordinator")
    report = _ok(coordinator.get(f"{BASE}/wage-floor/", {"start": "2026-11-01", "end": "2026-11-30"}))
    [row] = report["rows"]
    # billed 8 × 28 + 2 × 28 × 1.5 = 308.00; paid 363.00; absorbed (33 − 28) × (8 + 2 × 1.5) = 55.00
    assert (row["client_name"], row["hours"], row["billed"], row["paid"], row["margin"], row["absorbed"]) == (
        "Valley Clinic", "10.00", "308.00", "363.00", "-55.00", "55.00")
    assert report["absorbed_this_quarter"] == {"start": "2026-10-01", "end": "2026-12-31", "absorbed": "55.00"}
    assert _ok(coordinator.get(f"{BASE}/wage-floor/"))["start"] == "2026-10-01"  # default span: this quarter

    for query, field in (({"start": "2026-11-30", "end": "2026-11-01"}, "end"), ({"start": "2016-11-01", "end": "2026-11-01"}, "end"),
                         ({"start": "yesterday"}, "start"), ({"end": "2026-02-30"}, "end")):
        response = coordinator.get(f"{BASE}/wage-floor/", query)
        assert response.status_code == 400 and field in response.json(), (query, response.json())
    assert api("worker").get(f"{BASE}/wage-floor/").status_code == 403


def test_sick_leave_used_is_recorded_and_refused_over_the_balance(api, agreement, worker, work, period, alliedup_users, today):
    from payroll.services.runs_approve import payrun_approve
    from payroll.services.runs_calculate import payrun_calculate

    for day in (2, 3, 4):  # 30 hours: 1 hour of sick leave accrues on approval
        work(worker, date(2026, 11, day), time(7), time(17))
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    url = f"{BASE}/workers/{worker.uuid}/sick-leave/"
    before = _ok(api("payroll").get(url))
    assert before["balance"] == "1.0000" and [e["kind"] for e in before["entries"]] == ["accrued"]
    assert before["entries"][0]["run_reference"] == "PR-20261101"
    used = _ok(api("payroll").post(url, {"workday": "2026-11-16", "hours": "0.75", "note": "flu"}, format="json"), 201)
    assert used["balance"] == "0.2500" and used["used_this_year"] == "0.7500"
    assert [(e["kind"], e["hours"]) for e in used["entries"]] == [("accrued", "1.0000"), ("used", "-0.7500")]
    too_much = api("payroll").post(url, {"workday": "2026-11-17", "hours": "1.00"}, format="json")
    assert too_much.status_code == 400 and "hours" in too_much.json()
    assert SickLeaveEntry.objects.filter(kind="used").count() == 1


def test_a_worker_sees_only_their_own_approved_statements(api, agreement, worker, me, work, period, alliedup_users, today):
    from payroll.services.runs_approve import payrun_approve
    from payroll.services.runs_calculate import payrun_calculate

    work(worker, date(2026, 11, 2), time(7), time(15))
    work(me, date(2026, 11, 3), time(7), time(15))
    payrun_calculate(run=period.run)
    mine = api("worker")
    assert _ok(mine.get(f"{BASE}/me/statements/"))["count"] == 0  # a calculated run may still change
    payrun_approve(run=period.run, approved_by=alliedup_users["payroll"])

    [statement] = _ok(mine.get(f"{BASE}/me/statements/"))["results"]
    assert statement["worker"] == str(me.uuid) and statement["gross"] == "264.00"
    detail = _ok(mine.get(f"{BASE}/me/statements/{statement['uuid']}/"))
    assert [(ln["kind"], ln["hours"], ln["amount"]) for ln in detail["lines"]] == [("regular", "8.00", "264.00")]
    other = PayStatement.objects.get(worker=worker)
    assert mine.get(f"{BASE}/me/statements/{other.uuid}/").status_code == 404
    assert mine.get(f"{BASE}/me/statements/{other.uuid}/pdf/").status_code == 404
    assert mine.get(f"{BASE}/me/statements/{statement['uuid']}/pdf/").content.startswith(b"%PDF")

    sick = _ok(mine.get(f"{BASE}/me/sick-leave/"))
    assert sick["worker"] == str(me.uuid) and sick["balance"] == "0.2667"  # 8 h ÷ 30
    assert _ok(mine.get(f"{BASE}/me/wage/")) == [
        {"classification": "ma", "classification_name": "Medical Assistant", "step": 1, "wage": "33.0000"}
    ]


def test_me_without_an_employee_record_is_a_404(api, agreement):
    assert api("worker").get(f"{BASE}/me/statements/").status_code == 404
    assert api("worker").get(f"{BASE}/me/wage/").status_code == 404


@pytest.mark.parametrize("role, method, path", [
    ("worker", "get", "runs/"),
    ("worker", "get", "runs/{run}/"),
    ("worker", "get", "runs/{run}/statements/"),
    ("worker", "post", "runs/{run}/calculate/"),
    ("worker", "post", "runs/{run}/export/"),
    ("worker", "get", "statements/{statement}/"),
    ("worker", "get", "agreements/"),
    ("worker", "get", "workers/{worker}/sick-leave/"),
    ("coordinator", "get", "runs/"),
    ("coordinator", "post", "runs/{run}/approve/"),
    ("client", "get", "wage-floor/"),
    ("board", "get", "agreements/{agreement}/"),
    ("payroll", "get", "me/statements/"),
    ("admin", "get", "me/wage/"),
])
def test_wrong_roles_get_403(api, agreement, worker, me, period, role, method, path):
    statement = PayStatement.objects.create(cooperative=worker.cooperative, run=period.run, worker=me, hours_worked="1.00", gross="33.00")
    url = f"{BASE}/" + path.format(run=period.run.uuid, statement=statement.uuid, worker=worker.uuid, agreement=agreement.uuid)
    assert getattr(api(role), method)(url).status_code == 403


@pytest.fixture
def outsider(nursescan):
    """nursescan's agreement, run, statement and worker, marked so a leak shows."""
    with scopes_disabled():
        ma = JobClassification.objects.create(cooperative=nursescan, code="ma", name=OUTSIDER_MARKER)
        worker = WorkerFactory(cooperative=nursescan, first_name=OUTSIDER_MARKER, classifications=[ma])
    with scope(cooperative=nursescan):
        agreement = agreement_create(cooperative=nursescan, name=OUTSIDER_MARKER, union="X", starts_on=date(2026, 1, 1),
                                     ends_on=date(2027, 6, 30))
        wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 1, 1), steps={1: D("40.00")})
        run = pay_period_create(cooperative=nursescan, starts_on=date(2026, 11, 1)).run
        statement = PayStatement.objects.create(cooperative=nursescan, run=run, worker=worker, hours_worked="1.00", gross="40.00")
    return {"agreement": agreement, "run": run, "statement": statement, "worker": worker}


@pytest.mark.parametrize("method, path", [
    ("get", "agreements/{agreement}/"),
    ("get", "agreements/{agreement}/wage-tables/"),
    ("post", "agreements/{agreement}/wage-tables/close/"),
    ("post", "agreements/{agreement}/wage-tables/import/"),
    ("post", "agreements/{agreement}/differentials/"),
    ("get", "runs/{run}/"),
    ("post", "runs/{run}/calculate/"),
    ("post", "runs/{run}/approve/"),
    ("get", "runs/{run}/adjustments/"),
    ("post", "runs/{run}/export/"),
    ("post", "runs/{run}/results/"),
    ("get", "runs/{run}/statements/"),
    ("get", "statements/{statement}/"),
    ("get", "statements/{statement}/pdf/"),
    ("get", "workers/{worker}/sick-leave/"),
    ("post", "workers/{worker}/sick-leave/"),
])
def test_outsider_objects_are_404(api, outsider, agreement, method, path):
    url = f"{BASE}/" + path.format(**{k: v.uuid for k, v in outsider.items()})
    response = getattr(api("admin"), method)(url)
    assert response.status_code == 404
    assert OUTSIDER_MARKER not in response.content.decode()


def test_an_adjustment_for_an_outsider_worker_or_run_is_refused(api, outsider, agreement, period):
    url = f"{BASE}/runs/{period.run.uuid}/adjustments/"
    theirs = api("admin").post(url, {"worker": str(outsider["worker"].uuid), "amount": "1.00", "reason": "x"}, format="json")
    assert theirs.status_code == 400 and theirs.json().keys() == {"worker"}
    with scopes_disabled():
        ours = WorkerFactory(cooperative=period.cooperative)
    their_run = api("admin").post(url, {"worker": str(ours.uuid), "amount": "1.00", "reason": "x",
                                        "corrects_run": str(outsider["run"].uuid)}, format="json")
    assert their_run.status_code == 400 and their_run.json().keys() == {"corrects_run"}
    assert OUTSIDER_MARKER not in theirs.content.decode() + their_run.content.decode()
    assert not PayLine.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_runs_and_statements_lists_take_a_fixed_number_of_queries(api, alliedup, agreement, ma, period):
    staff = api("payroll")
    staff.get(f"{BASE}/runs/")  # warm the token and role lookups' caches alike for both counts

    def statements(n):
        for _ in range(n):
            w = WorkerFactory(cooperative=alliedup, classifications=[ma])
            PayStatement.objects.create(cooperative=alliedup, run=period.run, worker=w, hours_worked="8.00", gross="264.00")

    statements(1)
    runs_one, statements_one = _queries(staff, f"{BASE}/runs/"), _queries(staff, f"{BASE}/runs/{period.run.uuid}/statements/")
    for _ in range(3):
        pay_period_create(cooperative=alliedup)
    statements(5)
    assert _queries(staff, f"{BASE}/runs/") == runs_one
    assert _queries(staff, f"{BASE}/runs/{period.run.uuid}/statements/") == statements_one
    # token, co-op, roles, count, page (+ the run for its statements)
    assert (runs_one, statements_one) == (5, 6)
    assert _ok(staff.get(f"{BASE}/runs/"))["count"] == 4
    assert _ok(staff.get(f"{BASE}/runs/{period.run.uuid}/statements/"))["count"] == 6
