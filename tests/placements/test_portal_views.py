"""The worker portal (open shifts, my schedule, timesheets) and the client portal
(timesheets to approve, job orders)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import CredentialType, HoursEntry, WorkerCredential
from placements.models import Assignment, ClientContact, JobOrder, Shift, Timesheet
from placements.portal_forms import TimesheetForm
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_dispute, timesheet_submit
from tests.members.factories import WorkerFactory
from tests.placements.conftest import DAY, NIGHT

LA = ZoneInfo("America/Los_Angeles")


def url(name, **kwargs):
    return reverse(f"placements:{name}", kwargs={"coop_slug": "alliedup", **kwargs})


def _la_today():
    return timezone.localdate(timezone=LA)


def _order(contract, classification, first, last=None, times=DAY, headcount=1):
    return job_order_create(contract=contract, classification=classification, starts_on=first, ends_on=last or first,
                            shift_start=times[0], shift_end=times[1], headcount=headcount)


def _shifts(order):
    return list(Shift.objects.filter(job_order=order).order_by("starts_at", "id"))


def _licensed(alliedup, lvn, licence, **kw):
    worker = WorkerFactory(cooperative=alliedup, classifications=[lvn], **kw)
    WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence, expires_on=date(2030, 12, 31))
    return worker


@pytest.fixture
def me(alliedup, alliedup_users, lvn, licence):
    """The alliedup worker login's employee record: a licensed LVN."""
    return _licensed(alliedup, lvn, licence, user=alliedup_users["worker"], first_name="Rosa", last_name="Delgado")


@pytest.fixture
def worked(contract, lvn, me):
    """A confirmed assignment of `me` on yesterday's day shift (at the site)."""
    (shift,) = _shifts(_order(contract, lvn, _la_today() - timedelta(days=1)))
    return shift_assign(shift=shift, worker=me)


@pytest.fixture
def contact(alliedup_users, contract):
    """The alliedup client login, a contact of the contract's client."""
    ClientContact.objects.create(cooperative=contract.cooperative, client=contract.client, user=alliedup_users["client"])
    return alliedup_users["client"]


def _other_client_contract(alliedup, lvn):
    other = client_create(cooperative=alliedup, name="Other Hospital")
    contract = contract_create(client=other, reference="OH-1", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="60.00")
    return contract


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx)


# --- who may open which page ------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "coordinator", "payroll", "client"])
def test_worker_pages_are_closed_to_staff_and_client_roles(role, alliedup_users, login):
    client = login(alliedup_users[role])
    assert client.get(url("open_shifts")).status_code == 403
    assert client.get(url("my_schedule")).status_code == 403


@pytest.mark.parametrize("role", ["admin", "coordinator", "payroll", "worker"])
def test_client_pages_are_closed_to_staff_and_worker_roles(role, alliedup_users, login):
    client = login(alliedup_users[role])
    assert client.get(url("client_timesheets")).status_code == 403
    assert client.get(url("client_job_order_new")).status_code == 403


def test_a_worker_without_an_employee_record_is_told_what_to_do(alliedup_users, login, contract, lvn):
    client = login(alliedup_users["worker"])
    assert b"No employee record is linked" in client.get(url("open_shifts")).content
    assert b"No employee record is linked" in client.get(url("my_schedule")).content
    (shift,) = _shifts(_order(contract, lvn, _la_today() + timedelta(days=2)))
    assert client.post(url("my_shift_request", shift_uuid=shift.uuid)).status_code == 404
    assert not Assignment.objects.exists()


def test_a_client_user_without_a_client_is_told_what_to_do(alliedup_users, login):
    client = login(alliedup_users["client"])
    assert b"not linked to a client" in client.get(url("client_timesheets")).content
    assert b"not linked to a client" in client.get(url("client_job_order_new")).content


# --- open shifts ------------------------------------------------------------------------


def test_open_shifts_are_grouped_by_day_at_the_site_with_reasons_for_the_others(alliedup, contract, lvn, licence, me, login):
    tomorrow = _la_today() + timedelta(days=1)
    _order(contract, lvn, tomorrow, tomorrow + timedelta(days=1), times=NIGHT)
    (busy,) = _shifts(_order(contract, lvn, tomorrow + timedelta(days=3)))
    shift_assign(shift=busy, worker=me)
    (clash,) = _shifts(_order(contract, lvn, tomorrow + timedelta(days=3), times=(time(8, 0), time(12, 0))))
    _order(contract, lvn, _la_today() + timedelta(days=20))  # beyond the 14 days

    body = login(me.user).get(url("open_shifts")).content.decode()
    assert "Open shifts I qualify for" in body
    assert body.count("19:00–07:00") == 2 and "(ends next day)" in body  # times at the site
    assert f'{tomorrow:%A}, {tomorrow:%b} {tomorrow.day}' in body
    assert body.count(">Request</button>") == 2
    assert "Overlaps a shift you already have." in body and f"shift-{clash.uuid}" in body
    assert "1 more you can't take yet" in body


