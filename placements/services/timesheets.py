"""Timesheets: the worker submits, the client approves or disputes; approval posts the
hours to the members ledger (which counts them toward ownership)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliedup.audit import audit_log
from alliedup.tasks import enqueue
from members.choices import HoursSource
from members.selectors import ledger_entry, workers_locked
from members.services.hours import hours_post, hours_reverse
from worktime import overtime
from worktime.overtime import worked_hours  # noqa: F401 (callers of placements use it from here)
from placements.models import Assignment, Invoice, Shift, Timesheet, TimesheetCorrection
from placements.tasks import timesheet_correction_notify

if TYPE_CHECKING:
    from members.models import HoursEntry, Worker

MAX_SHIFT = timedelta(hours=24)


def workday_of(moment: datetime, cooperative) -> date:
    """The co-op's workday containing `moment`: its fixed 24 hours start at workday_start
    in the co-op's zone (CA Labor Code §500)."""
    return overtime.workday_of(moment, cooperative.zone, cooperative.workday_start)


def _elapsed(clock_in: datetime, clock_out: datetime) -> timedelta:
    # Subtracting two datetimes that share a tzinfo gives wall-clock time in Python (a
    # 13-hour night across the autumn change would count 12): subtract in UTC.
    return clock_out.astimezone(dt_timezone.utc) - clock_in.astimezone(dt_timezone.utc)


def _times_errors(clock_in: datetime, clock_out: datetime, break_minutes: int) -> dict:
    elapsed = _elapsed(clock_in, clock_out)
    if elapsed <= timedelta(0):
        return {"clock_out": _("Clock-out must be after clock-in.")}
    if elapsed > MAX_SHIFT:
        return {"clock_out": _("A timesheet covers at most 24 hours.")}
    if clock_out > timezone.now() + timedelta(minutes=5):
        return {"clock_out": _("A timesheet is for time already worked.")}
    if break_minutes < 0 or timedelta(minutes=break_minutes) >= elapsed:
        return {"break_minutes": _("Breaks must be shorter than the time between clock-in and clock-out.")}
    return {}


def _local(moment: datetime, zone) -> str:
    local = moment.astimezone(zone)
    return dateformat.format(local, _("D M j, Y H:i")) + f" {local.tzname()}"


def _between(start: datetime, end: datetime, zone) -> str:
    """"Thu Dec 3, 2026 05:00 PST and 09:00 PST", the date once when both are on one day."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    if first.date() == last.date():
        return _("%(start)s and %(end)s") % {"start": _local(start, zone), "end": f"{last:%H:%M} {last.tzname()}"}
    return _("%(start)s and %(end)s") % {"start": _local(start, zone), "end": _local(end, zone)}


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = [ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}] if hours else []
    if rest or not hours:
        parts.append(ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest})
    return " ".join(parts)


def _window_errors(shift: Shift, clock_in: datetime, clock_out: datetime, cooperative) -> dict:
    """Clock-in and clock-out must each lie within the co-op's tolerance of the shift's start
    and end (boundaries included): a mistyped date or hour (a January timesheet on a December
    shift) must not reach a pay stub or an invoice. Windows are named in the co-op's zone."""
    minutes = cooperative.timesheet_tolerance_minutes
    tolerance, zone = timedelta(minutes=minutes), cooperative.zone
    errors = {}
    messages = {
        "clock_in": _("Clock-in must be between %(window)s: within %(duration)s of the shift's start (%(planned)s)."),
        "clock_out": _("Clock-out must be between %(window)s: within %(duration)s of the shift's end (%(planned)s)."),
    }
    for field, moment, planned in (("clock_in", clock_in, shift.starts_at), ("clock_out", clock_out, shift.ends_at)):
        planned = planned.astimezone(dt_timezone.utc)  # real time, across a DST change too
        if abs(_elapsed(planned, moment)) > tolerance:
            errors[field] = messages[field] % {"window": _between(planned - tolerance, planned + tolerance, zone),
                                               "duration": _duration(minutes), "planned": _local(planned, zone)}
    return errors


