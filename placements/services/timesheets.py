"""Timesheets: the worker submits, the client approves or disputes; approval posts the
hours to the members ledger (which counts them toward ownership)."""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from members.models import HoursEntry
from members.services.hours import hours_post
from payroll import overtime
from payroll.overtime import worked_hours  # noqa: F401 (callers of placements use it from here)
from placements.models import Assignment, Shift, Timesheet

MAX_SHIFT = timedelta(hours=24)


def workday_of(moment: datetime, cooperative) -> date:
    """The co-op's workday containing `moment`: its fixed 24 hours start at workday_start
    in the co-op's zone (CA Labor Code §500)."""
    return overtime.workday_of(moment, cooperative.zone, cooperative.workday_start)


def _elapsed(clock_in: datetime, clock_out: datetime) -> timedelta:
    # Subtracting two datetimes that share a tzinfo gives wall-clock time in Python (a
    # 13-hour night across the autumn change would count 12): subtract in UTC.
    return clock_out.astimezone(dt_timezone.utc) - clock_in.astimezone(dt_timezone.utc)


@transaction.atomic
def timesheet_submit(*, assignment: Assignment, clock_in: datetime, clock_out: datetime, break_minutes: int = 0, submitted_by=None) -> Timesheet:
    """The worker's clock-in/out and unpaid breaks for a worked, confirmed assignment."""
    errors = {}
    elapsed = _elapsed(clock_in, clock_out)
    if elapsed <= timedelta(0):
        errors["clock_out"] = "Clock-out must be after clock-in."
    elif elapsed > MAX_SHIFT:
        errors["clock_out"] = "A timesheet covers at most 24 hours."
    elif clock_out > timezone.now() + timedelta(minutes=5):
        errors["clock_out"] = "A timesheet is for time already worked."
    elif break_minutes < 0 or timedelta(minutes=break_minutes) >= elapsed:
        errors["break_minutes"] = "Breaks must be shorter than the time between clock-in and clock-out."
    if errors:
        raise ValidationError(errors)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != Assignment.Status.CONFIRMED:
        raise ValidationError("Only a confirmed assignment gets a timesheet.")
    existing = Timesheet.objects.filter(assignment=assignment).first()
    if existing is not None:
        if existing.status == Timesheet.Status.APPROVED:
            raise ValidationError("This timesheet is approved and can no longer change.")
        existing.clock_in, existing.clock_out, existing.break_minutes = clock_in, clock_out, break_minutes
        existing.status, existing.submitted_at, existing.dispute_reason = Timesheet.Status.SUBMITTED, timezone.now(), ""
        existing.submitted_by = submitted_by
        # back to undecided: the dispute's decision belongs to the earlier submission
        existing.decided_at, existing.decided_by, existing.decided_on_behalf_of_client = None, None, False
        existing.save()
        timesheet = existing
    else:
        timesheet = Timesheet.objects.create(
            cooperative=assignment.cooperative, assignment=assignment, clock_in=clock_in, clock_out=clock_out,
            break_minutes=break_minutes, submitted_by=submitted_by,
        )
    audit_log(cooperative=assignment.cooperative, action="placements.timesheet.submitted", user=submitted_by, obj=timesheet,
              after={"hours": worked_hours(clock_in, clock_out, break_minutes)})
    return timesheet


@transaction.atomic
def timesheet_approve(*, timesheet: Timesheet, approved_by, on_behalf_of_client: bool = False) -> HoursEntry:
    """Approve a submitted timesheet: it locks, the shift completes, and the hours go to the
    ledger once (a repeated approval returns the same entry)."""
    timesheet = Timesheet.objects.select_for_update().select_related("assignment__worker", "assignment__shift").get(pk=timesheet.pk)
    assignment = timesheet.assignment
    if timesheet.status == Timesheet.Status.APPROVED:
        return HoursEntry.objects.get(source=HoursEntry.Source.TIMESHEET, source_ref=str(timesheet.uuid), reverses=None)
    if timesheet.status != Timesheet.Status.SUBMITTED:
        raise ValidationError("Only a submitted timesheet can be approved; the worker resubmits a disputed one.")
    timesheet.status = Timesheet.Status.APPROVED
    timesheet.decided_at = timezone.now()
    timesheet.decided_by = approved_by
    timesheet.decided_on_behalf_of_client = on_behalf_of_client
    timesheet.save(update_fields=["status", "decided_at", "decided_by", "decided_on_behalf_of_client"])
    Shift.objects.filter(pk=assignment.shift_id).update(status=Shift.Status.COMPLETED)
    entry = hours_post(
        worker=assignment.worker, classification=assignment.shift.classification,
        workday=workday_of(timesheet.clock_in, timesheet.cooperative),
        hours=worked_hours(timesheet.clock_in, timesheet.clock_out, timesheet.break_minutes),
        source=HoursEntry.Source.TIMESHEET, source_ref=str(timesheet.uuid), posted_by=approved_by,
    )
    audit_log(cooperative=timesheet.cooperative, action="placements.timesheet.approved", user=approved_by, obj=timesheet,
              data={"hours": entry.hours, "on_behalf_of_client": on_behalf_of_client})
    return entry


@transaction.atomic
def timesheet_dispute(*, timesheet: Timesheet, reason: str, disputed_by, on_behalf_of_client: bool = False) -> Timesheet:
    if not reason.strip():
        raise ValidationError({"reason": "Say what is wrong with the timesheet."})
    timesheet = Timesheet.objects.select_for_update().get(pk=timesheet.pk)
    if timesheet.status != Timesheet.Status.SUBMITTED:
        raise ValidationError("Only a submitted timesheet can be disputed.")
    timesheet.status = Timesheet.Status.DISPUTED
    timesheet.dispute_reason = reason.strip()
    timesheet.decided_at, timesheet.decided_by, timesheet.decided_on_behalf_of_client = timezone.now(), disputed_by, on_behalf_of_client
    timesheet.save()
    audit_log(cooperative=timesheet.cooperative, action="placements.timesheet.disputed", user=disputed_by, obj=timesheet,
              data={"reason": reason})
    return timesheet
