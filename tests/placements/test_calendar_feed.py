"""The worker's private calendar feed (/cal/<token>.ics): what it lists and how, who can
open it, and the worker's and staff's "new link" / "revoke" on pages and in the API."""

import hashlib
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes.state import state as scope_state
from icalendar import Calendar
from rest_framework.test import APIClient

from alliedup.models import AuditEvent
from placements.calendar import event_uid
from placements.models import CalendarFeed
from placements.services.calendar import calendar_feed_issue, calendar_feed_revoke
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.contacts import client_site_add
from placements.services.matching import assignment_cancel, shift_assign, shift_request
from placements.services.orders import job_order_create
from tests.conftest import OUTSIDER_MARKER
from tests.members.factories import JobClassificationFactory
from tests.placements.conftest import DAY, NIGHT, licensed_worker

pytestmark = pytest.mark.today("2026-11-23")

LA = ZoneInfo("America/Los_Angeles")
ADDRESS = "1411 E 31st St, Oakland, CA 94602"
API = "/api/v1/c/alliedup/placements/me/calendar/"


@pytest.fixture
def site(contract):
    return client_site_add(client=contract.client, name="3 West", address=ADDRESS)


@pytest.fixture
def me(alliedup, alliedup_users, lvn, licence):
    """The alliedup worker login's employee record: a licensed LVN."""
    return licensed_worker(alliedup, lvn, licence, user=alliedup_users["worker"], first_name="Rosa", last_name="Delgado")


def _book(contract, lvn, worker, day: date, times=DAY, site=None, days: int = 1):
    """Confirmed assignments of `worker` on a job order of `days` days from `day`."""
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day + timedelta(days=days - 1),
                             shift_start=times[0], shift_end=times[1], site=site)
    booked = [shift_assign(shift=shift, worker=worker) for shift in order.shifts.order_by("starts_at")]
    return booked[0] if days == 1 else booked


@contextmanager
def _no_scope():
    """As a calendar app's request arrives: no co-op scope open (these tests run inside
    alliedup's), so the feed view must open its own."""
    reset = scope_state.set({})
    try:
        yield
    finally:
        scope_state.reset(reset)


def _get(token: str):
    with _no_scope():
        return Client().get(f"/cal/{token}.ics")  # no cookies, like a calendar app


