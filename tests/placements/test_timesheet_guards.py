"""Timesheets lie near their shift and never overlap (issue 14): clock-in and clock-out each
within the co-op's tolerance (default 2 hours) of the shift's start and end, and no overlap
with another timesheet of the worker; on submission (portal, API) and on staff corrections.
Fixtures: tests/placements/conftest.py (an LVN contract in Los Angeles)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import HoursEntry, WorkerCredential
from placements.models import Shift, Timesheet, TimesheetCorrection
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_correct, timesheet_dispute, timesheet_submit
from tests.conftest import clock_at
from tests.members.factories import WorkerFactory

LA = ZoneInfo("America/Los_Angeles")
MON = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _after_the_shifts():
    # Timesheets are for time already worked: fix "now" after every shift below.
    with clock_at("2026-12-05", tick=False):
        yield


@pytest.fixture
def nurse(alliedup, alliedup_users, lvn, licence):
    worker = WorkerFactory(cooperative=alliedup, classifications=[lvn], user=alliedup_users["worker"], first_name="Rosa",
                           last_name="Delgado")
    WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence, expires_on=date(2030, 12, 31))
    return worker


@pytest.fixture
def assign(contract, lvn, nurse):
    """assign(day, start, end): a confirmed assignment of the nurse on a one-shift order."""

    def _assign(day: date, start: time = time(7), end: time = time(15)):
        order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=start,
                                 shift_end=end)
        return shift_assign(shift=Shift.objects.get(job_order=order), worker=nurse)

    return _assign


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LA)


# --- the reported case ---------------------------------------------------------------------


def test_the_reported_case_is_a_400_on_the_api_naming_the_allowed_windows(assign, alliedup_users):
    """A timesheet of Jan 1, 00:00–23:59 against a shift on Dec 3 (07:00–15:00) was accepted."""
    assignment = assign(date(2026, 12, 3))
    client = APIClient()
    client.force_authenticate(alliedup_users["worker"])
    response = client.post(f"/api/v1/c/alliedup/placements/me/assignments/{assignment.uuid}/timesheet/", {
        "clock_in": "2026-01-01T00:00:00-08:00", "clock_out": "2026-01-01T23:59:00-08:00"}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json() == {
        "clock_in": ["Clock-in must be between Thu Dec 3, 2026 05:00 PST and 09:00 PST: within 2 hours of the shift's "
                     "start (Thu Dec 3, 2026 07:00 PST)."],
        "clock_out": ["Clock-out must be between Thu Dec 3, 2026 13:00 PST and 17:00 PST: within 2 hours of the shift's "
                      "end (Thu Dec 3, 2026 15:00 PST)."],
    }
    assert not Timesheet.objects.exists()


def test_the_reported_case_shows_the_error_on_the_portal_page(assign, alliedup_users, login):
    assignment = assign(date(2026, 12, 3))
    prefix = f"a{assignment.uuid.hex}"
    response = login(alliedup_users["worker"]).post(
        reverse("placements:my_timesheet_submit", kwargs={"coop_slug": "alliedup", "assignment_uuid": assignment.uuid}),
        {f"{prefix}-clock_in": "2026-01-01T00:00", f"{prefix}-clock_out": "2026-01-01T23:59", f"{prefix}-break_minutes": "0"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Clock-in must be between Thu Dec 3, 2026 05:00 PST and 09:00 PST" in body
    assert "Clock-out must be between Thu Dec 3, 2026 13:00 PST and 17:00 PST" in body
    assert not Timesheet.objects.exists()


# --- the tolerance -------------------------------------------------------------------------


@pytest.mark.parametrize("clock_in, clock_out", [
    ((5, 0), (17, 0)),  # 2 hours early in, 2 hours late out: exactly the tolerance
    ((9, 0), (13, 0)),  # 2 hours late in, 2 hours early out
    ((6, 58), (15, 34)),
])
def test_times_within_the_tolerance_are_accepted(assign, clock_in, clock_out):
    timesheet = timesheet_submit(assignment=assign(MON), clock_in=at(MON, *clock_in), clock_out=at(MON, *clock_out))
    assert timesheet.pk is not None


@pytest.mark.parametrize("clock_in, clock_out, field", [
    ((4, 59), (15, 0), "clock_in"),  # one minute too early
    ((9, 1), (15, 0), "clock_in"),  # one minute too late
    ((7, 0), (12, 59), "clock_out"),
    ((7, 0), (17, 1), "clock_out"),
])
def test_one_minute_past_the_tolerance_is_refused(assign, clock_in, clock_out, field):
    with pytest.raises(ValidationError) as err:
        timesheet_submit(assignment=assign(MON), clock_in=at(MON, *clock_in), clock_out=at(MON, *clock_out))
    assert list(err.value.message_dict) == [field]
    assert not Timesheet.objects.exists()


def test_the_tolerance_is_the_cooperatives_setting(alliedup, assign):
    alliedup.timesheet_tolerance_minutes = 30
    alliedup.save(update_fields=["timesheet_tolerance_minutes"])
    assignment = assign(MON)
    with pytest.raises(ValidationError, match=r"between Mon Nov 2, 2026 06:30 PST and 07:30 PST: within 30 minutes"):
        timesheet_submit(assignment=assignment, clock_in=at(MON, 6, 29), clock_out=at(MON, 15))
    assert timesheet_submit(assignment=assignment, clock_in=at(MON, 6, 30), clock_out=at(MON, 15, 30)).pk


def test_the_tolerance_is_real_time_across_the_autumn_change(assign):
    """Sat Oct 31 19:00 PDT → Sun Nov 1 07:00 PST is 13 real hours. A clock-out at 05:00
    PST is 2 hours early; one at 04:59 is not within them."""
    assignment = assign(date(2026, 10, 31), time(19), time(7))
    with pytest.raises(ValidationError, match="between Sun Nov 1, 2026 05:00 PST and 09:00 PST"):
        timesheet_submit(assignment=assignment, clock_in=at(date(2026, 10, 31), 19), clock_out=at(date(2026, 11, 1), 4, 59))
    assert timesheet_submit(assignment=assignment, clock_in=at(date(2026, 10, 31), 19), clock_out=at(date(2026, 11, 1), 5)).pk


# --- overlaps ------------------------------------------------------------------------------


def test_a_timesheet_overlapping_another_of_the_worker_is_refused_naming_it(assign):
    day = assign(MON, time(7), time(15))
    evening = assign(MON, time(16), time(23))
    timesheet_submit(assignment=day, clock_in=at(MON, 7), clock_out=at(MON, 16, 30))  # stayed 90 minutes longer
    with pytest.raises(ValidationError) as err:
        timesheet_submit(assignment=evening, clock_in=at(MON, 16), clock_out=at(MON, 23))
    assert err.value.message_dict == {"__all__": [
        "These times overlap another timesheet of Rosa Delgado: Eastbay Skilled Nursing, Mon Nov 2, 2026 07:00 PST and "
        "16:30 PST (submitted)."]}
    assert Timesheet.objects.count() == 1


def test_back_to_back_timesheets_are_accepted(assign):
    day = assign(MON, time(7), time(15))
    evening = assign(MON, time(16), time(23))
    timesheet_submit(assignment=day, clock_in=at(MON, 7), clock_out=at(MON, 16, 30))
    timesheet_submit(assignment=evening, clock_in=at(MON, 16, 30), clock_out=at(MON, 23))  # in at the minute the other ends
    assert Timesheet.objects.count() == 2


def test_a_disputed_or_approved_timesheet_still_counts_and_a_resubmission_does_not_overlap_itself(assign, alliedup_users):
    day = assign(MON, time(7), time(15))
    evening = assign(MON, time(16), time(23))
    first = timesheet_submit(assignment=day, clock_in=at(MON, 7), clock_out=at(MON, 16, 30))
    timesheet_dispute(timesheet=first, reason="Left at 15:00", disputed_by=alliedup_users["client"])
    with pytest.raises(ValidationError, match=r"\(disputed\)"):
        timesheet_submit(assignment=evening, clock_in=at(MON, 16), clock_out=at(MON, 23))
    timesheet_submit(assignment=day, clock_in=at(MON, 7), clock_out=at(MON, 16))  # its own old times are no obstacle
    timesheet_approve(timesheet=first, approved_by=alliedup_users["client"])
    with pytest.raises(ValidationError, match=r"\(approved\)"):
        timesheet_submit(assignment=evening, clock_in=at(MON, 15, 59), clock_out=at(MON, 23))
    assert timesheet_submit(assignment=evening, clock_in=at(MON, 16), clock_out=at(MON, 23)).pk


def test_another_workers_timesheet_is_no_obstacle(alliedup, contract, lvn, licence, assign):
    timesheet_submit(assignment=assign(MON), clock_in=at(MON, 7), clock_out=at(MON, 15))
    other = WorkerFactory(cooperative=alliedup, classifications=[lvn])
    WorkerCredential.objects.create(cooperative=alliedup, worker=other, credential_type=licence, expires_on=date(2030, 12, 31))
    order = job_order_create(contract=contract, classification=lvn, starts_on=MON, ends_on=MON, shift_start=time(7),
                             shift_end=time(15))
    theirs = shift_assign(shift=Shift.objects.get(job_order=order), worker=other)
    assert timesheet_submit(assignment=theirs, clock_in=at(MON, 7), clock_out=at(MON, 15)).pk


def test_the_overlap_check_runs_under_the_workers_row_lock(assign, nurse):
    """Two submissions at once would each find no overlap before the other is written; the
    worker's row lock makes the second wait and then see the first."""
    assignment = assign(MON)
    with CaptureQueriesContext(connection) as queries:
        timesheet_submit(assignment=assignment, clock_in=at(MON, 7), clock_out=at(MON, 15))
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if 'FROM "members_worker"' in q and "FOR UPDATE" in q)
    check = next(i for i, q in enumerate(sql) if 'FROM "placements_timesheet"' in q and '"clock_in" <' in q)
    assert lock < check


