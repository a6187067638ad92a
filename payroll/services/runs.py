"""Pay runs: calculate a period's pay from approved timesheets under the CBA, approve it
(final from then on), and carry corrections into the next run.

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

from collections import defaultdict
from itertools import chain
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.bulk import copy_rows
from alliedup.money import money_text, rate_text, to_cents
from members.models import EquityEntry, JobClassification, Worker, WorkerClassification
from members.selectors import installments_due
from payroll import notices, selectors
from payroll.models import (
    REASON_MAX_LENGTH, CollectiveAgreement, PayDeduction, PayLine, PayPeriod, PayRun, PayStatement, SickLeaveEntry,
)
from placements import selectors as placements
from placements.selectors import approved_timesheets, billed_segments
from placements.services.timesheets import timesheet_corrections_settle
from worktime.overtime import split_overtime, window_hours, workweek_start
from worktime.selectors import holidays_between

ZERO = Decimal("0.00")
STALE_MESSAGE = "Timesheets of this run were corrected after it was calculated; recalculate first."
LOOKBACK_DAYS = 91  # how far back a late timesheet is still picked up by the next run
Kind = PayLine.Kind


def _lock(run: PayRun) -> PayRun:
    run = PayRun.objects.select_for_update().select_related("period", "cooperative").get(pk=run.pk)
    if run.is_final:
        raise ValidationError("This pay run is approved and can no longer change; corrections go into the next run.")
    return run


def _earlier_runs_final(run: PayRun) -> None:
    if PayRun.objects.filter(cooperative_id=run.cooperative_id, period__starts_on__lt=run.period.starts_on).exclude(
            status__in=PayRun.FINAL).exists():
        raise ValidationError("An earlier pay run is not approved yet; approve it first.")


@transaction.atomic
def payrun_calculate(*, run: PayRun, calculated_by=None) -> PayRun:
    """(Re)calculate the run's lines, deductions and statements from approved timesheets.

    Raises ValidationError, writing nothing, when a worked hour has no CBA wage (every such
    timesheet is named) or the run is final."""
    run = _lock(run)
    _earlier_runs_final(run)
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

    errors: list[str] = []
    lines, week_rates = _compute(coop, current, book, steps, errors, holidays, in_days=(period.starts_on, period.ends_on))
    if late or reopened:
        lines += _corrections(coop, run, late, book, steps, errors, holidays, reopened=reopened)
    lines += _sick_lines(coop, run, lookback, book, steps, week_rates, errors, agreement=agreement)
    if errors:
        raise ValidationError(errors)
    copy_rows(PayLine, ({"cooperative_id": coop.pk, "run_id": run.pk, **line} for line in lines))
    timesheet_corrections_settle(correction_ids=[c for c, _ in corrections], run=run)
    _statements_and_deductions(run, agreement, lines)
    run.status, run.calculated_at, run.calculated_by = PayRun.Status.CALCULATED, started, calculated_by
    run.calculation_queued_at, run.calculation_error = None, ""
    run.save(update_fields=["status", "calculated_at", "calculated_by", "calculation_queued_at", "calculation_error"])
    audit_log(cooperative=coop, action="payroll.run.calculated", user=calculated_by, obj=run,
              data={"lines": len(lines), **{k: str(v) for k, v in selectors.run_totals(run).items()}})
    return run


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
    from alliedup.tasks import enqueue
    from payroll.tasks import payrun_calculate_task

    run = _lock(run)
    _earlier_runs_final(run)
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


def _compute(coop, timesheets, book, steps, errors, holidays: dict[date, str], *, in_days: tuple[date, date]):
    """Pay lines for the segments of `timesheets` on workdays in `in_days` (whole workweeks),
    and the regular rate of each (worker, workweek). `timesheets` holds every approved
    timesheet of those weeks and `holidays` the calendar over them, so billing reads no more."""
    first, last = in_days
    billed = billed_segments(coop, timesheets, context=timesheets, holidays=holidays)
    by_worker = defaultdict(list)
    for t in timesheets:
        for segment in t.segments:
            if first <= segment.workday <= last:
                by_worker[t.worker_id].append((t, segment))
    lines, week_rates = [], {}
    zone, week_day = coop.zone, coop.workweek_start
    weeks: dict[date, date] = {}  # workday → its workweek's first day

    def week_of(day: date) -> date:
        if day not in weeks:
            weeks[day] = workweek_start(day, week_day)
        return weeks[day]

    differentials: dict[tuple, list] = {}  # (table, classification) → the differentials that apply
    for worker_id, pairs in by_worker.items():
        straight: dict[date, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])  # week → [pay, hours]
        first_table = None
        tables = {}  # segment key → its wage table (whose agreement sets the holiday premium)
        segment_lines = []
        for t, segment in pairs:
            step = steps.get((worker_id, t.classification_id), 1)
            found = book.wage(t.classification_id, step, segment.workday)
            if found is None:
                name = JobClassification.objects.filter(pk=t.classification_id).values_list("name", flat=True).first()
                errors.append(f"{t.worker_name}: no CBA wage for {name} on {segment.workday} (timesheet {t.uuid}); add a wage table.")
                continue
            wage, applied, table = found
            first_table = first_table or table
            tables[segment.key] = table
            week = week_of(segment.workday)
            pay = segment.hours * wage
            regular = {
                "worker_id": worker_id, "workday": segment.workday, "kind": Kind.REGULAR, "classification_id": t.classification_id,
                "timesheet_id": t.id, "hours": segment.hours, "rate": wage, "amount": to_cents(pay),
                "description": f"Step {applied}", "client_id": t.client_id, **_floor(billed.get(segment.key), wage),
            }
            segment_lines.append(regular)
            key = (table.pk, t.classification_id)
            if key not in differentials:
                differentials[key] = book.differentials(table, t.classification_id)
            for diff in differentials[key]:
                hours = min(window_hours(segment.start, segment.end, zone, kind=diff.kind,
                                         window_start=diff.window_start, window_end=diff.window_end), segment.hours)
                hours = hours.quantize(Decimal("0.01"), ROUND_HALF_UP)
                if hours <= 0:
                    continue
                rate = diff.amount if diff.basis == diff.Basis.PER_HOUR else selectors.to_rate(wage * diff.amount / 100)
                pay += hours * rate
                segment_lines.append({
                    "worker_id": worker_id, "workday": segment.workday, "kind": Kind.DIFFERENTIAL,
                    "classification_id": t.classification_id, "timesheet_id": t.id, "hours": hours, "rate": rate,
                    "amount": to_cents(hours * rate), "description": f"{diff.get_kind_display()} differential",
                })
            straight[week][0] += pay
            straight[week][1] += segment.hours
        splits = split_overtime([s for _, s in pairs], week_start_weekday=week_day, rules=book.rules(first_table))
        for week, (pay, hours) in straight.items():
            week_rates[(worker_id, week)] = selectors.to_rate(pay / hours) if hours else ZERO
        for t, segment in pairs:
            split = splits.get(segment.key)
            regular_rate = week_rates.get((worker_id, week_of(segment.workday)))
            if split is None or regular_rate is None:
                continue
            for kind, hours, factor in ((Kind.OVERTIME, split.overtime, Decimal("0.5")), (Kind.DOUBLE_TIME, split.double_time, Decimal("1.0"))):
                if hours > 0:
                    rate = selectors.to_rate(regular_rate * factor)
                    segment_lines.append({
                        "worker_id": worker_id, "workday": segment.workday, "kind": kind, "classification_id": t.classification_id,
                        "timesheet_id": t.id, "hours": hours, "rate": rate, "amount": to_cents(hours * rate),
                        "description": f"Premium on regular rate ${rate_text(regular_rate)}",
                    })
            if segment.workday in holidays and segment.key in tables:
                segment_lines += _holiday_lines(worker_id, t, segment, split, regular_rate, tables[segment.key],
                                                holidays[segment.workday])
        lines += segment_lines
    return lines, week_rates


# The premium an hour already earns by its kind of hours, as a multiple of the regular rate.
EARNED_PREMIUM = (("regular", Decimal("0")), ("overtime", Decimal("0.5")), ("double_time", Decimal("1.0")))


def _holiday_lines(worker_id, t, segment, split, regular_rate: Decimal, table, name: str) -> list[dict]:
    """Holiday premium lines of a segment worked on a holiday: per kind of hours, the
    agreement's holiday multiplier − 1 less the overtime premium those hours already earn."""
    extra = table.agreement.holiday_multiplier - 1
    by_factor: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)  # premium factor → hours
    for attr, earned in EARNED_PREMIUM:
        hours = getattr(split, attr)
        if hours > 0 and extra > earned:
            by_factor[extra - earned] += hours
    out = []
    for factor, hours in by_factor.items():
        rate = selectors.to_rate(regular_rate * factor)
        out.append({
            "worker_id": worker_id, "workday": segment.workday, "kind": Kind.HOLIDAY, "classification_id": t.classification_id,
            "timesheet_id": t.id, "hours": hours, "rate": rate, "amount": to_cents(hours * rate),
            # The factor is in the description: at ×2.00 a segment with overtime has two HOL
            # lines, and _corrections matches lines by their description.
            "description": f"Holiday premium {factor}×, {name}, on regular rate ${rate_text(regular_rate)}"[:200],
        })
    return out


