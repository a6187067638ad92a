"""Wages: the CBA wage book in force on a day, each worker's step, the pay ranges the job board
shows, a worker's wage now, the current wage tables."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from alliedup.models import Cooperative
from alliedup.money import ZERO
from members import selectors as members
from payroll.models import (
    CollectiveAgreement,
    ShiftDifferential,
    WageStep,
    WageTable,
)
from worktime.overtime import STATUTORY, OvertimeRules


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


def current_wage_tables_qs(cooperative, *, today: date):
    """The co-op's wage tables in a collective agreement that is neither a draft nor over on
    `today` (one starting later counts: set up ahead), a QuerySet for the caller to count
    (`cooperative` may be an OuterRef: the set-up checklist counts it in a subquery). Lazy."""
    return WageTable.objects.filter(cooperative=cooperative, agreement__ends_on__gte=today).filter(
        ~Q(agreement__status=CollectiveAgreement.Status.DRAFT)
    )
