from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import HoursEntry
from placements.models import Assignment, BillRate, Client, ClientContact, JobOrder, Shift, Timesheet
from placements.services.clients import client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_submit
from tests.members.factories import WorkerFactory
from tests.placements.conftest import DAY, NIGHT, licensed_worker

BASE = "/api/v1/c/alliedup/placements"


@pytest.fixture
def api(alliedup_users):
    def _client(role):
        client = APIClient()
        client.force_authenticate(alliedup_users[role])
        return client

    return _client



def _worked_assignment(contract, lvn, worker, day=date(2026, 11, 2)):
    """A confirmed night shift already worked (timesheets are for time in the past)."""
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=NIGHT[0], shift_end=NIGHT[1])
    return shift_assign(shift=Shift.objects.get(job_order=order), worker=worker)


def test_the_whole_flow_from_client_to_hours_on_the_ledger(api, alliedup, alliedup_users, lvn, licence):
    staff = api("coordinator")
    client = staff.post(f"{BASE}/clients/", {"name": "Bayview Care", "contact_email": "ops@bayview.example.com"}, format="json")
    assert client.status_code == 201, client.json()
    client_uuid = client.json()["uuid"]
    contract = staff.post(f"{BASE}/clients/{client_uuid}/contracts/", {"reference": "BV-2026", "starts_on": "2026-01-01"}, format="json")
    assert contract.status_code == 201, contract.json()
    contract_uuid = contract.json()["uuid"]
    rate = staff.post(f"{BASE}/contracts/{contract_uuid}/bill-rates/", {
        "classification": "lvn", "effective_from": "2026-01-01", "regular_rate": "55.50", "overtime_multiplier": "1.50",
    }, format="json")
    assert rate.status_code == 201, rate.json()
    detail = staff.get(f"{BASE}/clients/{client_uuid}/").json()
    assert detail["contracts"][0]["reference"] == "BV-2026"
    assert detail["contracts"][0]["bill_rates"] == [{
        "classification": "lvn", "effective_from": "2026-01-01", "regular_rate": "55.5000",
        "overtime_multiplier": "1.50", "double_time_multiplier": "2.00", "holiday_multiplier": "1.50",
    }]
    assert staff.get(f"{BASE}/contracts/{contract_uuid}/bill-rates/").json()[0]["regular_rate"] == "55.5000"

    order = staff.post(f"{BASE}/job-orders/", {
        "contract": contract_uuid, "classification": "lvn", "starts_on": "2026-11-02", "ends_on": "2026-11-03",
        "shift_start": "19:00", "shift_end": "07:00", "headcount": 1, "notes": "3 West",
    }, format="json")
    assert order.status_code == 201, order.json()
    assert order.json()["shift_count"] == 2 and order.json()["shift_start"] == "19:00"
    assert staff.get(f"{BASE}/job-orders/").json()["results"][0]["shift_count"] == 2

    shifts = staff.get(f"{BASE}/shifts/", {"status": "open", "from": "2026-11-02", "to": "2026-11-02", "classification": "lvn"}).json()
    assert shifts["count"] == 1
    shift = shifts["results"][0]
    assert shift["starts_at"] == "2026-11-03T03:00:00Z" and shift["assignment"] is None  # 19:00 PST

    worker = licensed_worker(alliedup, lvn, licence, last_name="Reyes", user=alliedup_users["worker"])
    WorkerFactory(cooperative=alliedup, classifications=[lvn], last_name="Unlicensed")
    candidates = staff.get(f"{BASE}/shifts/{shift['uuid']}/candidates/").json()
    assert candidates["blocker"] is None
    assert [c["worker"] for c in candidates["eligible"]] == [str(worker.uuid)]
    assert candidates["eligible"][0]["hours_toward_ownership"] == "0.00"
    assert candidates["ineligible"][0]["reasons"] == ["No LVN licence on file."]

    assigned = staff.post(f"{BASE}/shifts/{shift['uuid']}/assign/", {"worker": str(worker.uuid)}, format="json")
    assert assigned.status_code == 201, assigned.json()
    assert assigned.json()["status"] == "confirmed"
    assert staff.get(f"{BASE}/shifts/", {"status": "filled"}).json()["results"][0]["assignment"]["worker"] == str(worker.uuid)

    submitted = api("worker").post(f"{BASE}/me/assignments/{assigned.json()['uuid']}/timesheet/", {
        "clock_in": "2026-11-02T19:00:00-08:00", "clock_out": "2026-11-03T07:15:00-08:00", "break_minutes": 30,
    }, format="json")
    assert submitted.status_code == 201, submitted.json()
    assert submitted.json()["hours"] == "11.75" and submitted.json()["status"] == "submitted"

    ClientContact.objects.create(cooperative=alliedup, client=Client.objects.get(uuid=client_uuid), user=alliedup_users["client"])
    client_user = api("client")
    awaiting = client_user.get(f"{BASE}/timesheets/").json()
    assert [t["uuid"] for t in awaiting["results"]] == [submitted.json()["uuid"]]
    approved = client_user.post(f"{BASE}/timesheets/{submitted.json()['uuid']}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["timesheet"]["status"] == "approved"
    assert approved.json()["timesheet"]["decided_on_behalf_of_client"] is False
    assert approved.json()["hours_entry"]["hours"] == "11.75"

    entry = HoursEntry.objects.get(worker=worker)
    assert entry.hours == Decimal("11.75") and entry.workday == date(2026, 11, 2) and entry.classification == lvn
    assert entry.source == HoursEntry.Source.TIMESHEET
    assert Shift.objects.get(uuid=shift["uuid"]).status == Shift.Status.COMPLETED
    assert client_user.get(f"{BASE}/timesheets/").json()["count"] == 0


def test_worker_requests_an_open_shift_and_staff_confirm_then_cancel(api, alliedup, alliedup_users, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence, user=alliedup_users["worker"])
    soon = timezone.localdate() + timedelta(days=3)
    order = job_order_create(contract=contract, classification=lvn, starts_on=soon, ends_on=soon, shift_start=DAY[0], shift_end=DAY[1])
    shift = Shift.objects.get(job_order=order)
    far = timezone.localdate() + timedelta(days=30)
    job_order_create(contract=contract, classification=lvn, starts_on=far, ends_on=far, shift_start=DAY[0], shift_end=DAY[1])

    me = api("worker")
    open_shifts = me.get(f"{BASE}/me/open-shifts/").json()
    assert [s["uuid"] for s in open_shifts["results"]] == [str(shift.uuid)]  # only the next 14 days
    assert open_shifts["results"][0]["may_request"] is True and open_shifts["results"][0]["reasons"] == []

    requested = me.post(f"{BASE}/me/open-shifts/{shift.uuid}/request/")
    assert requested.status_code == 201, requested.json()
    assert requested.json()["status"] == "accepted" and requested.json()["worker"] == str(worker.uuid)
    assert me.get(f"{BASE}/me/open-shifts/").json()["count"] == 0

    staff = api("coordinator")
    assignment_uuid = requested.json()["uuid"]
    confirmed = staff.post(f"{BASE}/assignments/{assignment_uuid}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert staff.post(f"{BASE}/assignments/{assignment_uuid}/confirm/").status_code == 400

    no_reason = staff.post(f"{BASE}/assignments/{assignment_uuid}/cancel/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    cancelled = staff.post(f"{BASE}/assignments/{assignment_uuid}/cancel/", {"reason": "Sick", "no_show": False}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Shift.objects.get(pk=shift.pk).status == Shift.Status.OPEN


def test_open_shifts_say_why_and_a_blocked_shift_cannot_be_requested(api, alliedup, alliedup_users, contract, lvn, licence):
    from members.models import JobClassification, WorkerClassification

    worker = licensed_worker(alliedup, lvn, licence, user=alliedup_users["worker"])
    soon = timezone.localdate() + timedelta(days=2)
    # The contract has a rate for LVN only: a CNA shift is not bookable until one is set.
    cna = JobClassification.objects.create(cooperative=alliedup, code="cna", name="CNA")
    WorkerClassification.objects.create(cooperative=alliedup, worker=worker, classification=cna, since=date(2025, 1, 6))
    order = job_order_create(contract=contract, classification=cna, starts_on=soon, ends_on=soon, shift_start=DAY[0], shift_end=DAY[1])
    shift = Shift.objects.get(job_order=order)
    listed = api("worker").get(f"{BASE}/me/open-shifts/").json()["results"]
    assert listed[0]["may_request"] is False and "Not bookable yet" in listed[0]["reasons"][0]
    refused = api("worker").post(f"{BASE}/me/open-shifts/{shift.uuid}/request/")
    assert refused.status_code == 400 and "No bill rate" in refused.json()["non_field_errors"][0]
    blocked = api("admin").get(f"{BASE}/shifts/{shift.uuid}/candidates/").json()
    assert blocked["blocker"].startswith("No bill rate for CNA")


def test_worker_without_an_employee_record_gets_404(api, contract, lvn):
    assert api("worker").get(f"{BASE}/me/open-shifts/").status_code == 404


@pytest.mark.parametrize("url, payload, field", [
    ("bill-rates", {"regular_rate": "0"}, "regular_rate"),
    ("bill-rates", {"regular_rate": "-3.00"}, "regular_rate"),
    ("bill-rates", {"classification": "astronaut"}, "classification"),
    ("bill-rates", {"effective_from": "2025-06-01"}, "effective_from"),
    ("bill-rates", {"overtime_multiplier": "0.90"}, "overtime_multiplier"),
    ("job-orders", {"ends_on": "2026-12-01"}, "ends_on"),
    ("job-orders", {"classification": "astronaut"}, "classification"),
    ("job-orders", {"shift_start": "7am"}, "shift_start"),
    ("job-orders", {"weekdays": "78"}, "weekdays"),
    ("job-orders", {"headcount": 0}, "headcount"),
    ("job-orders", {"site": "Nowhere"}, "site"),
    ("job-orders", {"contract": "00000000-0000-0000-0000-000000000000"}, "contract"),
])
def test_bad_rates_and_orders_are_400s_with_field_errors_and_nothing_is_written(api, contract, lvn, url, payload, field):
    rates_before, orders_before = BillRate.objects.count(), JobOrder.objects.count()
    if url == "bill-rates":
        body = {"classification": "lvn", "effective_from": "2026-03-01", "regular_rate": "60.00", **payload}
        response = api("admin").post(f"{BASE}/contracts/{contract.uuid}/bill-rates/", body, format="json")
    else:
        body = {"contract": str(contract.uuid), "classification": "lvn", "starts_on": "2026-12-07", "ends_on": "2026-12-09",
                "shift_start": "07:00", "shift_end": "15:30", **payload}
        response = api("admin").post(f"{BASE}/job-orders/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert (BillRate.objects.count(), JobOrder.objects.count()) == (rates_before, orders_before)


def test_duplicate_client_name_is_a_400(api, contract):
    response = api("admin").post(f"{BASE}/clients/", {"name": contract.client.name}, format="json")
    assert response.status_code == 400
    assert api("admin").post(f"{BASE}/clients/", {"name": "X", "time_zone": "Mars/Olympus"}, format="json").json().keys() == {"time_zone"}


@pytest.mark.parametrize("payload, field", [
    ({"clock_out": "2026-11-02T18:00:00-08:00"}, "clock_out"),  # before clock-in
    ({"clock_out": "2026-11-02T20:00:00-08:00", "break_minutes": 60}, "break_minutes"),  # break as long as the shift
    ({"clock_out": "2026-11-02T20:00:00-08:00", "break_minutes": 90}, "break_minutes"),  # longer
    ({"break_minutes": -5}, "break_minutes"),
    ({"clock_in": "yesterday evening"}, "clock_in"),
])
def test_bad_timesheets_are_400s_with_field_errors(api, alliedup, alliedup_users, contract, lvn, licence, payload, field):
    worker = licensed_worker(alliedup, lvn, licence, user=alliedup_users["worker"])
    assignment = _worked_assignment(contract, lvn, worker)
    body = {"clock_in": "2026-11-02T19:00:00-08:00", "clock_out": "2026-11-03T07:00:00-08:00", **payload}
    response = api("worker").post(f"{BASE}/me/assignments/{assignment.uuid}/timesheet/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Timesheet.objects.exists()


def test_a_worker_cannot_submit_for_another_workers_assignment(api, alliedup, alliedup_users, contract, lvn, licence):
    licensed_worker(alliedup, lvn, licence, user=alliedup_users["worker"])
    someone_else = _worked_assignment(contract, lvn, licensed_worker(alliedup, lvn, licence))
    response = api("worker").post(f"{BASE}/me/assignments/{someone_else.uuid}/timesheet/", {
        "clock_in": "2026-11-02T19:00:00-08:00", "clock_out": "2026-11-03T07:00:00-08:00"}, format="json")
    assert response.status_code == 404
    assert not Timesheet.objects.exists()


def test_unknown_worker_or_ineligible_worker_cannot_be_assigned(api, alliedup, contract, lvn, licence):
    order = job_order_create(contract=contract, classification=lvn, starts_on=date(2026, 12, 8), ends_on=date(2026, 12, 8),
                             shift_start=DAY[0], shift_end=DAY[1])
    shift = Shift.objects.get(job_order=order)
    url = f"{BASE}/shifts/{shift.uuid}/assign/"
    assert api("admin").post(url, {"worker": "00000000-0000-0000-0000-000000000000"}, format="json").json().keys() == {"worker"}
    unlicensed = WorkerFactory(cooperative=alliedup, classifications=[lvn])
    response = api("admin").post(url, {"worker": str(unlicensed.uuid)}, format="json")
    assert response.status_code == 400 and response.json() == {"worker": ["No LVN licence on file."]}
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("role, method, path", [
    ("worker", "get", "clients/"),
    ("client", "get", "shifts/"),
    ("payroll", "post", "clients/"),
    ("board", "get", "job-orders/"),
    ("payroll", "post", "job-orders/"),
    ("client", "post", "shifts/{shift}/assign/"),
    ("worker", "get", "shifts/{shift}/candidates/"),
    ("payroll", "post", "assignments/{assignment}/cancel/"),
    ("admin", "get", "me/open-shifts/"),
    ("coordinator", "post", "me/assignments/{assignment}/timesheet/"),
    ("payroll", "get", "timesheets/"),
    ("worker", "post", "timesheets/{timesheet}/approve/"),
    ("board", "post", "timesheets/{timesheet}/dispute/"),
])
def test_wrong_roles_get_403(api, alliedup, contract, lvn, licence, role, method, path):
    assignment = _worked_assignment(contract, lvn, licensed_worker(alliedup, lvn, licence))
    timesheet = timesheet_submit(assignment=assignment, clock_in=assignment.starts_at, clock_out=assignment.ends_at)
    url = f"{BASE}/" + path.format(shift=assignment.shift.uuid, assignment=assignment.uuid, timesheet=timesheet.uuid)
    assert getattr(api(role), method)(url, {}, format="json").status_code == 403


def test_a_client_contact_decides_only_their_own_clients_timesheets(api, alliedup, alliedup_users, contract, lvn, licence):
    other = client_create(cooperative=alliedup, name="Other Hospital")
    contract_create(client=other, reference="OH-1", starts_on=date(2026, 1, 1))
    ClientContact.objects.create(cooperative=alliedup, client=other, user=alliedup_users["client"])
    assignment = _worked_assignment(contract, lvn, licensed_worker(alliedup, lvn, licence))
    timesheet = timesheet_submit(assignment=assignment, clock_in=assignment.starts_at, clock_out=assignment.ends_at)

    client_user = api("client")
    assert client_user.get(f"{BASE}/timesheets/").json()["count"] == 0
    assert client_user.post(f"{BASE}/timesheets/{timesheet.uuid}/approve/").status_code == 404
    assert client_user.post(f"{BASE}/timesheets/{timesheet.uuid}/dispute/", {"reason": "No"}, format="json").status_code == 404
    assert Timesheet.objects.get().status == Timesheet.Status.SUBMITTED and not HoursEntry.objects.exists()

    staff = api("coordinator")
    assert staff.get(f"{BASE}/timesheets/").json()["count"] == 1
    no_reason = staff.post(f"{BASE}/timesheets/{timesheet.uuid}/dispute/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    disputed = staff.post(f"{BASE}/timesheets/{timesheet.uuid}/dispute/", {"reason": "Left at 06:00"}, format="json")
    assert disputed.status_code == 200 and disputed.json()["status"] == "disputed"
    assert disputed.json()["decided_on_behalf_of_client"] is True and disputed.json()["dispute_reason"] == "Left at 06:00"
    assert staff.post(f"{BASE}/timesheets/{timesheet.uuid}/approve/").status_code == 400


def test_staff_approval_is_recorded_on_behalf_of_the_client(api, alliedup, contract, lvn, licence):
    assignment = _worked_assignment(contract, lvn, licensed_worker(alliedup, lvn, licence))
    timesheet = timesheet_submit(assignment=assignment, clock_in=assignment.starts_at, clock_out=assignment.ends_at)
    approved = api("admin").post(f"{BASE}/timesheets/{timesheet.uuid}/approve/")
    assert approved.status_code == 200
    assert approved.json()["timesheet"]["decided_on_behalf_of_client"] is True
    assert approved.json()["hours_entry"]["hours"] == "12.00"
    assert Timesheet.objects.get().decided_on_behalf_of_client is True


def test_shift_filters_are_validated_and_ordered_by_start(api, contract, lvn):
    job_order_create(contract=contract, classification=lvn, starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 9),
                     shift_start=DAY[0], shift_end=DAY[1], headcount=2)
    staff = api("payroll")
    listed = staff.get(f"{BASE}/shifts/", {"from": "2026-12-08"}).json()
    starts = [s["starts_at"] for s in listed["results"]]
    assert listed["count"] == 4 and starts == sorted(starts)
    assert staff.get(f"{BASE}/shifts/", {"to": "2026-12-07"}).json()["count"] == 2
    assert staff.get(f"{BASE}/shifts/", {"classification": "cna"}).json()["count"] == 0
    bad = staff.get(f"{BASE}/shifts/", {"status": "lost", "from": "soon"})
    assert bad.status_code == 400 and set(bad.json()) == {"status", "from"}


def test_openapi_schema_includes_the_placements_paths(api):
    schema = api("admin").get("/api/schema/")
    assert schema.status_code == 200
    for path in (
        "/placements/clients/", "/placements/clients/{client_uuid}/", "/placements/clients/{client_uuid}/contracts/",
        "/placements/contracts/{contract_uuid}/bill-rates/", "/placements/job-orders/", "/placements/shifts/",
        "/placements/shifts/{shift_uuid}/candidates/", "/placements/shifts/{shift_uuid}/assign/",
        "/placements/assignments/{assignment_uuid}/cancel/", "/placements/assignments/{assignment_uuid}/confirm/",
        "/placements/me/open-shifts/", "/placements/me/open-shifts/{shift_uuid}/request/",
        "/placements/me/assignments/{assignment_uuid}/timesheet/", "/placements/timesheets/",
        "/placements/timesheets/{timesheet_uuid}/approve/", "/placements/timesheets/{timesheet_uuid}/dispute/",
    ):
        assert f"/api/v1/c/{{coop_slug}}{path}".encode() in schema.content, path
