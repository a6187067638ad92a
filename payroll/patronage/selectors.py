"""Reads of patronage: units of patronage, allocation totals, deadlines, the 1099-PATR rows
and capital accounts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from members.models import HoursEntry, MemberStatus
from members.selectors import StatusHistory
from payroll.patronage.models import CapitalAccountEntry, FiscalYear, PatronageAllocation, PatronageAllocationLine

ZERO = Decimal("0.00")
PATR_THRESHOLD = Decimal("10.00")  # Form 1099-PATR: every member with $10.00 or more
CASH_DEADLINE_WARNING_DAYS = 45


def owner_periods(fiscal_year: FiscalYear) -> dict[int, list[tuple[date, date]]]:
    """{worker id: [(first day, last day) as a worker-owner]} clipped to the fiscal year,
    from the status history (members.selectors.StatusHistory: a lapse or exit ends ownership
    the day before it takes effect; an imported owner with no history counts from owner_since)."""
    history = StatusHistory(fiscal_year.cooperative, fiscal_year.ends_on)
    return history.periods(MemberStatus.OWNER, fiscal_year.starts_on, fiscal_year.ends_on)


def patronage_units(fiscal_year: FiscalYear, *, basis: str, whole_year: bool) -> dict[int, Decimal]:
    """{worker id: hours worked or gross wages in the fiscal year} for everyone who was a
    worker-owner during it: only while an owner, or the whole year if the bylaws say so.
    Hours come from the members ledger (paid leave is not there); wages from approved pay runs."""
    from payroll.models import PayLine, PayRun

    periods = owner_periods(fiscal_year)
    if not periods:
        return {}
    first, last = fiscal_year.starts_on, fiscal_year.ends_on
    if basis == PatronageAllocation.Basis.HOURS:
        rows = HoursEntry.objects.filter(worker_id__in=periods, workday__gte=first, workday__lte=last)
        value = "hours"
    else:
        # Wages for work: paid sick leave is not patronage (as paid leave is not hours worked).
        rows = PayLine.objects.filter(worker_id__in=periods, workday__gte=first, workday__lte=last, run__status__in=PayRun.FINAL).exclude(kind=PayLine.Kind.SICK)
        value = "amount"
    if whole_year:
        return {w: t for w, t in rows.values_list("worker_id").annotate(t=Sum(value)).values_list("worker_id", "t")}
    units: dict[int, Decimal] = defaultdict(lambda: ZERO)
    # Summed per worker and day in SQL; the owner periods are applied to those day totals.
    for worker_id, workday, total in rows.values_list("worker_id", "workday").annotate(t=Sum(value)).values_list("worker_id", "workday", "t"):
        if any(begin <= workday <= end for begin, end in periods[worker_id]):
            units[worker_id] += total
    return dict(units)


def allocation_totals(allocation: PatronageAllocation) -> dict:
    agg = allocation.lines.aggregate(members=Count("id"), allocated=Sum("allocated"), cash=Sum("cash"), retained=Sum("retained"),
                                     posted=Count("id", filter=Q(capital_entry__isnull=False)))
    return {k: (v if v is not None else ZERO) for k, v in agg.items()}


def lines_posted(allocation: PatronageAllocation) -> int:
    return allocation.lines.filter(capital_entry__isnull=False).count()


def cash_deadline(allocation: PatronageAllocation) -> date:
    """The 15th day of the 9th month after the fiscal year ends (IRC §1382(d))."""
    end = allocation.fiscal_year.ends_on
    month = end.month + 9
    return date(end.year + (month - 1) // 12, (month - 1) % 12 + 1, 15)


def cash_deadline_warning(allocation: PatronageAllocation, today: date) -> str | None:
    if allocation.status == PatronageAllocation.Status.PAID or allocation.pool <= 0:
        return None  # paid, or a loss year: no cash is due
    deadline = cash_deadline(allocation)
    days = (deadline - today).days
    if days < 0:
        return f"The cash part was due by {deadline:%B %d, %Y}: {-days} days late. Notices lose their qualified status."
    if days <= CASH_DEADLINE_WARNING_DAYS:
        return f"The cash part must be paid by {deadline:%B %d, %Y}: {days} days left."
    return None


def patr_rows(allocation: PatronageAllocation) -> list[PatronageAllocationLine]:
    """Lines reported on Form 1099-PATR: members allocated $10.00 or more."""
    return list(allocation.lines.filter(allocated__gte=PATR_THRESHOLD).select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id"))


@dataclass(frozen=True)
class CapitalAccount:
    equity_paid: Decimal
    entries: list
    retained_balance: Decimal

    @property
    def balance(self) -> Decimal:
        return self.equity_paid + self.retained_balance


def capital_account(worker) -> CapitalAccount:
    """Equity paid in (from the members equity ledger) + retained patronage − losses −
    redemptions (this ledger). Three queries."""
    from members.models import EquityAccount
    from members.selectors import equity_summary

    account = EquityAccount.objects.filter(worker=worker).first()
    equity = equity_summary(account).paid if account else ZERO
    entries = list(CapitalAccountEntry.objects.filter(worker=worker).select_related("allocation_line__allocation__fiscal_year").order_by("effective_on", "id"))
    return CapitalAccount(equity, entries, sum((e.amount for e in entries), ZERO))


def latest_issued_line(worker) -> PatronageAllocationLine | None:
    return (
        PatronageAllocationLine.objects.filter(worker=worker, allocation__status__in=[PatronageAllocation.Status.ISSUED, PatronageAllocation.Status.PAID])
        .select_related("allocation__fiscal_year").order_by("-allocation__fiscal_year__ends_on").first()
    )