def test_open_shifts_page_query_count_does_not_grow_with_shifts(alliedup, contract, lvn, me, login):
    client = login(me.user)
    first = _la_today() + timedelta(days=1)
    _order(contract, lvn, first, first + timedelta(days=2))
    baseline = _count(client, url("open_shifts"))
    _order(contract, lvn, first, first + timedelta(days=8), times=NIGHT, headcount=3)
    assert _count(client, url("open_shifts")) == baseline
    assert client.get(url("open_shifts")).content.decode().count(">Request</button>") == 30


def test_requesting_a_shift_with_htmx_holds_it_as_accepted(alliedup, contract, lvn, me, login):
    (shift,) = _shifts(_order(contract, lvn, _la_today() + timedelta(days=2)))
    response = login(me.user).post(url("my_shift_request", shift_uuid=shift.uuid), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content
    assert "Requested — staff will confirm." in response.content.decode()
    assignment = Assignment.objects.get()
    assert (assignment.worker, assignment.shift, assignment.status) == (me, shift, Assignment.Status.ACCEPTED)
    assert assignment.created_by == me.user
    assert Shift.objects.get(pk=shift.pk).status == Shift.Status.FILLED


def test_a_refused_request_shows_why_in_the_card_and_writes_nothing(alliedup, contract, lvn, licence, me, login):
    (shift,) = _shifts(_order(contract, lvn, _la_today() + timedelta(days=2)))
    shift_assign(shift=shift, worker=_licensed(alliedup, lvn, licence))
    client = login(me.user)
    response = client.post(url("my_shift_request", shift_uuid=shift.uuid), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "The shift is filled." in response.content.decode()
    assert Assignment.objects.filter(worker=me).count() == 0
    # without htmx: back to the list with the reason
    response = client.post(url("my_shift_request", shift_uuid=shift.uuid), follow=True)
    assert "You could not request that shift: The shift is filled." in response.content.decode()
    assert Assignment.objects.filter(worker=me).count() == 0


def test_requesting_a_shift_outside_my_classification_is_refused(alliedup, contract, me, login):
    from tests.members.factories import JobClassificationFactory

    cna = JobClassificationFactory(cooperative=alliedup, code="cna", name="CNA")
    bill_rate_set(contract=contract, classification=cna, effective_from=date(2026, 1, 1), regular_rate="30.00")
    (shift,) = _shifts(_order(contract, cna, _la_today() + timedelta(days=2)))
    response = login(me.user).post(url("my_shift_request", shift_uuid=shift.uuid), HTTP_HX_REQUEST="true")
    assert "Not hired as CNA." in response.content.decode()
    assert not Assignment.objects.exists()


def test_request_needs_post(me, contract, lvn, login):
    (shift,) = _shifts(_order(contract, lvn, _la_today() + timedelta(days=2)))
    assert login(me.user).get(url("my_shift_request", shift_uuid=shift.uuid)).status_code == 405


# --- my schedule and timesheets ---------------------------------------------------------


def test_schedule_shows_status_timesheet_form_and_credentials(alliedup, contract, lvn, licence, me, worked, login):
    (later,) = _shifts(_order(contract, lvn, _la_today() + timedelta(days=3)))
    shift_assign(shift=later, worker=me, status=Assignment.Status.ACCEPTED)
    bls = CredentialType.objects.create(cooperative=alliedup, code="bls", name="BLS card")
    WorkerCredential.objects.create(cooperative=alliedup, worker=me, credential_type=bls, expires_on=_la_today() + timedelta(days=10))
    body = login(me.user).get(url("my_schedule")).content.decode()
    assert "Requested — staff will confirm" in body and "Confirmed" in body
    # one form, for the confirmed shift that has started, pre-filled with its times at the site
    assert body.count("Submit timesheet</button>") == 1
    yesterday = _la_today() - timedelta(days=1)
    assert f'value="{yesterday:%Y-%m-%d}T07:00"' in body and f'value="{yesterday:%Y-%m-%d}T15:30"' in body
    assert "Clock-in (Los Angeles time)" in body
    assert "BLS card" in body and "renew it soon" in body and "LVN licence" in body


def test_submitting_a_timesheet_converts_site_times_to_utc(me, worked, login):
    day = _la_today() - timedelta(days=1)
    prefix = f"a{worked.uuid.hex}"
    response = login(me.user).post(url("my_timesheet_submit", assignment_uuid=worked.uuid), {
        f"{prefix}-clock_in": f"{day:%Y-%m-%d}T06:55", f"{prefix}-clock_out": f"{day:%Y-%m-%d}T15:40", f"{prefix}-break_minutes": "30",
    }, follow=True)
    assert "Timesheet submitted." in response.content.decode()
    timesheet = Timesheet.objects.get(assignment=worked)
    assert timesheet.clock_in == datetime(day.year, day.month, day.day, 6, 55, tzinfo=LA)
    assert timesheet.clock_out == datetime(day.year, day.month, day.day, 15, 40, tzinfo=LA)
    assert timesheet.break_minutes == 30 and timesheet.submitted_by == me.user
    assert "Timesheet submitted: 8.25 h" in response.content.decode()


@pytest.mark.parametrize("clock_in, clock_out, breaks, message", [
    ("T15:00", "T07:00", "0", "Clock-out must be after clock-in."),
    ("T07:00", "T08:00", "60", "Breaks must be shorter"),
    ("T07:00", "", "0", "This field is required."),
    ("T07:00", "T15:00", "-5", "greater than or equal to 0"),
])
def test_a_bad_timesheet_is_shown_with_its_error_and_nothing_is_written(me, worked, login, clock_in, clock_out, breaks, message):
    day = f"{_la_today() - timedelta(days=1):%Y-%m-%d}"
    prefix = f"a{worked.uuid.hex}"
    response = login(me.user).post(url("my_timesheet_submit", assignment_uuid=worked.uuid), {
        f"{prefix}-clock_in": day + clock_in, f"{prefix}-clock_out": day + clock_out if clock_out else "", f"{prefix}-break_minutes": breaks,
    })
    assert response.status_code == 400 and message in response.content.decode()
    assert not Timesheet.objects.exists()


def test_a_future_clock_in_is_refused(me, worked, login):
    tomorrow = f"{_la_today() + timedelta(days=1):%Y-%m-%d}"
    prefix = f"a{worked.uuid.hex}"
    response = login(me.user).post(url("my_timesheet_submit", assignment_uuid=worked.uuid), {
        f"{prefix}-clock_in": tomorrow + "T07:00", f"{prefix}-clock_out": tomorrow + "T15:00", f"{prefix}-break_minutes": "0"})
    assert response.status_code == 400 and "A timesheet is for time already worked." in response.content.decode()
    assert not Timesheet.objects.exists()


def test_a_time_in_the_spring_forward_gap_is_refused():
    form = TimesheetForm({"clock_in": "2026-03-08T02:30", "clock_out": "2026-03-08T09:00", "break_minutes": "0"}, zone=LA)
    assert not form.is_valid() and "does not exist in America/Los_Angeles" in str(form.errors["clock_in"])
    # the hour that repeats in the autumn is read as its first (daylight) occurrence
    form = TimesheetForm({"clock_in": "2026-11-01T01:30", "clock_out": "2026-11-01T09:00", "break_minutes": "0"}, zone=LA)
    assert form.is_valid() and form.cleaned_data["clock_in"].astimezone(UTC) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)


def test_another_workers_assignment_is_not_found(alliedup, contract, lvn, licence, me, login):
    (shift,) = _shifts(_order(contract, lvn, _la_today() - timedelta(days=1)))
    theirs = shift_assign(shift=shift, worker=_licensed(alliedup, lvn, licence))
    day = f"{_la_today() - timedelta(days=1):%Y-%m-%d}"
    prefix = f"a{theirs.uuid.hex}"
    response = login(me.user).post(url("my_timesheet_submit", assignment_uuid=theirs.uuid), {
        f"{prefix}-clock_in": day + "T07:00", f"{prefix}-clock_out": day + "T15:00", f"{prefix}-break_minutes": "0"})
    assert response.status_code == 404
    assert not Timesheet.objects.exists()


def test_a_disputed_timesheet_shows_the_reason_and_can_be_resubmitted(me, worked, contact, login):
    shift = worked.shift
    timesheet = timesheet_submit(assignment=worked, clock_in=shift.starts_at, clock_out=shift.ends_at + timedelta(hours=2))
    timesheet_dispute(timesheet=timesheet, reason="Left at 15:30", disputed_by=contact)
    client = login(me.user)
    body = client.get(url("my_schedule")).content.decode()
    assert "Timesheet disputed: Left at 15:30" in body and "Submit again</button>" in body
    day = f"{_la_today() - timedelta(days=1):%Y-%m-%d}"
    prefix = f"a{worked.uuid.hex}"
    client.post(url("my_timesheet_submit", assignment_uuid=worked.uuid), {
        f"{prefix}-clock_in": day + "T07:00", f"{prefix}-clock_out": day + "T15:30", f"{prefix}-break_minutes": "30"})
    timesheet.refresh_from_db()
    assert timesheet.status == Timesheet.Status.SUBMITTED and timesheet.clock_out == shift.ends_at


def test_schedule_query_count_does_not_grow_with_assignments(alliedup, contract, lvn, licence, me, worked, login):
    client = login(me.user)
    timesheet_submit(assignment=worked, clock_in=worked.shift.starts_at, clock_out=worked.shift.ends_at)
    today = _la_today()
    for shift in _shifts(_order(contract, lvn, today + timedelta(days=1), today + timedelta(days=2))):
        shift_assign(shift=shift, worker=me)
    baseline = _count(client, url("my_schedule"))
    for shift in _shifts(_order(contract, lvn, today - timedelta(days=10), today - timedelta(days=2), times=NIGHT)):
        assignment = shift_assign(shift=shift, worker=me)
        if shift.starts_at.day % 2:
            timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at)
    for shift in _shifts(_order(contract, lvn, today + timedelta(days=3), today + timedelta(days=20))):
        shift_assign(shift=shift, worker=me)
    assert Assignment.objects.filter(worker=me).count() == 30
    assert _count(client, url("my_schedule")) == baseline