def _floor(billed, wage: Decimal) -> dict:
    """What the client is billed for a segment, and what the co-op absorbs where the bill
    rate is under the CBA wage: (wage − bill rate) on each billed hour, times its multiplier."""
    if billed is None or billed.bill_rate is None:
        return {"bill_rate": None, "bill_amount": ZERO, "absorbed": ZERO}
    shortfall = max(ZERO, wage - billed.bill_rate)
    weighted = (billed.split.regular * billed.regular_multiplier + billed.split.overtime * billed.overtime_rate_multiplier
                + billed.split.double_time * billed.double_time_rate_multiplier)
    return {"bill_rate": billed.bill_rate, "bill_amount": billed.total, "absorbed": to_cents(shortfall * weighted)}


def _corrections(coop, run, late, book, steps, errors, holidays, *, reopened=frozenset()) -> list[dict]:
    """Recompute the earlier workweeks holding the `late` timesheets, and the `reopened`
    (worker, week) pairs, and return the differences from what approved runs paid for them,
    as correction lines."""
    weeks = {(t.worker_id, workweek_start(s.workday, coop.workweek_start)) for t in late for s in t.segments
             if s.workday < run.period.starts_on} | set(reopened)
    if not weeks:
        return []
    worker_ids = {w for w, _ in weeks}
    first = min(w for _, w in weeks)
    last = run.period.starts_on - timedelta(days=1)
    new_lines = []
    # Each earlier period is recomputed with the wage steps its own run used (steps on its
    # first day, under the agreement in force on its last): a step earned since must not
    # reprice a week already paid. A few queries per period reopened, not per worker.
    for period, group in _by_period(coop, weeks, first, last).items():
        workers = {w for w, _ in group}
        since, until = min(week for _, week in group), max(week for _, week in group) + timedelta(days=6)
        period_steps = steps if period is None else selectors.worker_steps(
            selectors.agreement_on(coop, period.ends_on), workers, period.starts_on)
        context = approved_timesheets(coop, since, until, worker_ids=workers)
        lines, _ = _compute(coop, context, book, period_steps, errors, holidays, in_days=(since, until))
        new_lines += [ln for ln in lines if (ln["worker_id"], workweek_start(ln["workday"], coop.workweek_start)) in group]
    old = PayLine.objects.filter(
        run__status__in=PayRun.FINAL, worker_id__in=worker_ids, workday__gte=first, workday__lte=last, timesheet__isnull=False,
    ).exclude(kind=Kind.SICK).values("worker_id", "workday", "kind", "classification_id", "timesheet_id", "description",
                                     "hours", "rate", "amount", "client_id", "bill_rate", "bill_amount", "absorbed", "run_id")
    totals: dict[tuple, dict] = {}
    for line in new_lines:
        entry = totals.get(_key(line))
        if entry is not None:  # two new lines alike: add them up, never drop one
            for field in ("hours", "amount", "bill_amount", "absorbed"):
                entry[field] += line.get(field) or ZERO
            continue
        totals[_key(line)] = {"client_id": None, "bill_rate": None, "bill_amount": ZERO, "absorbed": ZERO, **line,
                              "corrects_run_id": None}
    paid_by: dict[tuple, int] = {}  # (worker, week) → the latest approved run that paid it
    for line in old:
        week_key = (line["worker_id"], workweek_start(line["workday"], coop.workweek_start))
        if week_key not in weeks:
            continue
        paid_by[week_key] = max(paid_by.get(week_key, 0), line["run_id"])
        entry = totals.setdefault(_key(line), {**{k: v for k, v in line.items() if k != "run_id"},
                                               "hours": ZERO, "amount": ZERO, "bill_amount": ZERO, "absorbed": ZERO})
        entry["description"] = _base_description(line["description"])
        for field in ("hours", "amount", "bill_amount", "absorbed"):
            entry[field] -= line[field]
    out = []
    for line in totals.values():
        if line["hours"] == 0 and line["amount"] == 0 and line["bill_amount"] == 0:
            continue
        week = workweek_start(line["workday"], coop.workweek_start)
        line["corrects_run_id"] = paid_by.get((line["worker_id"], week))
        line["description"] = f"Correction, week of {week:%b %d}: {line['description']}".strip()[:200]
        out.append(line)
    return out


