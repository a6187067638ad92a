"""Pay runs, the calculation: a period's pay from approved timesheets under the CBA (the lines
themselves come from payroll.services.pay_lines), at once or queued for the worker when the
period is big; what locks a run against change. Approval is payroll.services.runs_approve,
staff adjustments payroll.services.runs_adjust.

Money rules (design § 2 and § 4):
- Every hour is paid straight time at the CBA wage of the worker's classification and step
  on that workday, whatever the client's bill rate (the wage floor), plus its shift
  differentials. Overtime lines pay the premium on top: 0.5× (1.0× for double time) of the
  week's **regular rate** = straight-time pay (wages + differentials) ÷ hours worked.
- Hours on a holiday of the co-op's calendar are paid the agreement's holiday multiplier of
  the regular rate: a HOLIDAY premium line of (multiplier − 1) × the regular rate per hour,
  less the overtime premium the hour already earns (0.5× or 1.0×), so nothing pyramids. The
  holiday premium stays out of the regular rate (29 CFR 778.203: a premium of at least 1.5×
  for holiday work is excluded from it and credited instead).
- Rates are kept to 4 decimals (half up); each line's amount is rounded half up to the cent,
  and a statement's gross is the exact sum of its lines.
- A timesheet approved after its period's run was approved is paid in the next run: its
  workweek is recomputed with it, and the difference from what was paid is added as
  correction lines pointing at the run they correct (weekly overtime may move too). A
  timesheet staff corrected after an approved run paid it (placements TimesheetCorrection)
  is settled the same way, in the weeks it was paid in and the weeks it now falls in.
- A calculated run is stale once a timesheet of its weeks (or of earlier weeks it settles)
  is corrected: payroll learns it from placements' corrections (selectors.run_is_stale), the
  run page says so and approval is refused until the run is calculated again.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.bulk import copy_pieces, copy_rows
from alliedup.tasks import enqueue
from payroll import selectors
from payroll.models import PayLine, PayPeriod, PayRun
from payroll.services.pay_lines import (
    correction_lines, line_stream, manual_lines, missing_wage_errors, sick_lines, statements_and_deductions,
)
from placements import selectors as placements
from placements.selectors import approved_timesheets
from placements.services.timesheets import timesheet_corrections_settle
from worktime.overtime import workweek_start
from worktime.selectors import holidays_between

LOOKBACK_DAYS = 91  # how far back a late timesheet is still picked up by the next run


def run_lock(run: PayRun) -> PayRun:
    """The run again, its row locked until the transaction ends, with period and co-op loaded.
    Raises ValidationError when it is final (approved): a final run never changes."""
    run = PayRun.objects.select_for_update().select_related("period", "cooperative").get(pk=run.pk)
    if run.is_final:
        raise ValidationError("This pay run is approved and can no longer change; corrections go into the next run.")
    return run


def earlier_runs_final(run: PayRun) -> None:
    """Raises ValidationError when a run of an earlier period is not approved yet."""
    if PayRun.objects.filter(cooperative_id=run.cooperative_id, period__starts_on__lt=run.period.starts_on).exclude(
            status__in=PayRun.FINAL).exists():
        raise ValidationError("An earlier pay run is not approved yet; approve it first.")


@transaction.atomic
def payrun_calculate(*, run: PayRun, calculated_by=None) -> PayRun:
    """(Re)calculate the run's lines, deductions and statements from approved timesheets.

    Raises ValidationError, writing nothing, when a worked hour has no CBA wage (every such
    timesheet is named) or the run is final."""
    run = run_lock(run)
    earlier_runs_final(run)
    # The moment the inputs are read: a timesheet corrected from then on makes the run stale
    # (selectors.run_is_stale), so it is kept as calculated_at (not the end of the work).
    started = timezone.now()
    coop, period = run.cooperative, run.period
    run.lines.filter(is_manual=False).delete()
    run.deductions.all().delete()
    run.statements.all().delete()

    first_start = PayPeriod.objects.order_by("starts_on").values_list("starts_on", flat=True).first()
    lookback = max(period.starts_on - timedelta(days=LOOKBACK_DAYS), first_start)
    agreement = selectors.agreement_on(coop, period.ends_on)

    current = approved_timesheets(coop, period.starts_on, period.ends_on)
    # Weeks an approved run paid that must be paid again: timesheets approved late, and
    # approved timesheets staff corrected since (whatever their age: the week a correction
    # moves hours out of is reopened too).
    corrections = _pending_corrections(coop, period)
    reopened = _reopened_weeks(coop, {t for _, t in corrections}, period.starts_on)
    since = min([lookback, *(week for _, week in reopened)])
    book = selectors.WageBook(coop, since, period.ends_on)
    holidays = holidays_between(coop, since - timedelta(days=7), period.ends_on + timedelta(days=7))
    late_ids = set(_late_timesheet_ids(coop, lookback, period.starts_on)) | {t for _, t in corrections}
    late = approved_timesheets(coop, since, period.starts_on - timedelta(days=1), timesheet_ids=late_ids) if late_ids else []
    worker_ids = {t.worker_id for t in current} | {t.worker_id for t in late} | {w for w, _ in reopened}
    steps = selectors.worker_steps(agreement, worker_ids, period.starts_on)

    pieces, week_rates, missing = line_stream(coop, current, book, steps, holidays, in_days=(period.starts_on, period.ends_on))
    # Everything that reads the database comes before the COPY; the period's lines are priced
    # by a thread while PostgreSQL writes and checks the piece before (line_stream,
    # copy_pieces), and kept for the statements. On an error the transaction is rolled back,
    # so nothing stays written.
    late_errors: list[str] = []
    corrected = correction_lines(coop, run, late, book, steps, late_errors, holidays, reopened=reopened) if late or reopened else []
    same = {"cooperative_id": coop.pk, "run_id": run.pk}
    manual = manual_lines(run)
    lines: list[dict] = []
    copy_pieces(PayLine, [*(_kept(piece, lines) for piece in pieces), _kept(corrected, lines)], same=same)
    errors = missing_wage_errors(missing) + late_errors
    sick = sick_lines(coop, run, lookback, book, steps, week_rates, errors, agreement=agreement)
    if errors:
        raise ValidationError(errors)
    copy_rows(PayLine, sick, same=same)
    lines += sick
    timesheet_corrections_settle(correction_ids=[c for c, _ in corrections], run=run)
    statements_and_deductions(run, agreement, lines, manual)
    run.status, run.calculated_at, run.calculated_by = PayRun.Status.CALCULATED, started, calculated_by
    run.calculation_queued_at, run.calculation_error = None, ""
    run.save(update_fields=["status", "calculated_at", "calculated_by", "calculation_queued_at", "calculation_error"])
    audit_log(cooperative=coop, action="payroll.run.calculated", user=calculated_by, obj=run,
              data={"lines": len(lines), **{k: str(v) for k, v in selectors.run_totals(run).items()}})
    return run


def _kept(rows, into: list):
    """`rows` as they pass, each appended to `into`."""
    for row in rows:
        into.append(row)
        yield row


def payrun_calculate_or_queue(*, run: PayRun, calculated_by=None) -> bool:
    """Calculate the run now when its period holds at most settings.PAYRUN_INLINE_TIMESHEETS
    approved timesheets (a few seconds at most: staff see the result at once), else queue it
    for the worker (`payroll.tasks.payrun_calculate_task`) so no web request waits on a big
    co-op's run. Returns True when queued. Raises ValidationError as payrun_calculate does
    (inline), or when the run is final or already queued."""
    timesheets = placements.approved_timesheet_count(run.cooperative, run.period.starts_on, run.period.ends_on)
    if timesheets <= settings.PAYRUN_INLINE_TIMESHEETS:
        payrun_calculate(run=run, calculated_by=calculated_by)
        return False
    _queue(run, calculated_by)
    return True


@transaction.atomic
def _queue(run: PayRun, calculated_by) -> None:
    from payroll.tasks import payrun_calculate_task  # noqa: PLC0415 (cycle: payroll.tasks runs payrun_calculate_queued from here)

    run = run_lock(run)
    earlier_runs_final(run)
    if run.calculation_queued_at is not None:
        raise ValidationError("This run is being calculated already.")
    run.calculation_queued_at, run.calculation_error = timezone.now(), ""
    run.save(update_fields=["calculation_queued_at", "calculation_error"])
    enqueue(payrun_calculate_task, cooperative=run.cooperative, run_id=run.pk,
            user_id=calculated_by.pk if calculated_by is not None else None)


def payrun_calculate_queued(*, run: PayRun, calculated_by=None) -> bool:
    """The worker's side of a queued calculation: calculate, or record why it was refused
    (the run stays as it was). False when nothing is queued (a duplicate delivery)."""
    if not PayRun.objects.filter(pk=run.pk, calculation_queued_at__isnull=False).exists():
        return False
    try:
        payrun_calculate(run=run, calculated_by=calculated_by)
    except ValidationError as exc:
        PayRun.objects.filter(pk=run.pk).update(calculation_queued_at=None, calculation_error="\n".join(exc.messages))
    return True


def _pending_corrections(coop, period: PayPeriod) -> list[tuple[int, int]]:
    """(correction id, timesheet id) of timesheet corrections no approved run has paid yet,
    for timesheets that clocked in by the end of the period (later ones are its successors')."""
    return placements.corrections_to_pay(coop, period.ends_on, settled_runs=PayRun.objects.filter(status__in=PayRun.FINAL))


def _reopened_weeks(coop, timesheet_ids, period_start: date) -> set[tuple[int, date]]:
    """(worker, workweek) before the period in which approved runs paid these timesheets."""
    if not timesheet_ids:
        return set()
    paid = PayLine.objects.filter(run__status__in=PayRun.FINAL, timesheet_id__in=timesheet_ids, workday__lt=period_start)
    return {(w, workweek_start(d, coop.workweek_start)) for w, d in paid.values_list("worker_id", "workday").distinct()}


def _late_timesheet_ids(coop, lookback: date, period_start: date) -> list[int]:
    """Approved timesheets that clocked in before the period (within the lookback) and
    have no line in any approved run: approved after their own period's run."""
    paid = PayLine.objects.filter(cooperative=coop, run__status__in=PayRun.FINAL, timesheet__isnull=False,
                                  workday__gte=lookback - timedelta(days=1))
    return placements.approved_timesheet_ids(coop, lookback, period_start, exclude_ids=paid.values("timesheet_id"))