def _overlap_errors(worker: Worker, clock_in: datetime, clock_out: datetime, *, timesheet_pk: int | None, cooperative) -> dict:
    """A worker cannot be in two places at once: the times must not overlap any other
    timesheet of theirs, whatever its status (a disputed one is resubmitted, not dropped;
    an assignment with a timesheet cannot be cancelled). Touching is fine (07:00 out, 07:00 in).
    The caller holds the worker's row lock, so a concurrent submission waits and then sees
    this one."""
    other = (Timesheet.objects.filter(assignment__worker=worker, clock_in__lt=clock_out, clock_out__gt=clock_in)
             .exclude(pk=timesheet_pk).select_related("assignment__shift__job_order__contract__client")
             .order_by("clock_in").first())
    if other is None:
        return {}
    zone = cooperative.zone
    return {"__all__": _("These times overlap another timesheet of %(worker)s: %(client)s, %(when)s (%(status)s).") % {
        "worker": worker, "client": other.assignment.shift.job_order.contract.client,
        "when": _between(other.clock_in, other.clock_out, zone), "status": other.get_status_display().lower()}}


def _fit_errors(*, worker: Worker, shift: Shift, clock_in: datetime, clock_out: datetime, timesheet_pk: int | None,
                cooperative) -> dict:
    """Why these times cannot stand for this shift (empty: they can). Locks the worker's row
    first: two timesheets of one worker submitted at once would each pass the overlap check
    before the other is written."""
    workers_locked([worker.pk])
    return {**_overlap_errors(worker, clock_in, clock_out, timesheet_pk=timesheet_pk, cooperative=cooperative),
            **_window_errors(shift, clock_in, clock_out, cooperative)}


def _ledger_ref(timesheet: Timesheet, corrections: int) -> str:
    """The hours ledger reference of a timesheet's hours: its uuid, then "<uuid>/c<n>" after
    the n-th correction (a reference is used once; the reversed entry keeps the old one)."""
    return str(timesheet.uuid) if corrections == 0 else f"{timesheet.uuid}/c{corrections}"


@transaction.atomic
def timesheet_submit(*, assignment: Assignment, clock_in: datetime, clock_out: datetime, break_minutes: int = 0, submitted_by=None) -> Timesheet:
    """The worker's clock-in/out and unpaid breaks for a worked, confirmed assignment.
    Raises ValidationError, writing nothing, for times a timesheet cannot have, times outside
    the co-op's tolerance of the shift's start and end, times overlapping another timesheet of
    the worker, an assignment not confirmed, or an approved timesheet."""
    errors = _times_errors(clock_in, clock_out, break_minutes)
    if errors:
        raise ValidationError(errors)
    # of=self: a plain FOR UPDATE would also lock the joined rows (the co-op's among them)
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("shift", "worker", "cooperative").get(
        pk=assignment.pk)
    if assignment.status != Assignment.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed assignment gets a timesheet."))
    existing = Timesheet.objects.filter(assignment=assignment).first()
    if existing is not None and existing.status == Timesheet.Status.APPROVED:
        raise ValidationError(_("This timesheet is approved and can no longer change."))
    errors = _fit_errors(worker=assignment.worker, shift=assignment.shift, clock_in=clock_in, clock_out=clock_out,
                         timesheet_pk=existing.pk if existing else None, cooperative=assignment.cooperative)
    if errors:
        raise ValidationError(errors)
    if existing is not None:
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
        return ledger_entry(source=HoursSource.TIMESHEET, source_ref=_ledger_ref(timesheet, timesheet.corrections.count()))
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
        source=HoursSource.TIMESHEET, source_ref=str(timesheet.uuid), posted_by=approved_by,
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


