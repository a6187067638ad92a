"""The lines of a pay run and what they add up to: straight time at the CBA wage with the
wage floor, shift differentials, overtime and holiday premiums on the week's regular rate,
corrections of weeks earlier runs paid, paid sick leave; then each worker's statement and
deductions (union dues, equity installments) and the sick leave they earn. Called by
payroll.services.runs_calculate (the money rules are in its docstring) and runs_approve."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain

from alliedup.bulk import copy_rows
from alliedup.money import ZERO, rate_text, to_cents
from members.selectors import classifications_qs, installments_due, primary_classifications
from payroll import selectors
from payroll.models import CollectiveAgreement, PayDeduction, PayLine, PayPeriod, PayRun, PayStatement, SickLeaveEntry
from placements.selectors import approved_timesheets, billing_by_worker
from worktime.overtime import split_overtime, window_hours, workweek_start

CENT = Decimal("0.01")
HUNDREDTH = Decimal("0.01")
HALF, ONE = Decimal("0.5"), Decimal("1.0")
Kind = PayLine.Kind
NOT_BILLED = {"bill_rate": None, "bill_amount": ZERO, "absorbed": ZERO}  # _floor of a segment without a bill rate


def compute_lines(coop, timesheets, book, steps, errors, holidays: dict[date, str], *, in_days: tuple[date, date]):
    """Pay lines for the segments of `timesheets` on workdays in `in_days` (whole workweeks),
    and the regular rate of each (worker, workweek). `timesheets` holds every approved
    timesheet of those weeks and `holidays` the calendar over them, so billing reads no more.
    A worked hour without a CBA wage gets no line and a message in `errors`."""
    pieces, week_rates, missing = line_stream(coop, timesheets, book, steps, holidays, in_days=in_days)
    lines = [line for piece in pieces for line in piece]
    errors += missing_wage_errors(missing)
    return lines, week_rates


PIECES = 8  # a run's lines are written in this many COPYs (alliedup.bulk.copy_pieces), whatever its size


def line_stream(coop, timesheets, book, steps, holidays: dict[date, str], *, in_days: tuple[date, date]):
    """compute_lines as (PIECES iterators of the lines, each of a share of the workers; the
    regular rates; the hours without a wage): billing's inputs are read now, and the iterators
    run no query, so another thread may price one piece while PostgreSQL writes and checks the
    one before (alliedup.bulk.copy_pieces). The rates and the list of hours without a wage
    ((worker name, classification id, workday, timesheet uuid), for `missing_wage_errors`)
    are complete once every piece is consumed."""
    billed_for = billing_by_worker(coop, timesheets, context=timesheets, holidays=holidays)
    week_rates: dict = {}
    missing: list[tuple] = []
    by_worker = defaultdict(list)
    for t in timesheets:  # not t.segments yet: each worker's are cut as their lines are priced
        by_worker[t.worker_id].append(t)
    workers = list(by_worker.items())
    size = max(1, -(-len(workers) // PIECES))
    pieces = [_priced_lines(coop, workers[i:i + size], book, steps, holidays, in_days, billed_for, week_rates, missing)
              for i in range(0, len(workers), size)]
    return pieces, week_rates, missing


def missing_wage_errors(missing: list[tuple]) -> list[str]:
    """The messages for hours without a CBA wage (line_stream), naming each classification
    (one query when there are any)."""
    if not missing:
        return []
    names = dict(classifications_qs(ids={c for _, c, _, _ in missing}).values_list("id", "name"))
    return [f"{worker}: no CBA wage for {names.get(c)} on {workday} (timesheet {uuid}); add a wage table."
            for worker, c, workday, uuid in missing]


def _priced_lines(coop, workers, book, steps, holidays, in_days, billed_for, week_rates, missing):
    """The generator behind line_stream: for each (worker id, timesheets) of `workers`, straight
    time, differentials, overtime and holiday premiums (no query: the wage book, billing and
    the calendar are in memory)."""
    first, last = in_days
    zone, week_day = coop.zone, coop.workweek_start
    weeks: dict[date, date] = {}  # workday → its workweek's first day

    def week_of(day: date) -> date:
        if day not in weeks:
            weeks[day] = workweek_start(day, week_day)
        return weeks[day]

    # A run prices tens of thousands of segments from a few hundred distinct inputs: each
    # value below is worked out once per distinct key (the same arithmetic, so the same result).
    differentials: dict[tuple, list] = {}  # (table, classification) → the differentials that apply
    window: dict[tuple, Decimal] = {}  # (start, end, hours, differential) → differential hours
    diff_rates: dict[tuple, Decimal] = {}  # (differential, wage) → its hourly rate
    diff_names: dict[int, str] = {}  # differential → its lines' description
    floors: dict[tuple, dict] = {}  # what a segment bills → the wage-floor columns (_floor)
    rules: dict = {}  # wage table → its overtime rules
    premiums: dict[Decimal, str] = {}  # regular rate → the premium lines' description
    premium_rates: dict[tuple, Decimal] = {}  # (regular rate, factor) → premium rate
    for worker_id, worked in workers:
        pairs = [(t, segment) for t in worked for segment in t.segments if first <= segment.workday <= last]
        if not pairs:
            continue
        billed = billed_for(worker_id)
        straight: dict[date, list[Decimal]] = {}  # week → [pay, hours]
        first_table = None
        tables = {}  # segment key → its wage table (whose agreement sets the holiday premium)
        segment_lines = []
        for t, segment in pairs:
            classification_id, workday, worked = t.classification_id, segment.workday, segment.hours
            found = book.wage(classification_id, steps.get((worker_id, classification_id), 1), workday)
            if found is None:
                missing.append((t.worker_name, classification_id, workday, t.uuid))
                continue
            wage, applied, table = found
            first_table = first_table or table
            tables[segment.key] = table
            pay = worked * wage
            regular = {
                "worker_id": worker_id, "workday": workday, "kind": Kind.REGULAR, "classification_id": classification_id,
                "timesheet_id": t.id, "hours": worked, "rate": wage, "amount": pay.quantize(CENT, ROUND_HALF_UP),
                "description": f"Step {applied}", "client_id": t.client_id,
            }
            billed_segment = billed.get(segment.key)
            if billed_segment is None or billed_segment.bill_rate is None:
                regular.update(NOT_BILLED)
            else:
                split = billed_segment.split
                floor_key = (billed_segment.bill_rate, split.regular, split.overtime, split.double_time, billed_segment.holiday,
                             billed_segment.holiday_multiplier, billed_segment.overtime_multiplier,
                             billed_segment.double_time_multiplier, wage)
                floor = floors.get(floor_key)
                if floor is None:
                    floor = floors[floor_key] = _floor(billed_segment, wage)
                regular.update(floor)
            segment_lines.append(regular)
            key = (table.pk, classification_id)
            applying = differentials.get(key)
            if applying is None:
                applying = differentials[key] = book.differentials(table, classification_id)
            for diff in applying:
                window_key = (segment.start, segment.end, worked, diff.kind, diff.window_start, diff.window_end)
                hours = window.get(window_key)
                if hours is None:
                    hours = window[window_key] = min(
                        window_hours(segment.start, segment.end, zone, kind=diff.kind, window_start=diff.window_start,
                                     window_end=diff.window_end),
                        worked,
                    ).quantize(HUNDREDTH, ROUND_HALF_UP)
                if hours <= 0:
                    continue
                rate = diff_rates.get((diff.pk, wage))
                if rate is None:
                    rate = diff_rates[(diff.pk, wage)] = (
                        diff.amount if diff.basis == diff.Basis.PER_HOUR else selectors.to_rate(wage * diff.amount / 100))
                if diff.pk not in diff_names:
                    diff_names[diff.pk] = f"{diff.get_kind_display()} differential"
                amount = hours * rate
                pay += amount
                segment_lines.append({
                    "worker_id": worker_id, "workday": workday, "kind": Kind.DIFFERENTIAL,
                    "classification_id": classification_id, "timesheet_id": t.id, "hours": hours, "rate": rate,
                    "amount": amount.quantize(CENT, ROUND_HALF_UP), "description": diff_names[diff.pk],
                })
            week = week_of(workday)
            totals = straight.get(week)
            if totals is None:
                straight[week] = [ZERO + pay, ZERO + worked]
            else:
                totals[0] += pay
                totals[1] += worked
        if first_table not in rules:
            rules[first_table] = book.rules(first_table)
        splits = split_overtime([s for _, s in pairs], week_start_weekday=week_day, rules=rules[first_table])
        for week, (pay, hours) in straight.items():
            week_rates[(worker_id, week)] = selectors.to_rate(pay / hours) if hours else ZERO
        for t, segment in pairs:
            split = splits.get(segment.key)
            regular_rate = week_rates.get((worker_id, week_of(segment.workday)))
            if split is None or regular_rate is None:
                continue
            for kind, hours, factor in ((Kind.OVERTIME, split.overtime, HALF), (Kind.DOUBLE_TIME, split.double_time, ONE)):
                if hours > 0:
                    rate = premium_rates.get((regular_rate, factor))
                    if rate is None:
                        rate = premium_rates[(regular_rate, factor)] = selectors.to_rate(regular_rate * factor)
                    description = premiums.get(regular_rate)
                    if description is None:
                        description = premiums[regular_rate] = f"Premium on regular rate ${rate_text(regular_rate)}"
                    segment_lines.append({
                        "worker_id": worker_id, "workday": segment.workday, "kind": kind, "classification_id": t.classification_id,
                        "timesheet_id": t.id, "hours": hours, "rate": rate, "amount": (hours * rate).quantize(CENT, ROUND_HALF_UP),
                        "description": description,
                    })
            if segment.workday in holidays and segment.key in tables:
                segment_lines += _holiday_lines(worker_id, t, segment, split, regular_rate, tables[segment.key],
                                                holidays[segment.workday])
        yield from segment_lines


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
            # lines, and correction_lines matches lines by their description.
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


def correction_lines(coop, run, late, book, steps, errors, holidays, *, reopened=frozenset()) -> list[dict]:
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
        lines, _ = compute_lines(coop, context, book, period_steps, errors, holidays, in_days=(since, until))
        new_lines += [ln for ln in lines if (ln["worker_id"], workweek_start(ln["workday"], coop.workweek_start)) in group]
    old = PayLine.objects.filter(
        run__status__in=PayRun.FINAL, worker_id__any_of=worker_ids, workday__gte=first, workday__lte=last, timesheet__isnull=False,
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


def sick_lines(coop, run, lookback, book, steps, week_rates, errors, *, agreement) -> list[dict]:
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
    primary = primary_classifications({e.worker_id for e in entries})
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


def manual_lines(run: PayRun) -> list[dict]:
    """The run's manual lines (staff adjustments) as statements_and_deductions adds them up."""
    return list(run.lines.filter(is_manual=True).values("worker_id", "kind", "hours", "amount"))


