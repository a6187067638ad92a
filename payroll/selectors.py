"""Reads of payroll used by services, pages, the API and other apps."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncQuarter

from alliedup.models import Cooperative
from alliedup.money import money_text, sum_to_cents
from members import selectors as members
from payroll.models import (
    CollectiveAgreement, PayLine, PayPeriod, PayRun, PayStatement, ShiftDifferential, SickLeaveEntry, SickLeaveRequest, WageStep,
    WageTable,
)
from placements import selectors as placements
from worktime.overtime import STATUTORY, OvertimeRules

ZERO = Decimal("0.00")


class WageBook:
    """The wage tables in force over a span of days, loaded in two queries, answering
    "what is the CBA wage of this classification and step on this day"."""

    def __init__(self, cooperative: Cooperative, first_day: date, last_day: date):
        tables = (
            WageTable.objects.filter(effective_from__lte=last_day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first_day))
            .exclude(agreement__status=CollectiveAgreement.Status.DRAFT)
            .select_related("agreement")
            .order_by("-effective_from")
        )
        self._tables: dict[int, list[WageTable]] = defaultdict(list)
        self._steps: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for table in tables:
            self._tables[table.classification_id].append(table)
        for step in WageStep.objects.filter(table__in=[t for ts in self._tables.values() for t in ts]).values_list(
            "table_id", "step", "hourly_rate"
        ):
            self._steps[step[0]][step[1]] = step[2]
        agreement_ids = {t.agreement_id for ts in self._tables.values() for t in ts}
        self._differentials: dict[int, list[ShiftDifferential]] = defaultdict(list)
        for diff in ShiftDifferential.objects.filter(agreement_id__in=agreement_ids):
            self._differentials[diff.agreement_id].append(diff)
        self._wages: dict[tuple[int, int, date], tuple | None] = {}  # a pay run asks once per segment

    def table_on(self, classification_id: int, day: date) -> WageTable | None:
        return next(
            (t for t in self._tables.get(classification_id, [])
             if t.effective_from <= day and (t.effective_to is None or t.effective_to >= day)),
            None,
        )

    @property
    def classification_ids(self) -> list[int]:
        return list(self._tables)

    def step_rates(self, table: WageTable | None) -> dict[int, Decimal]:
        """{step: hourly wage} of a table ({} for none)."""
        return self._steps.get(table.pk, {}) if table is not None else {}

    def wage(self, classification_id: int, step: int, day: date) -> tuple[Decimal, int, WageTable] | None:
        """(hourly wage, step applied, table) or None when no table is in force. A step
        above the table's top is paid at the top step."""
        key = (classification_id, step, day)
        if key not in self._wages:
            self._wages[key] = self._wage(classification_id, step, day)
        return self._wages[key]

    def _wage(self, classification_id: int, step: int, day: date) -> tuple[Decimal, int, WageTable] | None:
        table = self.table_on(classification_id, day)
        steps = self.step_rates(table)
        if not steps:
            return None
        applied = max((s for s in steps if s <= step), default=min(steps))
        return steps[applied], applied, table

    def differentials(self, table: WageTable, classification_id: int) -> list[ShiftDifferential]:
        return [d for d in self._differentials.get(table.agreement_id, [])
                if d.classification_id in (None, classification_id)]

    def rules(self, table: WageTable | None) -> OvertimeRules:
        if table is None:
            return STATUTORY
        a = table.agreement
        return OvertimeRules(a.daily_overtime_after, a.daily_double_time_after, a.weekly_overtime_after, a.seventh_day_rule)


def agreement_on(cooperative: Cooperative, day: date) -> CollectiveAgreement | None:
    """The agreement in force on `day` (its term holds the day; not a draft)."""
    return (
        CollectiveAgreement.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .exclude(status=CollectiveAgreement.Status.DRAFT).order_by("-starts_on").first()
    )