@transaction.atomic
def timesheet_correct(*, timesheet: Timesheet, clock_in: datetime, clock_out: datetime, break_minutes: int, reason: str,
                      corrected_by=None) -> TimesheetCorrection:
    """Correct an approved timesheet's times (staff: the client approved wrong hours, a missed
    punch). In one transaction: the correction record (before, after, why), the ledger's
    entry reversed and the corrected hours posted under a new reference. A pay run calculated
    before it is stale from then on (payroll.selectors.run_is_stale reads
    selectors.corrections_since) and is calculated again before approval. The next pay run
    pays the difference when an approved run already paid the timesheet
    (payroll.services.pay_lines). The worker is emailed about it once the transaction commits.

    Invoices are not changed: an invoice already billing the timesheet is named in the
    returned correction's `billed_on`; the client's next draft for that period carries the
    adjustment (services.invoices).
    Raises ValidationError, writing nothing, for no reason, times a timesheet cannot have,
    a timesheet that is not approved, times equal to the current ones, or times outside the
    shift's tolerance or overlapping another timesheet of the worker (as `timesheet_submit`)."""
    errors = _times_errors(clock_in, clock_out, break_minutes)
    if not (reason or "").strip():
        errors["reason"] = "Say why the approved hours are corrected."
    if errors:
        raise ValidationError(errors)
    timesheet = Timesheet.objects.select_for_update().select_related("assignment__worker", "assignment__shift__classification").get(
        pk=timesheet.pk)
    if timesheet.status != Timesheet.Status.APPROVED:
        raise ValidationError("Only an approved timesheet is corrected; a submitted one is approved or disputed.")
    if (timesheet.clock_in, timesheet.clock_out, timesheet.break_minutes) == (clock_in, clock_out, break_minutes):
        raise ValidationError("These are the timesheet's times already.")
    coop = timesheet.cooperative
    errors = _fit_errors(worker=timesheet.assignment.worker, shift=timesheet.assignment.shift, clock_in=clock_in,
                         clock_out=clock_out, timesheet_pk=timesheet.pk, cooperative=coop)
    if errors:
        raise ValidationError(errors)
    done = timesheet.corrections.count()
    entry = ledger_entry(source=HoursSource.TIMESHEET, source_ref=_ledger_ref(timesheet, done))
    hours_reverse(entry=entry, reason=f"Timesheet corrected: {reason.strip()}", reversed_by=corrected_by)
    hours = worked_hours(clock_in, clock_out, break_minutes)
    hours_post(
        worker=timesheet.assignment.worker, classification=timesheet.assignment.shift.classification,
        workday=workday_of(clock_in, coop), hours=hours, source=HoursSource.TIMESHEET,
        source_ref=_ledger_ref(timesheet, done + 1), posted_by=corrected_by, note=reason.strip()[:200],
    )
    correction = TimesheetCorrection.objects.create(
        cooperative=coop, timesheet=timesheet, reason=reason.strip()[:300], corrected_by=corrected_by,
        clock_in_before=timesheet.clock_in, clock_out_before=timesheet.clock_out, break_minutes_before=timesheet.break_minutes,
        hours_before=entry.hours, clock_in_after=clock_in, clock_out_after=clock_out, break_minutes_after=break_minutes,
        hours_after=hours,
    )
    timesheet.clock_in, timesheet.clock_out, timesheet.break_minutes = clock_in, clock_out, break_minutes
    timesheet.save(update_fields=["clock_in", "clock_out", "break_minutes"])
    correction.billed_on = list(
        Invoice.objects.filter(lines__timesheet=timesheet, lines__is_void=False).distinct().order_by("period_start")
    )
    if timesheet.assignment.worker.email:
        enqueue(timesheet_correction_notify, cooperative=coop, correction_id=correction.pk)
    audit_log(cooperative=coop, action="placements.timesheet.corrected", user=corrected_by, obj=timesheet,
              before={"clock_in": correction.clock_in_before, "clock_out": correction.clock_out_before,
                      "break_minutes": correction.break_minutes_before, "hours": correction.hours_before},
              after={"clock_in": clock_in, "clock_out": clock_out, "break_minutes": break_minutes, "hours": hours},
              data={"reason": reason.strip(), "billed_on": [str(i) for i in correction.billed_on]})
    return correction


def timesheet_corrections_settle(*, correction_ids, run) -> int:
    """Record that pay run `run` (payroll.PayRun) pays the difference of these corrections:
    payroll's calculation calls it inside its own transaction (and audits the run); an
    approved run's corrections are settled for good. Returns how many were marked."""
    return TimesheetCorrection.objects.filter(pk__in=correction_ids).update(paid_in_run=run)