def statements_and_deductions(run: PayRun, agreement: CollectiveAgreement | None, lines: list[dict], manual: list[dict]) -> None:
    """Statements and deductions from the calculated `lines` and the run's `manual_lines`
    (read before the calculation's COPY: after it, finding them among the new lines costs a
    scan of the run's lines)."""
    coop = run.cooperative
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])  # worker → [gross, hours worked]
    for line in chain(lines, manual):
        totals[line["worker_id"]][0] += line["amount"]
        if line["kind"] == Kind.REGULAR:
            totals[line["worker_id"]][1] += line["hours"]
    equity = installments_due(list(totals), run.period.pay_date)
    balances = selectors.sick_balances(list(totals), exclude_run=run)
    caps = selectors.sick_caps(coop, list(totals), run.period.ends_on + timedelta(days=1))
    deductions, statements = [], []
    dues_kind, equity_kind = PayDeduction.Kind.UNION_DUES, PayDeduction.Kind.EQUITY
    for worker_id, (gross, hours) in totals.items():
        taken = ZERO
        dues = _dues(agreement, gross)
        if dues > 0:
            deductions.append({"worker_id": worker_id, "kind": dues_kind, "amount": dues, "description": agreement.union})
            taken += dues
        if worker_id in equity:
            amount = min(equity[worker_id][1], gross - taken)
            if amount > 0:
                deductions.append({"worker_id": worker_id, "kind": equity_kind, "amount": amount,
                                   "description": "Membership equity installment"})
                taken += amount
        balance = balances.get(worker_id) or ZERO
        statements.append({
            "worker_id": worker_id, "hours_worked": hours, "gross": gross, "deductions": taken,
            "sick_hours_available": (balance + sick_accrual(coop, hours, balance, cap=caps[worker_id].accrual)).quantize(
                HUNDREDTH, ROUND_HALF_UP),
        })
    same = {"cooperative_id": coop.pk, "run_id": run.pk}
    copy_rows(PayDeduction, deductions, same=same)
    copy_rows(PayStatement, statements, same=same)


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
