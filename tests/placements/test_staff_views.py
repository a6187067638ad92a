"""Staff pages of placements: clients, contracts, rates and job orders through the forms; the
fill board with htmx suggestions and one-click assignment; a shift's candidates; the
timesheet queue. tests/placements/conftest.py opens alliedup's scope for every test."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import WorkerCredential
from placements.models import Assignment, BillRate, Client, ClientContract, JobOrder, Shift, Timesheet
from placements.services.clients import client_create, contract_create
from placements.services.matching import shift_assign, shift_request
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_submit
from tests.members.factories import WorkerFactory
from tests.placements.conftest import DAY, licensed_worker

BASE = "/c/alliedup/placements"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _today(coop):
    return timezone.localdate(timezone=coop.zone)


def _shifts(contract, lvn, day, headcount=1, times=DAY):
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=times[0],
                             shift_end=times[1], headcount=headcount)
    return list(Shift.objects.filter(job_order=order))



def _timesheet(shift, worker):
    assignment = shift_assign(shift=shift, worker=worker)
    return timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at, break_minutes=30)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content.decode()


@pytest.fixture
def coordinator(alliedup_users, login):
    return login(alliedup_users["coordinator"])


@pytest.fixture
def filled_shift(alliedup, contract, lvn, licence):
    """A shift tomorrow with a confirmed assignment, and a worked one with a submitted timesheet."""
    tomorrow = _today(alliedup) + timedelta(days=1)
    (shift,) = _shifts(contract, lvn, tomorrow)
    worker = licensed_worker(alliedup, lvn, licence, first_name="Marisol", last_name="Vega")
    assignment = shift_assign(shift=shift, worker=worker)
    (worked,) = _shifts(contract, lvn, _today(alliedup) - timedelta(days=3))
    timesheet = _timesheet(worked, worker)
    return shift, assignment, timesheet


def _staff_urls(shift, timesheet):
    client = shift.job_order.contract.client
    return [f"{BASE}/", f"{BASE}/clients/", f"{BASE}/clients/{client.uuid}/", f"{BASE}/shifts/{shift.uuid}/",
            f"{BASE}/shifts/{shift.uuid}/suggestions/", f"{BASE}/timesheets/"]


def test_each_staff_page_renders_for_a_coordinator(coordinator, filled_shift):
    shift, assignment, timesheet = filled_shift
    for url in _staff_urls(shift, timesheet):
        response = coordinator.get(url)
        assert response.status_code == 200, url
    assert "Filled by" not in coordinator.get(f"{BASE}/").content.decode()
    detail = coordinator.get(f"{BASE}/shifts/{shift.uuid}/").content.decode()
    assert "Marisol Vega" in detail and "Cancel the assignment" in detail
    queue = coordinator.get(f"{BASE}/timesheets/").content.decode()
    assert "Marisol Vega" in queue and "Eastbay Skilled Nursing" in queue and "8.00" in queue  # 8.5 h less a 30-minute break


@pytest.mark.parametrize("role", ["worker", "client"])
def test_worker_and_client_roles_are_refused_the_staff_pages(role, alliedup_users, login, filled_shift):
    shift, assignment, timesheet = filled_shift
    client = login(alliedup_users[role])
    for url in _staff_urls(shift, timesheet):
        assert client.get(url).status_code == 403, url
    # A client approves its own timesheets in its portal, not through the staff action.
    assert client.post(f"{BASE}/timesheets/{timesheet.uuid}/approve/").status_code == 403
    assert client.post(f"{BASE}/shifts/{shift.uuid}/assign/", {"worker_uuid": str(assignment.worker.uuid)}).status_code == 403
    assert Timesheet.objects.get(pk=timesheet.pk).status == Timesheet.Status.SUBMITTED


def test_payroll_sees_the_queue_but_cannot_decide(alliedup_users, login, filled_shift):
    _, _, timesheet = filled_shift
    payroll = login(alliedup_users["payroll"])
    page = payroll.get(f"{BASE}/timesheets/").content.decode()
    assert "Marisol Vega" in page and ">Approve<" not in page
    assert payroll.post(f"{BASE}/timesheets/{timesheet.uuid}/approve/").status_code == 403


def test_client_contract_rate_and_job_order_through_the_forms_create_shifts(alliedup, lvn, coordinator):
    response = coordinator.post(f"{BASE}/clients/new/", {"name": "Bayview Rehab", "contact_name": "Dana Ortiz",
                                                        "contact_email": "dana@bayview.example.com", "time_zone": "America/Los_Angeles"})
    client = Client.objects.get(name="Bayview Rehab")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/clients/{client.uuid}/"
    coordinator.post(f"{BASE}/clients/{client.uuid}/contracts/", {"reference": "BR-1", "starts_on": "2026-11-01"})
    contract = ClientContract.objects.get(client=client)
    response = coordinator.post(f"{BASE}/contracts/{contract.uuid}/bill-rates/", {
        "rate-classification": lvn.pk, "rate-effective_from": "2026-11-01", "rate-regular_rate": "61.25",
        "rate-overtime_multiplier": "1.50", "rate-holiday_multiplier": "2.00"})
    assert response.status_code == 302
    rate = BillRate.objects.get(contract=contract)
    assert str(rate.regular_rate) == "61.2500" and str(rate.holiday_multiplier) == "2.00"
    # Mon Dec 7 to Sun Dec 13, weekdays only, two nurses a day: ten shifts.
    response = coordinator.post(f"{BASE}/clients/{client.uuid}/job-orders/", {
        "order-contract": contract.pk, "order-classification": lvn.pk, "order-starts_on": "2026-12-07",
        "order-ends_on": "2026-12-13", "order-shift_start": "07:00", "order-shift_end": "19:00",
        "order-weekdays": ["0", "1", "2", "3", "4"], "order-headcount": "2", "order-notes": "3 West"}, follow=True)
    order = JobOrder.objects.get(contract=contract)
    assert order.weekdays == "01234" and order.shifts.count() == 10
    body = response.content.decode()
    assert "Job order created: 10 shifts to fill." in body and "$61.25" in body and "Dana Ortiz" in body
    first = order.shifts.order_by("starts_at").first()
    assert first.starts_at == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # 07:00 at the client (PST)


def test_a_zero_bill_rate_is_refused_with_the_reason_and_nothing_is_written(contract, lvn, coordinator):
    before = BillRate.objects.count()
    response = coordinator.post(f"{BASE}/contracts/{contract.uuid}/bill-rates/", {
        "rate-classification": lvn.pk, "rate-effective_from": "2026-12-01", "rate-regular_rate": "0",
        "rate-overtime_multiplier": "1.50", "rate-holiday_multiplier": "1.50"})
    assert response.status_code == 400
    assert "A bill rate must be more than zero." in response.content.decode()
    assert BillRate.objects.count() == before


def test_a_job_order_with_reversed_dates_is_refused_and_creates_no_shift(contract, lvn, coordinator):
    response = coordinator.post(f"{BASE}/clients/{contract.client.uuid}/job-orders/", {
        "order-contract": contract.pk, "order-classification": lvn.pk, "order-starts_on": "2026-12-10",
        "order-ends_on": "2026-12-01", "order-shift_start": "07:00", "order-shift_end": "15:00",
        "order-weekdays": ["0", "1"], "order-headcount": "1"})
    assert response.status_code == 400
    assert "The order ends before it starts." in response.content.decode()
    assert not JobOrder.objects.exists() and not Shift.objects.exists()


def test_cancelling_without_a_reason_is_refused_and_with_one_reopens_the_shift(coordinator, filled_shift):
    shift, assignment, _ = filled_shift
    url = f"{BASE}/assignments/{assignment.uuid}/cancel/"
    response = coordinator.post(url, {"reason": "  "})
    assert response.status_code == 400 and "Say why the assignment is cancelled." in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.CONFIRMED
    assert Shift.objects.get(pk=shift.pk).status == Shift.Status.FILLED
    response = coordinator.post(url, {"reason": "Worker is sick"}, follow=True)
    assert "the shift is open again" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).cancel_reason == "Worker is sick"
    assert Shift.objects.get(pk=shift.pk).status == Shift.Status.OPEN


def test_fill_board_suggests_eligible_workers_and_assigns_in_one_click(alliedup, contract, lvn, licence, coordinator):
    (shift,) = _shifts(contract, lvn, _today(alliedup) + timedelta(days=2))
    nurse = licensed_worker(alliedup, lvn, licence, first_name="Ines", last_name="Okafor")
    WorkerFactory(cooperative=alliedup, classifications=[lvn], first_name="Unlicensed", last_name="Person")
    board = coordinator.get(f"{BASE}/").content.decode()
    suggest_url = f"{BASE}/shifts/{shift.uuid}/suggestions/"
    assert f'hx-get="{suggest_url}"' in board and "Eastbay Skilled Nursing" in board

    fragment = coordinator.get(suggest_url, **HTMX).content.decode()
    suggested, left_out = fragment.split("<details", 1)  # the suggestions, then who was left out and why
    assert "Ines Okafor" in suggested and "Unlicensed" not in suggested
    assert "Unlicensed Person</a>: No LVN licence on file." in left_out
    assert f'hx-post="{BASE}/shifts/{shift.uuid}/assign/"' in fragment and "<html" not in fragment

    row = coordinator.post(f"{BASE}/shifts/{shift.uuid}/assign/", {"worker_uuid": str(nurse.uuid)}, **HTMX)
    assert row.status_code == 200
    assert f'<tr id="shift-{shift.uuid}">' in row.content.decode() and "Filled by Ines Okafor" in row.content.decode()
    assert Shift.objects.get(pk=shift.pk).status == Shift.Status.FILLED
    assert Assignment.objects.get(shift=shift).worker == nurse
    assert f"shift-{shift.uuid}" not in coordinator.get(f"{BASE}/").content.decode()  # no longer open


def test_one_click_assign_of_an_ineligible_worker_shows_why_in_the_row(alliedup, contract, lvn, licence, coordinator):
    (shift,) = _shifts(contract, lvn, _today(alliedup) + timedelta(days=2))
    expired = licensed_worker(alliedup, lvn, licence, expires=_today(alliedup), first_name="Late")
    row = coordinator.post(f"{BASE}/shifts/{shift.uuid}/assign/", {"worker_uuid": str(expired.uuid)}, **HTMX).content.decode()
    assert "LVN licence expires" in row and "Filled by" not in row and "Suggest" in row
    assert not Assignment.objects.exists() and Shift.objects.get(pk=shift.pk).status == Shift.Status.OPEN


def test_suggestions_say_when_the_shift_has_no_bill_rate(alliedup, lvn, coordinator):
    client = client_create(cooperative=alliedup, name="No Rate Clinic")
    contract = contract_create(client=client, reference="NR-1", starts_on=date(2026, 1, 1))
    (shift,) = _shifts(contract, lvn, _today(alliedup) + timedelta(days=1))
    fragment = coordinator.get(f"{BASE}/shifts/{shift.uuid}/suggestions/", **HTMX).content.decode()
    assert "No bill rate for Licensed Vocational Nurse" in fragment


def test_shift_page_ranks_eligible_workers_explains_the_others_and_assigns(alliedup, contract, lvn, licence, coordinator):
    (shift,) = _shifts(contract, lvn, _today(alliedup) + timedelta(days=3))
    nurse = licensed_worker(alliedup, lvn, licence, first_name="Ada", last_name="Nwosu")
    licensed_worker(alliedup, lvn, licence, expires=_today(alliedup), first_name="Expiring", last_name="Soon")
    page = coordinator.get(f"{BASE}/shifts/{shift.uuid}/").content.decode()
    assert "Ada Nwosu" in page and "Expiring Soon" in page and "LVN licence expires" in page
    response = coordinator.post(f"{BASE}/shifts/{shift.uuid}/assign/", {"worker_uuid": str(nurse.uuid)}, follow=True)
    assert "Ada Nwosu is assigned." in response.content.decode()
    assert Shift.objects.get(pk=shift.pk).status == Shift.Status.FILLED


def test_staff_confirm_a_workers_request(alliedup, contract, lvn, licence, coordinator):
    (shift,) = _shifts(contract, lvn, _today(alliedup) + timedelta(days=4))
    nurse = licensed_worker(alliedup, lvn, licence)
    requested = shift_request(shift=shift, worker=nurse)
    page = coordinator.get(f"{BASE}/shifts/{shift.uuid}/").content.decode()
    assert "waiting for confirmation" in page and f"/assignments/{requested.uuid}/confirm/" in page
    coordinator.post(f"{BASE}/assignments/{requested.uuid}/confirm/")
    assert Assignment.objects.get(pk=requested.pk).status == Assignment.Status.CONFIRMED


def test_staff_approve_and_dispute_on_behalf_of_the_client(alliedup, contract, lvn, licence, coordinator):
    worker = licensed_worker(alliedup, lvn, licence)
    first, second = (_timesheet(_shifts(contract, lvn, _today(alliedup) - timedelta(days=d))[0], worker) for d in (5, 4))
    response = coordinator.post(f"{BASE}/timesheets/{first.uuid}/approve/", follow=True)
    assert "Approved for the client: 8.00 h" in response.content.decode()
    first = Timesheet.objects.get(pk=first.pk)
    assert first.status == Timesheet.Status.APPROVED and first.decided_on_behalf_of_client
    assert Shift.objects.get(pk=first.assignment.shift_id).status == Shift.Status.COMPLETED

    refused = coordinator.post(f"{BASE}/timesheets/{second.uuid}/dispute/", {"reason": ""}, follow=True)
    assert "Say what is wrong with the timesheet." in refused.content.decode()
    assert Timesheet.objects.get(pk=second.pk).status == Timesheet.Status.SUBMITTED
    coordinator.post(f"{BASE}/timesheets/{second.uuid}/dispute/", {"reason": "Left at 14:00"})
    second = Timesheet.objects.get(pk=second.pk)
    assert second.status == Timesheet.Status.DISPUTED and second.decided_on_behalf_of_client and second.dispute_reason == "Left at 14:00"


def test_fill_board_figures(alliedup, contract, lvn, licence, coordinator):
    today = _today(alliedup)
    open_shifts = _shifts(contract, lvn, today + timedelta(days=1), headcount=3)
    nurse = licensed_worker(alliedup, lvn, licence, first_name="Renewing", last_name="Soon", expires=today + timedelta(days=10))
    shift_assign(shift=open_shifts[0], worker=nurse)
    renewed = licensed_worker(alliedup, lvn, licence, first_name="Already", last_name="Renewed", expires=today + timedelta(days=5))
    WorkerCredential.objects.create(cooperative=alliedup, worker=renewed, credential_type=licence, expires_on=today + timedelta(days=400))
    _shifts(contract, lvn, today + timedelta(days=20))  # outside the 14 days
    approved = _timesheet(_shifts(contract, lvn, today - timedelta(days=2))[0], nurse)
    coordinator.post(f"{BASE}/timesheets/{approved.uuid}/approve/")
    _, body = _count(coordinator, f"{BASE}/")
    assert "<dt>Open shifts, next 14 days</dt><dd>2</dd>" in body
    assert "<dt>Filled shifts, next 14 days</dt><dd>1</dd>" in body
    assert "<dt>Fill rate</dt><dd>33%</dd>" in body
    assert f"<dt>Placements in {today.year}</dt><dd>1" in body
    assert "<dd>1 worker</dd>" in body and "Renewing Soon" in body and "Already Renewed" not in body


def test_fill_board_query_count_does_not_grow_with_shifts(alliedup, contract, lvn, licence, coordinator):
    today = _today(alliedup)
    for offset in range(3):
        _shifts(contract, lvn, today + timedelta(days=offset))
    licensed_worker(alliedup, lvn, licence, expires=today + timedelta(days=7))
    few, body = _count(coordinator, f"{BASE}/")
    assert body.count('<tr id="shift-') == 3
    other = client_create(cooperative=alliedup, name="Second Client", time_zone="America/New_York")
    other_contract = contract_create(client=other, reference="SC-1", starts_on=date(2026, 1, 1))
    for offset in range(9):
        _shifts(contract if offset % 2 else other_contract, lvn, today + timedelta(days=offset + 1), headcount=3)
    for _ in range(5):
        licensed_worker(alliedup, lvn, licence, expires=today + timedelta(days=20))
    many, body = _count(coordinator, f"{BASE}/")
    assert body.count('<tr id="shift-') == 30 and "Second Client" in body
    assert many == few
    print(f"fill board queries: {few} with 3 shifts, {many} with 30")


def test_timesheet_queue_query_count_does_not_grow_with_timesheets(alliedup, contract, lvn, licence, coordinator):
    today = _today(alliedup)
    workers = [licensed_worker(alliedup, lvn, licence) for _ in range(2)]
    days = iter(range(1, 30))

    def add(n):
        for i in range(n):
            _timesheet(_shifts(contract, lvn, today - timedelta(days=next(days)))[0], workers[i % 2])

    add(2)
    few, body = _count(coordinator, f"{BASE}/timesheets/")
    assert body.count('<tr id="timesheet-') == 2
    add(18)
    many, body = _count(coordinator, f"{BASE}/timesheets/")
    assert body.count('<tr id="timesheet-') == 20
    assert many == few
    print(f"timesheet queue queries: {few} with 2 timesheets, {many} with 20")


def test_outsider_client_is_not_found(nursescan, coordinator, unscoped):
    with unscoped():
        outsider = client_create(cooperative=nursescan, name="Elsewhere")
    assert coordinator.get(f"{BASE}/clients/{outsider.uuid}/").status_code == 404


def test_a_duplicate_client_name_or_bad_time_zone_is_refused(contract, coordinator):
    response = coordinator.post(f"{BASE}/clients/new/", {"name": "Eastbay Skilled Nursing", "time_zone": "America/Los_Angeles"})
    assert response.status_code == 400 and "already exists" in response.content.decode()
    response = coordinator.post(f"{BASE}/clients/new/", {"name": "Somewhere New", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400 and not Client.objects.filter(name="Somewhere New").exists()
    assert Client.objects.count() == 1