# --- staff corrections ---------------------------------------------------------------------


def test_a_correction_is_held_to_the_same_rules_and_writes_nothing_when_refused(assign, alliedup_users):
    day = assign(MON, time(7), time(15))
    evening = assign(MON, time(16), time(23))
    timesheet = timesheet_submit(assignment=day, clock_in=at(MON, 7), clock_out=at(MON, 15))
    entry = timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"])
    timesheet_approve(timesheet=timesheet_submit(assignment=evening, clock_in=at(MON, 16), clock_out=at(MON, 23)),
                      approved_by=alliedup_users["client"])
    with pytest.raises(ValidationError) as err:
        timesheet_correct(timesheet=timesheet, clock_in=at(date(2026, 1, 1), 7), clock_out=at(date(2026, 1, 1), 15),
                          break_minutes=0, reason="Typo")
    assert set(err.value.message_dict) == {"clock_in", "clock_out"}
    with pytest.raises(ValidationError, match="overlap another timesheet of Rosa Delgado: Eastbay Skilled Nursing, "
                                              r"Mon Nov 2, 2026 16:00 PST and 23:00 PST \(approved\)"):
        timesheet_correct(timesheet=timesheet, clock_in=at(MON, 7), clock_out=at(MON, 16, 30), break_minutes=0,
                          reason="Stayed late")
    assert not TimesheetCorrection.objects.exists()
    assert list(HoursEntry.objects.order_by("id").values_list("pk", flat=True))[0] == entry.pk
    assert HoursEntry.objects.count() == 2  # the two approvals: nothing reversed or posted
    timesheet.refresh_from_db()
    assert (timesheet.clock_in, timesheet.clock_out) == (at(MON, 7), at(MON, 15))
    correction = timesheet_correct(timesheet=timesheet, clock_in=at(MON, 7), clock_out=at(MON, 16), break_minutes=0,
                                   reason="Stayed until the next shift began")  # touching the evening one: fine
    assert correction.hours_after == Decimal("9.00")