def worker_steps(agreement: CollectiveAgreement | None, worker_ids, on: date) -> dict[tuple[int, int], int]:
    """{(worker id, classification id): wage step} on `on` under the agreement's step basis:
    the step staff assigned, or 1 + full years of service / 1 + hours ÷ hours per step, never
    below the assigned step (staff may place a hire higher for experience). Two queries."""
    rows = members.wage_steps(worker_ids)
    steps = {}
    hours = {}
    basis = agreement.step_basis if agreement else CollectiveAgreement.StepBasis.ASSIGNED
    if basis == CollectiveAgreement.StepBasis.HOURS:
        hours = members.hours_by_classification(worker_ids, before=on)
    for worker_id, classification_id, assigned, since in rows:
        step = assigned
        if basis == CollectiveAgreement.StepBasis.YEARS:
            years = on.year - since.year - ((on.month, on.day) < (since.month, since.day))
            step = max(step, 1 + max(years, 0))
        elif basis == CollectiveAgreement.StepBasis.HOURS:
            done = hours.get((worker_id, classification_id), ZERO)
            step = max(step, 1 + int(done // agreement.hours_per_step))
        steps[(worker_id, classification_id)] = step
    return steps


@dataclass(frozen=True)
class PayRange:
    classification_id: int
    low: Decimal
    high: Decimal


def pay_ranges(cooperative: Cooperative, on: date) -> dict[int, PayRange]:
    """{classification id: lowest and highest step wage} of the tables in force on `on`
    (the public job board shows them). Two queries."""
    book = WageBook(cooperative, on, on)
    ranges = {}
    for classification_id in book.classification_ids:
        steps = book.step_rates(book.table_on(classification_id, on))
        if steps:
            ranges[classification_id] = PayRange(classification_id, min(steps.values()), max(steps.values()))
    return ranges


def sick_balances(worker_ids, *, exclude_run: PayRun | None = None) -> dict[int, Decimal]:
    """{worker id: paid sick leave hours available} (the ledger's sum)."""
    rows = SickLeaveEntry.objects.filter(worker_id__in=worker_ids)
    if exclude_run is not None:
        rows = rows.exclude(run=exclude_run, kind=SickLeaveEntry.Kind.ACCRUED)
    return dict(rows.values_list("worker_id").annotate(total=Sum("hours")).values_list("worker_id", "total"))


STANDARD_DAY = Decimal("8.00")
DAY_LOOKBACK_DAYS = 90


@dataclass(frozen=True)
class SickCaps:
    """A worker's paid sick leave caps in hours: the greater of the co-op's hours and its
    days × the worker's own day (Labor Code §246: 80 h or 10 days accrued, 40 h or 5 days
    used a year)."""

    day: Decimal  # the worker's day: average hours per workday worked in the last 90 days
    accrual: Decimal
    use: Decimal


def sick_caps(cooperative: Cooperative, worker_ids, on: date) -> dict[int, SickCaps]:
    """{worker: SickCaps} on `on`. A worker's day is the average hours of the workdays they
    worked in the 90 days before `on` (hours that stand in the ledger: neither reversed nor
    reversing), to the hundredth half up; 8 hours when they worked none. One query. An opening
    balance (a roster import's months of hours on one date) is no workday, so it is left out."""
    worked = members.days_worked(worker_ids, first_day=on - timedelta(days=DAY_LOOKBACK_DAYS), before=on)
    days = {w: (hours / n).quantize(Decimal("0.01"), ROUND_HALF_UP) for w, (hours, n) in worked.items() if n}
    caps = {}
    for worker_id in worker_ids:
        day = days.get(worker_id, STANDARD_DAY)
        caps[worker_id] = SickCaps(
            day=day,
            accrual=max(cooperative.sick_accrual_cap_hours, cooperative.sick_accrual_cap_days * day),
            use=max(cooperative.sick_use_cap_hours, cooperative.sick_use_cap_days * day),
        )
    return caps


def sick_usable_from(worker) -> date:
    """The first day the worker may use paid sick leave: day N of employment, the hire date
    being day 1 (Labor Code §246(c): "on the 90th day of employment"), N the co-op's
    `sick_usable_after_days`; day 0 or 1 is the hire date itself."""
    return worker.hire_date + timedelta(days=max(worker.cooperative.sick_usable_after_days, 1) - 1)


def sick_leave_summary(worker, today: date) -> dict:
    """What a worker's sick leave page and API show: the balance, hours used this year, the
    caps (SickCaps) and the first day sick leave is usable. Three queries."""
    return {
        "balance": sick_balances([worker.pk]).get(worker.pk) or ZERO,
        "used_this_year": sick_used_in_year(worker, today.year),
        "caps": sick_caps(worker.cooperative, [worker.pk], today)[worker.pk],
        "usable_from": sick_usable_from(worker),
    }


def sick_used_in_year(worker, year: int) -> Decimal:
    total = SickLeaveEntry.objects.filter(worker=worker, kind=SickLeaveEntry.Kind.USED, workday__year=year).aggregate(t=Sum("hours"))["t"]
    return -(total or ZERO)


def employee_id(worker) -> str:
    """The employee number printed on statements and used in the processor files."""
    return f"E{worker.pk:06d}" if hasattr(worker, "pk") else f"E{worker:06d}"


def statement_lines(statement: PayStatement):
    return PayLine.objects.filter(run_id=statement.run_id, worker_id=statement.worker_id).select_related("classification", "corrects_run__period")


@dataclass(frozen=True)
class RateSummary:
    """Hours and pay at one rate of one kind on a statement (a CA wage statement lists each)."""

    kind: str
    label: str
    rate: Decimal
    hours: Decimal
    amount: Decimal


def statement_rates(lines) -> list[RateSummary]:
    grouped: dict[tuple[str, Decimal], list] = defaultdict(lambda: [ZERO, ZERO])
    labels = dict(PayLine.Kind.choices)
    for line in lines:
        bucket = grouped[(line.kind, line.rate)]
        bucket[0] += line.hours
        bucket[1] += line.amount
    order = list(labels)
    return [
        RateSummary(kind, labels[kind], rate, hours, amount)
        for (kind, rate), (hours, amount) in sorted(grouped.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1]))
    ]


