"""The wage floor: where a client's bill rate is below the CBA wage the co-op pays the wage and
absorbs the difference; the report and this quarter's total."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from alliedup.models import Cooperative
from alliedup.money import sum_to_cents
from payroll.models import (
    PayLine,
    PayRun,
)


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
