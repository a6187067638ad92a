"""Pay runs for staff: exceptions to review, negative pay, whether a run is stale, what waits
for approval, totals, and the pay rows patronage reads."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, Sum

from alliedup.models import Cooperative
from alliedup.money import money_text, sum_to_cents
from payroll.models import (
    PayLine,
    PayPeriod,
    PayRun,
    PayStatement,
)
from alliedup.money import ZERO
from placements import selectors as placements


@dataclass(frozen=True)
class RunException:
    kind: str  # "unapproved_timesheet" | "no_bill_rate" | "negative_margin"
    message: str


def run_exceptions(run: PayRun) -> list[RunException]:
    """What staff should look at before approving (none of these block approval; a missing
    wage blocks the calculation itself): timesheets of the period not yet approved, hours
    with no bill rate, segments paid more than they bill, corrected timesheets this run
    settles, and statements whose corrections take more than the run pays."""
    period, coop = run.period, run.cooperative
    pending = placements.timesheets_undecided(coop, period.starts_on, period.ends_on)
    out = [
        RunException("unapproved_timesheet", f"{t.assignment.worker} — timesheet of {t.clock_in:%b %d} is {t.get_status_display().lower()}")
        for t in pending
    ]
    segments = defaultdict(lambda: [ZERO, ZERO, None, None, None])  # paid, billed, has rate, worker, day
    for line in run.lines.filter(timesheet__isnull=False).select_related("worker", "client").order_by("worker_id", "workday"):
        seg = segments[(line.timesheet_id, line.workday)]
        seg[0] += line.amount
        if line.kind == PayLine.Kind.REGULAR:
            seg[1] += line.bill_amount
            seg[2] = line.bill_rate is not None
            seg[3], seg[4] = line.worker, line
    for paid, billed, has_rate, worker, line in segments.values():
        if line is None or line.corrects_run_id:
            continue
        if not has_rate:
            out.append(RunException("no_bill_rate", f"{worker} on {line.workday:%b %d}: no bill rate at {line.client} — nothing billed"))
        elif billed < paid:
            out.append(RunException("negative_margin", f"{worker} on {line.workday:%b %d} at {line.client}: billed {money_text(billed)}, paid {money_text(paid)}"))
    for c in placements.corrections_paid_in(run):
        out.append(RunException("corrected_timesheet", f"{c.timesheet.assignment.worker} — timesheet of "
                                f"{c.clock_in_before.astimezone(coop.zone):%b %d} corrected {c.hours_before} h → {c.hours_after} h: {c.reason}"))
    for statement in run.statements.filter(gross__lt=0).select_related("worker"):
        out.append(RunException("negative_gross", f"{statement.worker}: gross {money_text(statement.gross)} — corrections of earlier "
                                "weeks take more than this run pays; recover the rest with the worker"))
    return out


def negative_pay(run: PayRun) -> list[PayStatement]:
    """The run's statements that pay a worker less than nothing: a negative gross, or a
    negative net (the processor's net once imported, else gross − co-op deductions), by
    worker name. Approving them needs a named override (services.runs_approve.payrun_approve)."""
    statements = run.statements.filter(Q(gross__lt=0) | Q(gross__lt=F("deductions")) | Q(net__lt=0))
    out = list(statements.select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id"))
    for statement in out:
        statement.net_before_taxes = statement.gross - statement.deductions
    return out


def run_is_stale(run: PayRun) -> bool:
    """True when `run` is calculated but approved timesheets of its weeks (or of earlier weeks
    it settles) were corrected since (placements.selectors.corrections_since): its lines
    pay the old hours, so it must be calculated again before approval
    (services.runs_approve.payrun_approve refuses it). One query; False for any other status."""
    if run.status != PayRun.Status.CALCULATED or run.calculated_at is None:
        return False
    return placements.corrections_since(run.cooperative, run.calculated_at, run.period.ends_on).exists()


def runs_to_approve(cooperative: Cooperative) -> int:
    return PayRun.objects.filter(cooperative=cooperative, status=PayRun.Status.CALCULATED).count()


def periods_with_runs(cooperative: Cooperative):
    return PayPeriod.objects.select_related("run").order_by("-starts_on")


def run_totals(run: PayRun) -> dict:
    agg = run.statements.aggregate(workers=Count("id"), gross=Sum("gross"), deductions=Sum("deductions"), hours=Sum("hours_worked"))
    return {k: (v if k == "workers" else sum_to_cents(v)) for k, v in agg.items()}


def work_pay_rows(cooperative_id: int, first_day: date, last_day: date):
    """(worker_id, workday, amount) of the pay lines for work from `first_day` to `last_day` in
    approved (final) pay runs, paid sick leave left out (paid leave is not work): a queryset, so a
    caller may use it as a subquery (patronage counts gross wages from it)."""
    rows = PayLine.objects.filter(cooperative_id=cooperative_id, workday__gte=first_day, workday__lte=last_day,
                                  run__status__in=PayRun.FINAL)
    return rows.exclude(kind=PayLine.Kind.SICK).values_list("worker_id", "workday", "amount")