def _by_period(coop, weeks: set[tuple[int, date]], first: date, last: date) -> dict:
    """{pay period (None: a week before any period): the (worker, week) pairs in it}."""
    periods = list(PayPeriod.objects.filter(cooperative=coop, ends_on__gte=first, starts_on__lte=last).order_by("starts_on"))
    groups: dict = defaultdict(set)
    for worker_id, week in weeks:
        groups[next((p for p in periods if p.starts_on <= week <= p.ends_on), None)].add((worker_id, week))
    return groups


CORRECTION_PREFIX = "Correction, week of "


def _base_description(description: str) -> str:
    """A line's description without the correction prefix (so a second correction of the
    same week matches the first one's lines)."""
    if description.startswith(CORRECTION_PREFIX) and ": " in description:
        return description.split(": ", 1)[1]
    return description


def _key(line) -> tuple:
    return (line["timesheet_id"], line["workday"], line["kind"], _base_description(line["description"]))


def _sick_lines(coop, run, lookback, book, steps, week_rates, errors, *, agreement) -> list[dict]:
    """Used paid sick leave (recorded, not yet paid in an approved run) at the regular rate of
    that workweek, or the worker's base wage when they worked no hours that week."""
    entries = list(
        SickLeaveEntry.objects.filter(kind=SickLeaveEntry.Kind.USED, workday__gte=lookback, workday__lte=run.period.ends_on)
        .exclude(run__status__in=PayRun.FINAL).select_related("worker")
    )
    if not entries:
        return []
    # Workers paid only sick leave in this run have no step yet.
    without_step = {e.worker_id for e in entries} - {w for w, _ in steps}
    if without_step:
        steps = {**steps, **selectors.worker_steps(agreement, without_step, run.period.starts_on)}
    primary = {}
    for worker_id, classification_id in (
        WorkerClassification.objects.filter(worker_id__in={e.worker_id for e in entries}).order_by("since", "id")
        .values_list("worker_id", "classification_id")
    ):
        primary.setdefault(worker_id, classification_id)
    lines = []
    for entry in entries:
        rate = week_rates.get((entry.worker_id, workweek_start(entry.workday, coop.workweek_start)))
        classification_id = primary.get(entry.worker_id)
        if rate is None:
            found = book.wage(classification_id, steps.get((entry.worker_id, classification_id), 1), entry.workday) if classification_id else None
            if found is None:
                errors.append(f"{entry.worker}: no CBA wage to pay sick leave on {entry.workday}.")
                continue
            rate = found[0]
        hours = -entry.hours
        lines.append({
            "worker_id": entry.worker_id, "workday": entry.workday, "kind": Kind.SICK, "classification_id": classification_id,
            "hours": hours.quantize(Decimal("0.01"), ROUND_HALF_UP), "rate": rate, "amount": to_cents(hours * rate),
            "description": "Paid sick leave",
        })
    SickLeaveEntry.objects.filter(pk__in=[e.pk for e in entries]).update(run=run)
    return lines