def test_the_staff_correction_page_shows_the_refusal(assign, alliedup_users, login):
    timesheet = timesheet_submit(assignment=assign(MON), clock_in=at(MON, 7), clock_out=at(MON, 15))
    timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"])
    response = login(alliedup_users["coordinator"]).post(
        reverse("placements:timesheet_correct", kwargs={"coop_slug": "alliedup", "timesheet_uuid": timesheet.uuid}),
        {"clock_in": "2026-11-02T07:00", "clock_out": "2026-11-02T19:00", "break_minutes": "0", "reason": "Typo"})
    assert response.status_code == 400
    assert "Clock-out must be between Mon Nov 2, 2026 13:00 PST and 17:00 PST" in response.content.decode()
    assert not TimesheetCorrection.objects.exists()


def test_the_largest_tolerance_lets_a_timesheet_move_a_whole_day_and_no_further(alliedup, assign):
    """With the largest tolerance (a day) a timesheet may move to the next day's times: the
    checks still use the shift's own start and end."""
    alliedup.timesheet_tolerance_minutes = 24 * 60
    alliedup.save(update_fields=["timesheet_tolerance_minutes"])
    assignment = assign(MON)
    tue = MON + timedelta(days=1)
    assert timesheet_submit(assignment=assignment, clock_in=at(tue, 7), clock_out=at(tue, 15)).pk
    with pytest.raises(ValidationError, match="clock|Clock"):
        timesheet_submit(assignment=assignment, clock_in=at(tue, 7, 1), clock_out=at(tue, 15))