# --- client portal: timesheets ----------------------------------------------------------


@pytest.fixture
def submitted(worked):
    shift = worked.shift
    return timesheet_submit(assignment=worked, clock_in=shift.starts_at, clock_out=shift.ends_at, break_minutes=30)


def test_client_sees_and_approves_a_timesheet_and_the_hours_are_posted(me, submitted, contact, login):
    client = login(contact)
    body = client.get(url("client_timesheets")).content.decode()
    assert "Rosa Delgado" in body and "In 07:00, out 15:30" in body and "8.00 h" in body
    response = client.post(url("client_timesheet_approve", timesheet_uuid=submitted.uuid), follow=True)
    assert "Approved 8.00 hours for Rosa Delgado." in response.content.decode()
    assert "No timesheets waiting for you." in response.content.decode()
    entry = HoursEntry.objects.get(worker=me)
    assert entry.hours == Decimal("8.00") and entry.source_ref == str(submitted.uuid) and entry.posted_by == contact
    submitted.refresh_from_db()
    assert submitted.status == "approved" and submitted.decided_by == contact and submitted.decided_on_behalf_of_client is False
    # approving twice posts nothing more
    client.post(url("client_timesheet_approve", timesheet_uuid=submitted.uuid))
    assert HoursEntry.objects.filter(worker=me).count() == 1


