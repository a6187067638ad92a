from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from members.models import HoursEntry, WorkerCredential
from members.selectors import newly_eligible
from placements.models import Shift, Timesheet
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_dispute, timesheet_submit, worked_hours, workday_of
from tests.members.factories import WorkerFactory
from tests.placements.conftest import NIGHT

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def assignment(alliedup, contract, lvn, licence):
    worker = WorkerFactory(cooperative=alliedup, classifications=[lvn])
    WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence, expires_on=date(2027, 12, 31))
    order = job_order_create(contract=contract, classification=lvn, starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 2),
                             shift_start=NIGHT[0], shift_end=NIGHT[1])
    return shift_assign(shift=Shift.objects.get(job_order=order), worker=worker)


def _at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LA)


def test_worked_hours_subtract_breaks_and_count_real_time_across_dst():
    assert worked_hours(_at(date(2026, 6, 1), 7), _at(date(2026, 6, 1), 15, 30), 30) == Decimal("8.00")
    # 19:00 Oct 31 → 07:00 Nov 1 is 13 real hours (the clocks fall back)
    assert worked_hours(_at(date(2026, 10, 31), 19), _at(date(2026, 11, 1), 7), 0) == Decimal("13.00")
    assert worked_hours(_at(date(2026, 6, 1), 7), _at(date(2026, 6, 1), 7, 20), 0) == Decimal("0.33")


def test_workday_follows_the_cooperatives_workday_start(alliedup):
    assert workday_of(_at(date(2026, 6, 2), 1), alliedup) == date(2026, 6, 2)
    alliedup.workday_start = time(6, 0)
    assert workday_of(_at(date(2026, 6, 2), 1), alliedup) == date(2026, 6, 1)


def test_approval_posts_hours_once_and_locks_the_timesheet(assignment, alliedup_users):
    timesheet = timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 7, 15),
                                 break_minutes=30)
    entry = timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"])
    assert entry.hours == Decimal("11.75") and entry.workday == date(2026, 11, 2) and entry.source == "timesheet"
    assert timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"]) == entry
    assert HoursEntry.objects.count() == 1
    assert Shift.objects.get(pk=assignment.shift_id).status == "completed"
    with pytest.raises(ValidationError, match="approved"):
        timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 9))
    assert Timesheet.objects.get().clock_out == _at(date(2026, 11, 3), 7, 15)


def test_approved_hours_count_toward_ownership(alliedup, assignment, alliedup_users):
    alliedup.candidacy_hours_threshold = Decimal("11.00")
    alliedup.save()
    timesheet = timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 7))
    assert newly_eligible(alliedup, date(2026, 11, 3)) == []
    timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["coordinator"], on_behalf_of_client=True)
    assert [r["worker_id"] for r in newly_eligible(alliedup, date(2026, 11, 3))] == [assignment.worker_id]
    assert Timesheet.objects.get().decided_on_behalf_of_client is True


def test_dispute_then_resubmit_then_approve(assignment, alliedup_users):
    timesheet = timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 9))
    timesheet_dispute(timesheet=timesheet, reason="Left at 07:00", disputed_by=alliedup_users["client"])
    with pytest.raises(ValidationError):
        timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"])
    timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 7))
    assert timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"]).hours == Decimal("12.00")


@pytest.mark.parametrize("clock_in, clock_out, breaks, field", [
    (_at(date(2026, 11, 2), 19), _at(date(2026, 11, 2), 18), 0, "clock_out"),
    (_at(date(2026, 11, 2), 19), _at(date(2026, 11, 2), 20), 60, "break_minutes"),
    (_at(date(2026, 11, 2), 19), _at(date(2026, 11, 4), 20), 0, "clock_out"),
])
def test_bad_timesheets_are_refused_and_nothing_is_written(assignment, clock_in, clock_out, breaks, field):
    with pytest.raises(ValidationError) as err:
        timesheet_submit(assignment=assignment, clock_in=clock_in, clock_out=clock_out, break_minutes=breaks)
    assert field in err.value.message_dict
    assert not Timesheet.objects.exists()


def test_a_clock_out_in_the_future_is_refused(assignment):
    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(ValidationError) as err:
        timesheet_submit(assignment=assignment, clock_in=now - timedelta(hours=1), clock_out=now + timedelta(hours=9))
    assert "clock_out" in err.value.message_dict


def test_no_timesheet_before_staff_confirm_a_request(assignment):
    from placements.models import Assignment

    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.ACCEPTED)
    with pytest.raises(ValidationError, match="confirmed"):
        timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 7))


def test_break_check_counts_real_time_across_the_autumn_change(assignment, contract, lvn):
    # 19:00 → 07:00 across Nov 1 is 13 real hours: a 12.5-hour break is shorter than that
    order = job_order_create(contract=contract, classification=lvn, starts_on=date(2026, 10, 31), ends_on=date(2026, 10, 31),
                             shift_start=NIGHT[0], shift_end=NIGHT[1])
    autumn = shift_assign(shift=Shift.objects.get(job_order=order), worker=assignment.worker)
    timesheet = timesheet_submit(assignment=autumn, clock_in=_at(date(2026, 10, 31), 19), clock_out=_at(date(2026, 11, 1), 7),
                                 break_minutes=750)
    assert worked_hours(timesheet.clock_in, timesheet.clock_out, timesheet.break_minutes) == Decimal("0.50")


def test_a_resubmission_after_a_dispute_is_undecided_again(assignment, alliedup_users):
    timesheet = timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 9))
    timesheet_dispute(timesheet=timesheet, reason="Left at 07:00", disputed_by=alliedup_users["client"])
    again = timesheet_submit(assignment=assignment, clock_in=_at(date(2026, 11, 2), 19), clock_out=_at(date(2026, 11, 3), 7))
    assert (again.status, again.decided_at, again.decided_by, again.dispute_reason) == ("submitted", None, None, "")