def _feed(token: str) -> Calendar:
    response = _get(token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(cal: Calendar) -> dict:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


# --- what the feed lists --------------------------------------------------------------------


def test_the_feed_shows_each_shift_at_the_site_in_the_sites_time_zone(contract, lvn, me, site):
    booked = _book(contract, lvn, me, date(2026, 11, 25), site=site)
    _feed_row, token = calendar_feed_issue(worker=me, issued_by=me.user)

    event = _events(_feed(token))[event_uid(booked)]
    assert str(event["SUMMARY"]) == "Licensed Vocational Nurse at Eastbay Skilled Nursing · 3 West"
    assert str(event["LOCATION"]) == ADDRESS
    assert "Where: Eastbay Skilled Nursing · 3 West" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert start.tzinfo.key == "America/Los_Angeles" and start.replace(tzinfo=None) == datetime(2026, 11, 25, 7, 0)
    assert end.replace(tzinfo=None) == datetime(2026, 11, 25, 15, 30)
    assert start == booked.shift.starts_at and end == booked.shift.ends_at


def test_night_shifts_across_both_daylight_saving_changes_keep_their_wall_clock_times(contract, lvn, me, site):
    autumn = _book(contract, lvn, me, date(2026, 10, 31), times=NIGHT, site=site)  # clocks go back Nov 1, 02:00
    spring = _book(contract, lvn, me, date(2027, 3, 13), times=NIGHT, site=site)  # and forward Mar 14, 02:00
    _row, token = calendar_feed_issue(worker=me, issued_by=me.user)

    body = _get(token).content.decode()
    assert "DTSTART;TZID=America/Los_Angeles:20261031T190000" in body
    assert "DTEND;TZID=America/Los_Angeles:20261101T070000" in body
    assert "DTSTART;TZID=America/Los_Angeles:20270313T190000" in body
    # One VTIMEZONE, before the events that name it, with both offsets.
    assert body.count("BEGIN:VTIMEZONE") == 1 and body.index("BEGIN:VTIMEZONE") < body.index("BEGIN:VEVENT")
    assert "TZID:America/Los_Angeles" in body and "TZOFFSETTO:-0700" in body and "TZOFFSETTO:-0800" in body

    events = _events(Calendar.from_ical(body))
    for booked, local_start, local_end, hours in (
        (autumn, datetime(2026, 10, 31, 19), datetime(2026, 11, 1, 7), 13),
        (spring, datetime(2027, 3, 13, 19), datetime(2027, 3, 14, 7), 11),
    ):
        event = events[event_uid(booked)]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (local_start, local_end)
        assert start.astimezone(LA).replace(tzinfo=None) == local_start
        # Real elapsed time (subtracting in one zone would give 12 hours both times).
        assert (end.astimezone(ZoneInfo("UTC")) - start.astimezone(ZoneInfo("UTC"))) == timedelta(hours=hours)
        assert start == booked.shift.starts_at and end == booked.shift.ends_at


def test_a_client_in_another_zone_gets_its_own_tzid(alliedup, lvn, me):
    denver = client_create(cooperative=alliedup, name="Front Range Clinic", address="100 Main St, Denver, CO", time_zone="America/Denver")
    contract = contract_create(client=denver, reference="FRC-1", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="50.00")
    booked = _book(contract, lvn, me, date(2026, 12, 1))
    _row, token = calendar_feed_issue(worker=me)

    body = _get(token).content.decode()
    assert "DTSTART;TZID=America/Denver:20261201T070000" in body and "TZID:America/Denver" in body
    event = _events(Calendar.from_ical(body))[event_uid(booked)]
    assert str(event["LOCATION"]) == "100 Main St, Denver, CO"  # no site: the client's address
    assert str(event["SUMMARY"]) == "Licensed Vocational Nurse at Front Range Clinic"


def test_the_feed_keeps_60_days_of_history_marks_cancellations_and_leaves_out_requests(contract, lvn, me):
    too_old = _book(contract, lvn, me, date(2026, 9, 20))
    recent = _book(contract, lvn, me, date(2026, 9, 25))
    later = _book(contract, lvn, me, date(2027, 6, 1))
    cancelled = _book(contract, lvn, me, date(2026, 11, 30))
    assignment_cancel(assignment=cancelled, reason="Client closed the unit", cancelled_by=None)
    (open_shift,) = job_order_create(contract=contract, classification=lvn, starts_on=date(2026, 12, 2), ends_on=date(2026, 12, 2),
                                     shift_start=DAY[0], shift_end=DAY[1]).shifts.all()
    requested = shift_request(shift=open_shift, worker=me, requested_by=me.user)
    _row, token = calendar_feed_issue(worker=me)

    events = _events(_feed(token))
    assert set(events) == {event_uid(recent), event_uid(later), event_uid(cancelled)}
    assert event_uid(too_old) not in events and event_uid(requested) not in events
    assert str(events[event_uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert str(events[event_uid(cancelled)]["SUMMARY"]).startswith("Cancelled: ")
    assert "Client closed the unit" not in _get(token).content.decode()  # staff's reason stays with staff


def test_uids_are_stable_from_one_fetch_to_the_next(contract, lvn, me):
    _book(contract, lvn, me, date(2026, 11, 26), days=3)
    _row, token = calendar_feed_issue(worker=me)
    first, second = _events(_feed(token)), _events(_feed(token))
    assert len(first) == 3 and set(first) == set(second)


def test_another_workers_shifts_are_never_in_my_feed(alliedup, contract, lvn, licence, me):
    mine = _book(contract, lvn, me, date(2026, 11, 25))
    colleague = licensed_worker(alliedup, lvn, licence, first_name="Other")
    theirs = _book(contract, lvn, colleague, date(2026, 11, 26))
    _row, my_token = calendar_feed_issue(worker=me)
    _row, their_token = calendar_feed_issue(worker=colleague)

    assert set(_events(_feed(my_token))) == {event_uid(mine)}
    assert set(_events(_feed(their_token))) == {event_uid(theirs)}


def test_another_cooperatives_data_is_never_in_the_feed(alliedup, nursescan, in_scope, contract, lvn, me):
    mine = _book(contract, lvn, me, date(2026, 11, 25))
    _row, my_token = calendar_feed_issue(worker=me)
    with in_scope(nursescan):
        their_lvn = JobClassificationFactory(cooperative=nursescan, code="lvn", name=OUTSIDER_MARKER)
        outsider = licensed_worker(nursescan, their_lvn, _licence(nursescan, their_lvn))
        their_client = client_create(cooperative=nursescan, name=OUTSIDER_MARKER, address=OUTSIDER_MARKER)
        their_contract = contract_create(client=their_client, reference="NC-1", starts_on=date(2026, 1, 1))
        bill_rate_set(contract=their_contract, classification=their_lvn, effective_from=date(2026, 1, 1), regular_rate="40.00")
        theirs = _book(their_contract, their_lvn, outsider, date(2026, 11, 25))
        _row, their_token = calendar_feed_issue(worker=outsider)

    body = _get(my_token).content.decode()
    assert OUTSIDER_MARKER not in body and str(theirs.uuid) not in body
    assert set(_events(Calendar.from_ical(body))) == {event_uid(mine)}
    # The outsider's own link shows theirs (the token, not a session, picks the co-op).
    assert set(_events(_feed(their_token))) == {event_uid(theirs)}
    assert "Eastbay" not in _get(their_token).content.decode()


def _licence(cooperative, classification):
    from members.models import CredentialRequirement, CredentialType

    ctype = CredentialType.objects.create(cooperative=cooperative, code="lvn-licence", name="LVN licence")
    CredentialRequirement.objects.create(cooperative=cooperative, credential_type=ctype, classification=classification)
    return ctype


def _queries(token: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert _get(token).status_code == 200
    return len(ctx)


def test_the_feed_reads_a_fixed_number_of_queries_for_3_or_30_shifts(contract, lvn, me, site):
    _book(contract, lvn, me, date(2026, 11, 24), site=site, days=3)
    _row, token = calendar_feed_issue(worker=me)
    with_three = _queries(token)
    _book(contract, lvn, me, date(2026, 12, 1), times=NIGHT, days=27)
    assert len(_events(_feed(token))) == 30
    assert _queries(token) == with_three <= 2


# --- who can open it ------------------------------------------------------------------------


def test_a_revoked_or_unknown_token_is_a_404(contract, lvn, me):
    _book(contract, lvn, me, date(2026, 11, 25))
    _row, token = calendar_feed_issue(worker=me)
    assert _get(token).status_code == 200
    calendar_feed_revoke(worker=me, revoked_by=me.user)
    assert _get(token).status_code == 404
    assert _get("A" * 43).status_code == 404
    assert _get(token[:-1] + ("B" if token[-1] != "B" else "C")).status_code == 404


def test_a_new_link_replaces_the_old_one(me):
    _row, old = calendar_feed_issue(worker=me)
    _row, new = calendar_feed_issue(worker=me)
    assert _get(old).status_code == 404 and _get(new).status_code == 200
    assert CalendarFeed.objects.filter(worker=me, revoked_at=None).count() == 1
    assert CalendarFeed.objects.filter(worker=me).count() == 2  # the revoked one stays, for the record


def test_only_a_hash_of_the_random_token_is_stored(me):
    feed, token = calendar_feed_issue(worker=me, issued_by=me.user)
    assert len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token)  # 32 random bytes, URL-safe
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    event = AuditEvent.objects.get(action="placements.calendar_feed.issued")
    assert event.actor == me.user and token not in str(event.data) + str(event.after)


def test_revoking_with_no_live_link_is_refused(me):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no calendar link to revoke"):
        calendar_feed_revoke(worker=me)


# --- the worker's page ----------------------------------------------------------------------


def _schedule(coop_slug="alliedup"):
    return reverse("placements:my_schedule", kwargs={"coop_slug": coop_slug})


def _token_in(body: str) -> str:
    match = re.search(r'value="http://testserver/cal/([A-Za-z0-9_-]+)\.ics"', body)
    assert match, "no calendar address on the page"
    return match.group(1)


def test_the_worker_makes_a_link_sees_it_once_and_can_revoke_it(me, login, contract, lvn):
    _book(contract, lvn, me, date(2026, 11, 25))
    client = login(me.user)
    page = client.get(_schedule()).content.decode()
    assert "My shifts in my calendar" in page and "Get my calendar link" in page and "Revoke the link" not in page

    made = client.post(reverse("placements:my_calendar_issue", kwargs={"coop_slug": "alliedup"}))
    body = made.content.decode()
    assert made.status_code == 200 and "shown only this once" in body
    token = _token_in(body)
    assert f'href="webcal://testserver/cal/{token}.ics"' in body
    assert _get(token).status_code == 200

    again = client.get(_schedule()).content.decode()
    assert token not in again and "Make a new link" in again and "Revoke the link" in again

    revoked = client.post(reverse("placements:my_calendar_revoke", kwargs={"coop_slug": "alliedup"}))
    assert revoked.status_code == 302 and revoked["Location"].endswith("/me/schedule/#calendar")
    assert _get(token).status_code == 404
    assert "Get my calendar link" in client.get(_schedule()).content.decode()
    assert AuditEvent.objects.filter(action="placements.calendar_feed.revoked", actor=me.user).count() == 1


@pytest.mark.parametrize("role", ["admin", "coordinator", "payroll", "client"])
def test_the_worker_calendar_actions_are_closed_to_other_roles(role, alliedup_users, login):
    client = login(alliedup_users[role])
    assert client.post(reverse("placements:my_calendar_issue", kwargs={"coop_slug": "alliedup"})).status_code == 403
    assert client.post(reverse("placements:my_calendar_revoke", kwargs={"coop_slug": "alliedup"})).status_code == 403
    assert not CalendarFeed.objects.exists()


# --- staff, on the worker's record ----------------------------------------------------------


def _record(worker):
    return reverse("members:worker_detail", kwargs={"coop_slug": "alliedup", "worker_uuid": worker.uuid})


def test_staff_make_a_new_link_for_a_worker_and_revoke_it(me, alliedup_users, login):
    _row, workers_own = calendar_feed_issue(worker=me, issued_by=me.user)
    staff = login(alliedup_users["coordinator"])
    page = staff.get(_record(me)).content.decode()
    assert "Calendar link" in page and "Make a new link" in page and workers_own not in page

    made = staff.post(reverse("placements:worker_calendar_issue", kwargs={"coop_slug": "alliedup", "worker_uuid": me.uuid}))
    assert made.status_code == 200
    token = _token_in(made.content.decode())
    assert _get(workers_own).status_code == 404 and _get(token).status_code == 200
    assert AuditEvent.objects.filter(action="placements.calendar_feed.issued", actor=alliedup_users["coordinator"]).exists()

    revoked = staff.post(reverse("placements:worker_calendar_revoke", kwargs={"coop_slug": "alliedup", "worker_uuid": me.uuid}))
    assert revoked.status_code == 302 and revoked["Location"] == _record(me) + "#calendar"
    assert _get(token).status_code == 404
    assert "has no calendar link" in staff.get(_record(me)).content.decode()


def test_staff_who_do_not_manage_placements_see_the_link_state_but_cannot_change_it(me, alliedup_users, login):
    calendar_feed_issue(worker=me)
    payroll = login(alliedup_users["payroll"])
    page = payroll.get(_record(me)).content.decode()
    assert "has a private calendar link" in page and "Make a new link" not in page
    url = reverse("placements:worker_calendar_issue", kwargs={"coop_slug": "alliedup", "worker_uuid": me.uuid})
    assert payroll.post(url).status_code == 403
    assert login(me.user).post(url).status_code == 403
    assert CalendarFeed.objects.filter(worker=me).count() == 1


# --- API --------------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_shows_makes_and_revokes_the_workers_link(me):
    api = _api(me.user)
    assert api.get(API).json() == {"active": False, "created_at": None, "url": None, "webcal_url": None}

    made = api.post(API)
    assert made.status_code == 201
    url, webcal = made.json()["url"], made.json()["webcal_url"]
    token = re.fullmatch(r"http://testserver/cal/([A-Za-z0-9_-]+)\.ics", url).group(1)
    assert webcal == f"webcal://testserver/cal/{token}.ics"
    assert _get(token).status_code == 200

    shown = api.get(API).json()
    assert shown["active"] is True and shown["created_at"] and shown["url"] is None  # shown once

    assert api.delete(API).status_code == 204
    assert _get(token).status_code == 404
    assert api.delete(API).status_code == 404
    assert api.get(API).json()["active"] is False


def test_the_api_is_for_workers_with_an_employee_record(alliedup_users):
    assert _api(alliedup_users["coordinator"]).get(API).status_code == 403
    assert _api(alliedup_users["client"]).post(API).status_code == 403
    assert _api(alliedup_users["worker"]).post(API).status_code == 404  # no employee record linked
    assert not CalendarFeed.objects.exists()