def _statements_and_deductions(run: PayRun, agreement: CollectiveAgreement | None, lines: list[dict]) -> None:
    """Statements and deductions from the calculated `lines` and the run's manual ones."""
    coop = run.cooperative
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])  # worker → [gross, hours worked]
    manual = run.lines.filter(is_manual=True).values("worker_id", "kind", "hours", "amount")
    for line in chain(lines, manual):
        totals[line["worker_id"]][0] += line["amount"]
        if line["kind"] == Kind.REGULAR:
            totals[line["worker_id"]][1] += line["hours"]
    equity = installments_due(list(totals), run.period.pay_date)
    balances = selectors.sick_balances(list(totals), exclude_run=run)
    caps = selectors.sick_caps(coop, list(totals), run.period.ends_on + timedelta(days=1))
    deductions, statements = [], []
    for worker_id, (gross, hours) in totals.items():
        taken = ZERO
        dues = _dues(agreement, gross)
        if dues > 0:
            deductions.append(PayDeduction(cooperative=coop, run=run, worker_id=worker_id, kind=PayDeduction.Kind.UNION_DUES,
                                           amount=dues, description=agreement.union))
            taken += dues
        if worker_id in equity:
            amount = min(equity[worker_id][1], gross - taken)
            if amount > 0:
                deductions.append(PayDeduction(cooperative=coop, run=run, worker_id=worker_id, kind=PayDeduction.Kind.EQUITY,
                                               amount=amount, description="Membership equity installment"))
                taken += amount
        balance = balances.get(worker_id) or ZERO
        statements.append(PayStatement(
            cooperative=coop, run=run, worker_id=worker_id, hours_worked=hours, gross=gross, deductions=taken,
            sick_hours_available=(balance + sick_accrual(coop, hours, balance, cap=caps[worker_id].accrual)).quantize(
                Decimal("0.01"), ROUND_HALF_UP),
        ))
    copy_rows(PayDeduction, (_row(d) for d in deductions))
    copy_rows(PayStatement, (_row(s) for s in statements))