def test_client_disputes_with_a_reason_and_an_empty_reason_is_refused(submitted, contact, login):
    client = login(contact)
    prefix = f"t{submitted.uuid.hex}"
    response = client.post(url("client_timesheet_dispute", timesheet_uuid=submitted.uuid), {f"{prefix}-reason": "  "})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert Timesheet.objects.get(pk=submitted.pk).status == "submitted"
    client.post(url("client_timesheet_dispute", timesheet_uuid=submitted.uuid), {f"{prefix}-reason": "Left at 15:00"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.dispute_reason, submitted.decided_by) == ("disputed", "Left at 15:00", contact)
    assert not HoursEntry.objects.exists()


def test_a_timesheet_of_another_client_is_not_found(alliedup, lvn, licence, submitted, login, alliedup_users):
    from tests.factories import CooperativeRoleFactory, UserFactory

    stranger = UserFactory(email="stranger@other-hospital.example.com")
    CooperativeRoleFactory(cooperative=alliedup, user=stranger, role="client")
    other = _other_client_contract(alliedup, lvn)
    ClientContact.objects.create(cooperative=alliedup, client=other.client, user=stranger)
    client = login(stranger)
    assert "Rosa Delgado" not in client.get(url("client_timesheets")).content.decode()
    assert client.post(url("client_timesheet_approve", timesheet_uuid=submitted.uuid)).status_code == 404
    prefix = f"t{submitted.uuid.hex}"
    assert client.post(url("client_timesheet_dispute", timesheet_uuid=submitted.uuid), {f"{prefix}-reason": "x"}).status_code == 404
    assert Timesheet.objects.get(pk=submitted.pk).status == "submitted" and not HoursEntry.objects.exists()


def test_client_timesheets_query_count_does_not_grow(alliedup, contract, lvn, licence, submitted, contact, login):
    client = login(contact)
    baseline = _count(client, url("client_timesheets"))
    for shift in _shifts(_order(contract, lvn, _la_today() - timedelta(days=6), _la_today() - timedelta(days=2), headcount=2)):
        assignment = shift_assign(shift=shift, worker=_licensed(alliedup, lvn, licence))
        timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at)
    assert _count(client, url("client_timesheets")) == baseline
    assert client.get(url("client_timesheets")).content.decode().count(">Approve</button>") == 11


