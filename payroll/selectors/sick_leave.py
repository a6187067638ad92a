"""California paid sick leave: balances, the caps on a day, when a worker may first use it, the
year's use and the requests waiting for staff."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from alliedup.models import Cooperative
from members import selectors as members
from payroll.models import (
    PayRun,
    SickLeaveEntry,
    SickLeaveRequest,
)
from alliedup.money import ZERO


def sick_balances(worker_ids, *, exclude_run: PayRun | None = None) -> dict[int, Decimal]:
    """{worker id: paid sick leave hours available} (the ledger's sum)."""
    rows = SickLeaveEntry.objects.filter(worker_id__any_of=worker_ids)
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


def sick_requests_waiting(cooperative: Cooperative) -> int:
    return SickLeaveRequest.objects.filter(cooperative=cooperative, status=SickLeaveRequest.Status.PENDING).count()