def _row(obj) -> dict:
    """A model instance as the {attname: value} row copy_rows takes (the database numbers it)."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def _dues(agreement: CollectiveAgreement | None, gross: Decimal) -> Decimal:
    """Union dues per the CBA: a percent of gross (capped per run) or a flat amount; never
    more than the gross, nothing on a run with no pay."""
    if agreement is None or gross <= 0:
        return ZERO
    if agreement.dues_kind == CollectiveAgreement.DuesKind.PERCENT:
        dues = to_cents(gross * agreement.dues_percent / 100)
        if agreement.dues_cap is not None:
            dues = min(dues, agreement.dues_cap)
    elif agreement.dues_kind == CollectiveAgreement.DuesKind.FLAT:
        dues = agreement.dues_flat
    else:
        return ZERO
    return min(dues, gross)


def sick_accrual(coop, hours_worked: Decimal, balance: Decimal, *, cap: Decimal) -> Decimal:
    """Paid sick leave earned by `hours_worked` (1 h per 30 h, fractional, to 4 decimals),
    no more than brings the balance to the worker's accrual cap (`selectors.sick_caps`: the
    greater of the co-op's hours and days, Labor Code §246)."""
    if hours_worked <= 0:
        return Decimal("0.0000")
    earned = (hours_worked / coop.sick_accrual_per_hours_worked).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return max(Decimal("0.0000"), min(earned, cap - balance))


class NegativePayRefused(ValidationError):
    """Approval refused: these statements (`statements`, from selectors.negative_pay) pay a
    worker less than nothing and no override reason was given."""

    def __init__(self, statements: list[PayStatement]):
        self.statements = statements
        names = "; ".join(f"{s.worker} (gross {money_text(s.gross)}, net {money_text(_net(s))})" for s in statements)
        super().__init__({"negative_override_reason": [
            f"Negative pay for {names}. Correct the run, or approve it with a reason for the override."]})