def test_client_timesheets_are_paged_by_fifty(alliedup, contract, lvn, licence, contact, login, monkeypatch):
    from placements.views import portal

    monkeypatch.setattr(portal, "CLIENT_PAGE_SIZE", 4)  # the same code path as 50, with fewer rows to make
    for shift in _shifts(_order(contract, lvn, _la_today() - timedelta(days=6), _la_today() - timedelta(days=2), headcount=1)):
        assignment = shift_assign(shift=shift, worker=_licensed(alliedup, lvn, licence))
        timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at)
    client = login(contact)
    first = client.get(url("client_timesheets")).content.decode()
    assert first.count(">Approve</button>") == 4 and "1–4 of 5 waiting" in first and "?page=2" in first
    second = client.get(url("client_timesheets"), {"page": "2"}).content.decode()
    assert second.count(">Approve</button>") == 1 and "5–5 of 5 waiting" in second


# --- client portal: job orders ----------------------------------------------------------


def _job_order_form(contract, lvn, **overrides):
    start = _la_today() + timedelta(days=7)
    data = {"contract": contract.pk, "classification": lvn.pk, "site": "", "starts_on": f"{start:%Y-%m-%d}",
            "ends_on": f"{start + timedelta(days=6):%Y-%m-%d}", "shift_start": "07:00", "shift_end": "15:30",
            "weekdays": ["0", "1", "2", "3", "4"], "headcount": "2", "notes": "Float pool"}
    data.update(overrides)
    return data


def test_client_posts_a_job_order_and_its_shifts_are_made(contract, lvn, contact, login):
    client = login(contact)
    page = client.get(url("client_job_order_new")).content.decode()
    assert "Eastbay Skilled Nursing · ESN-2026" in page and "Licensed Vocational Nurse" in page
    response = client.post(url("client_job_order_new"), _job_order_form(contract, lvn), follow=True)
    assert "Job order posted: 10 shifts of Licensed Vocational Nurse" in response.content.decode()
    order = JobOrder.objects.get()
    assert (order.created_by, order.headcount, order.weekdays, order.notes) == (contact, 2, "01234", "Float pool")
    assert order.shifts.count() == 10


@pytest.mark.parametrize("overrides, message", [
    ({"ends_on": f"{date(2026, 1, 1):%Y-%m-%d}"}, "The order ends before it starts."),
    ({"headcount": "0"}, "greater than or equal to 1"),
    ({"shift_end": "07:00"}, "A shift cannot start and end at the same time."),
    ({"weekdays": []}, "This field is required."),
    ({"starts_on": "not a date"}, "Enter a valid date."),
])
def test_a_bad_job_order_is_refused_with_a_clear_error(contract, lvn, contact, login, overrides, message):
    response = login(contact).post(url("client_job_order_new"), _job_order_form(contract, lvn, **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not JobOrder.objects.exists() and not Shift.objects.exists()


def test_a_job_order_on_another_clients_or_an_ended_contract_is_refused(alliedup, contract, lvn, contact, login):
    other = _other_client_contract(alliedup, lvn)
    client = login(contact)
    response = client.post(url("client_job_order_new"), _job_order_form(other, lvn))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    contract.status = "ended"
    contract.save()
    response = client.post(url("client_job_order_new"), _job_order_form(contract, lvn))
    assert response.status_code == 400
    assert not JobOrder.objects.exists()
