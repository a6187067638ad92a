"""Pay statements as the worker and the PDF show them: lines, rates, the latest statement."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from payroll.models import (
    PayLine,
    PayRun,
    PayStatement,
)
from alliedup.money import ZERO


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


def latest_statement(worker) -> PayStatement | None:
    """The worker's most recent pay statement of an approved (final) run, with its period
    (one query), or None. Its `net` is None until the processor's results are imported."""
    return (
        PayStatement.objects.filter(worker=worker, run__status__in=PayRun.FINAL)
        .select_related("run__period").order_by("-run__period__starts_on").first()
    )