def _net(statement: PayStatement) -> Decimal:
    return statement.net if statement.net is not None else statement.gross - statement.deductions


def _negative_pay_override(run: PayRun, approved_by, reason: str | None) -> dict | None:
    """None when nobody in the run is paid less than nothing; else the override to record
    ({"reason", "statements"}). Raises NegativePayRefused without a reason, ValidationError
    for a reason over REASON_MAX_LENGTH, PermissionDenied for a user who may not approve runs
    (an override is an approval decision, so it needs the same role)."""
    from alliedup.permissions import can

    negative = selectors.negative_pay(run)
    if not negative:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise NegativePayRefused(negative)
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"negative_override_reason": [
            f"Keep the reason to {REASON_MAX_LENGTH} characters (it has {len(reason)})."]})
    if not can(approved_by, run.cooperative, "payroll.manage"):
        raise PermissionDenied("Only someone who may approve pay runs can approve negative pay.")
    return {"reason": reason, "statements": negative}


@transaction.atomic
def payrun_approve(*, run: PayRun, approved_by, negative_override_reason: str = "") -> PayRun:
    """Approve a calculated run: it becomes final; sick leave accrues and equity
    installments are posted to the members ledger, each once. A stale run (timesheets
    corrected since it was calculated, selectors.run_is_stale) is refused: recalculate first.

    A run in which any worker's gross or net is negative is refused (NegativePayRefused,
    naming them) unless `negative_override_reason` says why it must go out anyway; then who,
    when and why are kept on the run and audited with the workers concerned. Raises
    ValidationError, writing nothing, when the run is not calculated or an earlier one is
    not approved."""
    from members.services.equity import equity_payment_record

    run = _lock(run)
    if run.status != PayRun.Status.CALCULATED or run.calculation_queued_at is not None:
        raise ValidationError("Calculate the pay run (again) before approving it.")
    if selectors.run_is_stale(run):
        raise ValidationError(STALE_MESSAGE)
    _earlier_runs_final(run)
    coop = run.cooperative
    override = _negative_pay_override(run, approved_by, negative_override_reason)
    statements = list(run.statements.all())
    balances = selectors.sick_balances([s.worker_id for s in statements], exclude_run=run)
    caps = selectors.sick_caps(coop, [s.worker_id for s in statements], run.period.ends_on + timedelta(days=1))
    accruals = []
    for statement in statements:
        balance = balances.get(statement.worker_id) or ZERO
        earned = sick_accrual(coop, statement.hours_worked, balance, cap=caps[statement.worker_id].accrual)
        accruals.append(SickLeaveEntry(cooperative=coop, worker_id=statement.worker_id, kind=SickLeaveEntry.Kind.ACCRUED,
                                       hours=earned, workday=run.period.ends_on, run=run, note=f"Accrued in {run.reference}"))
        statement.sick_hours_available = (balance + earned).quantize(Decimal("0.01"), ROUND_HALF_UP)
    SickLeaveEntry.objects.bulk_create([a for a in accruals if a.hours > 0], batch_size=5000)
    PayStatement.objects.bulk_update(statements, ["sick_hours_available"], batch_size=5000)
    for deduction in run.deductions.filter(kind=PayDeduction.Kind.EQUITY).select_related("worker__equity_account"):
        equity_payment_record(account=deduction.worker.equity_account, amount=deduction.amount,
                              effective_on=run.period.pay_date, reference=run.reference,
                              kind=EquityEntry.Kind.PAYROLL_DEDUCTION, recorded_by=approved_by)
    now = timezone.now()
    run.status, run.approved_at, run.approved_by = PayRun.Status.APPROVED, now, approved_by
    fields = ["status", "approved_at", "approved_by"]
    if override is not None:
        run.negative_override_reason, run.negative_override_by, run.negative_override_at = override["reason"], approved_by, now
        fields += ["negative_override_reason", "negative_override_by", "negative_override_at"]
        audit_log(cooperative=coop, action="payroll.run.negative_pay_overridden", user=approved_by, obj=run, data={
            "reason": override["reason"],
            "workers": [{"worker": str(s.worker.uuid), "name": str(s.worker), "gross": str(s.gross), "net": str(_net(s))}
                        for s in override["statements"]],
        })
    run.save(update_fields=fields)
    audit_log(cooperative=coop, action="payroll.run.approved", user=approved_by, obj=run,
              data={k: str(v) for k, v in selectors.run_totals(run).items()})
    notices.pay_statements_ready(run=run)
    return run