@dataclass(frozen=True)
class FloorRow:
    client_id: int
    client_name: str
    hours: Decimal
    billed: Decimal
    paid: Decimal
    absorbed: Decimal

    @property
    def margin(self) -> Decimal:
        return self.billed - self.paid


def wage_floor_report(cooperative: Cooperative, first_day: date, last_day: date) -> list[FloorRow]:
    """Per client over workdays in [first_day, last_day] of approved (final) runs: hours,
    billed, paid (every line from the client's timesheets: straight time, differentials,
    overtime premiums), margin and the absorbed differential. Two queries."""
    lines = PayLine.objects.filter(
        run__status__in=PayRun.FINAL, workday__gte=first_day, workday__lte=last_day, timesheet__isnull=False,
    )
    paid = dict(
        lines.values_list("timesheet__assignment__shift__job_order__contract__client_id")
        .annotate(total=Sum("amount")).values_list("timesheet__assignment__shift__job_order__contract__client_id", "total")
    )
    rows = (
        lines.filter(kind=PayLine.Kind.REGULAR).values("client_id", "client__name")
        .annotate(hours=Sum("hours"), billed=Sum("bill_amount"), absorbed=Sum("absorbed")).order_by("client__name")
    )
    # Sums quantized to the columns' two places (alliedup.money.sum_to_cents: SQLite sums in floats).
    return [
        FloorRow(r["client_id"], r["client__name"], sum_to_cents(r["hours"]), sum_to_cents(r["billed"]),
                 sum_to_cents(paid.get(r["client_id"])), sum_to_cents(r["absorbed"]))
        for r in rows
    ]


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1) - timedelta(days=1)
    return first, last


def absorbed_this_quarter(cooperative: Cooperative) -> Decimal:
    first, last = quarter_of(cooperative.today())
    total = PayLine.objects.filter(run__status__in=PayRun.FINAL, workday__gte=first, workday__lte=last).aggregate(t=Sum("absorbed"))["t"]
    return sum_to_cents(total)


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


def sick_requests_waiting(cooperative: Cooperative) -> int:
    return SickLeaveRequest.objects.filter(cooperative=cooperative, status=SickLeaveRequest.Status.PENDING).count()


def periods_with_runs(cooperative: Cooperative):
    return PayPeriod.objects.select_related("run").order_by("-starts_on")


def run_totals(run: PayRun) -> dict:
    agg = run.statements.aggregate(workers=Count("id"), gross=Sum("gross"), deductions=Sum("deductions"), hours=Sum("hours_worked"))
    return {k: (v if k == "workers" else sum_to_cents(v)) for k, v in agg.items()}


def worker_wage_now(worker) -> list[dict]:
    """The worker's classifications with step and CBA wage today (portal: my wage)."""
    today = worker.cooperative.today()
    agreement = agreement_on(worker.cooperative, today)
    steps = worker_steps(agreement, [worker.pk], today)
    book = WageBook(worker.cooperative, today, today)
    rows = []
    for wc in members.worker_classifications(worker):
        step = steps.get((worker.pk, wc.classification_id), wc.wage_step)
        found = book.wage(wc.classification_id, step, today)
        rows.append({"classification": wc.classification, "step": found[1] if found else step, "wage": found[0] if found else None})
    return rows


