"""Read by insights and onboarding: the co-op's pay figures (SQL aggregates) and set-up checks."""

from datetime import date

from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncQuarter

from alliedup.models import Cooperative
from payroll.models import (
    PayLine,
    PayRun,
)

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