def _decimal(value) -> Decimal | None:
    """`value` as a finite Decimal, or None when it is not a number."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _amount_error(coop, amount: Decimal | None) -> str | None:
    if amount is None or amount == 0 or amount.normalize().as_tuple().exponent < -2:
        return "Give a non-zero amount in whole cents."
    if abs(amount) > coop.adjustment_max_amount:
        return (f"An adjustment is at most {money_text(coop.adjustment_max_amount)} either way (the co-op's limit); "
                f"{money_text(amount)} is refused.")
    return None


def _hours_error(coop, hours: Decimal | None) -> str | None:
    if hours is None or hours.normalize().as_tuple().exponent < -2:
        return "Give the hours to the hundredth."
    if abs(hours) > coop.adjustment_max_hours:
        return f"An adjustment is at most {coop.adjustment_max_hours} hours either way (the co-op's limit); {hours} is refused."
    return None


def _reason_error(coop, reason: str) -> str | None:
    reason = (reason or "").strip()
    if not reason:
        return "Say what the adjustment is for."
    if len(reason) > REASON_MAX_LENGTH:
        return f"Keep the reason to {REASON_MAX_LENGTH} characters (it has {len(reason)})."
    return None


ADJUSTMENT_CHECKS = {"amount": _amount_error, "hours": _hours_error, "reason": _reason_error}


def adjustment_errors(*, cooperative, **values) -> dict[str, str]:
    """{field: why it is refused} for the adjustment figures given (any of amount, hours:
    Decimal, None when not a number; reason: text), {} when they are fine. The forms and
    serializers ask it before calling pay_adjustment_add, which asks it again. The bounds
    are the co-op's settings (issue 14: −$999,999,999 typed by mistake reached a worker's
    phone)."""
    errors = {field: ADJUSTMENT_CHECKS[field](cooperative, value) for field, value in values.items()}
    return {field: message for field, message in errors.items() if message}


@transaction.atomic
def pay_adjustment_add(*, run: PayRun, worker: Worker, amount, reason: str, hours=ZERO, corrects_run: PayRun | None = None,
                       workday: date | None = None, added_by=None) -> PayLine:
    """A staff correction (e.g. a missed premium from an approved run). The run goes back to
    draft: calculate it again to update statements and deductions.

    Raises ValidationError by field, writing nothing: an amount that is zero, not in whole
    cents or beyond the co-op's `adjustment_max_amount` either way; hours beyond its
    `adjustment_max_hours`; a reason empty or over REASON_MAX_LENGTH characters; a worker of
    another co-op; a corrected run that is not approved; a final run."""
    run = _lock(run)
    amount, hours, reason = _decimal(amount), _decimal(ZERO if hours is None else hours), (reason or "").strip()
    errors = adjustment_errors(cooperative=run.cooperative, amount=amount, hours=hours, reason=reason)
    if worker.cooperative_id != run.cooperative_id:
        errors["worker"] = "Unknown worker."
    if corrects_run is not None and not corrects_run.is_final:
        errors["corrects_run"] = "Only an approved run is corrected by an adjustment."
    if errors:
        raise ValidationError(errors)
    line = PayLine.objects.create(
        cooperative=run.cooperative, run=run, worker=worker, workday=workday or run.period.ends_on, kind=Kind.ADJUSTMENT,
        hours=hours.quantize(Decimal("0.01")), rate=ZERO, amount=amount.quantize(Decimal("0.01")), description=reason,
        corrects_run=corrects_run, is_manual=True, created_by=added_by,
    )
    run.status = PayRun.Status.DRAFT
    run.save(update_fields=["status"])
    audit_log(cooperative=run.cooperative, action="payroll.adjustment.added", user=added_by, obj=run,
              data={"worker": str(worker.uuid), "amount": str(amount), "hours": str(hours), "reason": reason})
    return line