def to_rate(value) -> Decimal:
    """A rate to the ten-thousandth (the rate columns), half up."""
    return Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def latest_statement(worker) -> PayStatement | None:
    """The worker's most recent pay statement of an approved (final) run, with its period
    (one query), or None. Its `net` is None until the processor's results are imported."""
    return (
        PayStatement.objects.filter(worker=worker, run__status__in=PayRun.FINAL)
        .select_related("run__period").order_by("-run__period__starts_on").first()
    )


def work_pay_rows(cooperative_id: int, first_day: date, last_day: date):
    """(worker_id, workday, amount) of the pay lines for work from `first_day` to `last_day` in
    approved (final) pay runs, paid sick leave left out (paid leave is not work): a queryset, so a
    caller may use it as a subquery (patronage counts gross wages from it)."""
    rows = PayLine.objects.filter(cooperative_id=cooperative_id, workday__gte=first_day, workday__lte=last_day,
                                  run__status__in=PayRun.FINAL)
    return rows.exclude(kind=PayLine.Kind.SICK).values_list("worker_id", "workday", "amount")


# Read by insights and onboarding (the co-op's figures, the set-up checks) ----------------------

_CLIENT_OF_LINE = "timesheet__assignment__shift__job_order__contract__client"


def wages_by_client_and_quarter(cooperative: Cooperative, first_day: date, last_day: date) -> list[dict]:
    """The pay lines of final (approved or exported) pay runs that come from a client's
    timesheets (straight time, differentials, overtime premiums; pay tied to no client, such as
    sick leave or adjustments, is left out) for workdays from `first_day` to `last_day`,
    summed by calendar quarter of the workday and client: [{"quarter": its first day,
    "client_id", "client_name", "paid": amount, "absorbed": the wage-floor differential the
    co-op absorbed, "billed_at_pay": what those hours bill}] (SQL sums), unordered. One query."""
    client = _CLIENT_OF_LINE
    return [
        {"quarter": r["quarter"], "client_id": r[f"{client}_id"], "client_name": r[f"{client}__name"],
         "paid": r["paid"], "absorbed": r["absorbed"], "billed_at_pay": r["billed_at_pay"]}
        for r in PayLine.objects.filter(cooperative=cooperative, run__status__in=PayRun.FINAL, timesheet__isnull=False,
                                        workday__gte=first_day, workday__lte=last_day)
        .annotate(quarter=TruncQuarter("workday")).values("quarter", f"{client}_id", f"{client}__name")
        .annotate(paid=Sum("amount"), absorbed=Sum("absorbed"), billed_at_pay=Sum("bill_amount")).order_by()
    ]


def regular_pay_by_classification(cooperative: Cooperative, first_day: date, last_day: date) -> list[dict]:
    """The regular (REG: straight time at the CBA wage) pay lines of final pay runs for
    workdays from `first_day` to `last_day`, summed by job classification:
    [{"classification_code", "classification_name", "hours", "amount"}] (SQL sums) by
    classification name. One query."""
    return [
        {"classification_code": r["classification__code"], "classification_name": r["classification__name"],
         "hours": r["hours"], "amount": r["amount"]}
        for r in PayLine.objects.filter(cooperative=cooperative, run__status__in=PayRun.FINAL, kind=PayLine.Kind.REGULAR,
                                        workday__gte=first_day, workday__lte=last_day)
        .values("classification__code", "classification__name").annotate(hours=Sum("hours"), amount=Sum("amount"))
        .order_by("classification__name")
    ]


def pay_run_summary(cooperative: Cooperative) -> dict:
    """{"n": how many pay runs the co-op has (any status), "first": the first day of the
    earliest one's period, None without any}. One query."""
    return PayRun.objects.filter(cooperative=cooperative).aggregate(n=Count("pk"), first=Min("period__starts_on"))


def current_wage_tables_qs(cooperative, *, today: date):
    """The co-op's wage tables in a collective agreement that is neither a draft nor over on
    `today` (one starting later counts: set up ahead), a QuerySet for the caller to count
    (`cooperative` may be an OuterRef: the set-up checklist counts it in a subquery). Lazy."""
    return WageTable.objects.filter(cooperative=cooperative, agreement__ends_on__gte=today).filter(
        ~Q(agreement__status=CollectiveAgreement.Status.DRAFT)
    )
