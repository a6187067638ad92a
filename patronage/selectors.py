"""Reads of patronage: units of patronage, allocation totals, deadlines, the 1099-PATR rows
and capital accounts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from alliedup.money import ZERO, sum_to_cents
from members import selectors as members
from members.choices import MemberStatus
from patronage.models import (
    CapitalAccountEntry,
    FiscalYear,
    PatronageAllocation,
    PatronageAllocationLine,
    RedemptionInstallment,
    RedemptionSchedule,
)
from payroll import selectors as payroll

PATR_THRESHOLD = Decimal("10.00")  # Form 1099-PATR: every member with $10.00 or more
CASH_DEADLINE_WARNING_DAYS = 45


def owner_periods(fiscal_year: FiscalYear) -> dict[int, list[tuple[date, date]]]:
    """{worker id: [(first day, last day) as a worker-owner]} clipped to the fiscal year,
    from the status history (members.selectors.StatusHistory: a lapse or exit ends ownership
    the day before it takes effect; an imported owner with no history counts from owner_since)."""
    history = members.StatusHistory(fiscal_year.cooperative, fiscal_year.ends_on)
    return history.periods(MemberStatus.OWNER, fiscal_year.starts_on, fiscal_year.ends_on)


def patronage_units(fiscal_year: FiscalYear, *, basis: str, whole_year: bool) -> dict[int, Decimal]:
    """{worker id: hours worked or gross wages in the fiscal year} for everyone who was a
    worker-owner during it: only while an owner, or the whole year if the bylaws say so.
    Hours come from the members ledger (paid leave is not there); wages from approved pay runs.

    One query, whatever the number of owners: the owner periods are worked out, clipped to the
    year and joined to the rows in SQL, and only one total per worker comes back."""
    sql, params = patronage_units_sql(fiscal_year, basis=basis, whole_year=whole_year)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {worker_id: sum_to_cents(total) for worker_id, total in rows}  # exact on SQLite too


def patronage_rows(fiscal_year: FiscalYear, *, basis: str):
    """The rows patronage is counted from, within the fiscal year: (worker_id, workday, value):
    hours from the members ledger, or wages for work from approved pay runs (paid sick leave is
    not patronage, as paid leave is not hours worked)."""
    first, last, coop = fiscal_year.starts_on, fiscal_year.ends_on, fiscal_year.cooperative_id
    if basis == PatronageAllocation.Basis.HOURS:
        return members.hours_rows(coop, first, last)
    return payroll.work_pay_rows(coop, first, last)


def owner_periods_sql(fiscal_year: FiscalYear) -> tuple[str, list]:
    """SQL of (worker_id, begins, ends): the worker-owner periods of `owner_periods`, clipped
    to the fiscal year (an empty one has begins > ends); members.selectors.owner_periods_sql
    writes the rules of its StatusHistory in SQL."""
    return members.owner_periods_sql(fiscal_year.cooperative_id, fiscal_year.starts_on, fiscal_year.ends_on)


def patronage_units_sql(fiscal_year: FiscalYear, *, basis: str, whole_year: bool) -> tuple[str, list]:
    """SQL and parameters of `patronage_units`: (worker_id, units), one GROUP BY worker."""
    periods, period_params = owner_periods_sql(fiscal_year)
    # No ORDER BY (the models' default ordering would sort every row before the join).
    rows, row_params = patronage_rows(fiscal_year, basis=basis).order_by().query.sql_with_params()
    if whole_year:
        join = "JOIN (SELECT DISTINCT worker_id FROM periods WHERE begins <= ends) p ON p.worker_id = r.worker_id"
    else:
        # Periods of one worker never overlap: no day is counted twice.
        join = "JOIN periods p ON p.worker_id = r.worker_id AND r.workday BETWEEN p.begins AND p.ends"
    sql = f"""
        WITH periods AS ({periods}), r (worker_id, workday, value) AS ({rows})
        SELECT r.worker_id, SUM(r.value) FROM r {join} GROUP BY r.worker_id"""
    return sql, [*period_params, *row_params]


def allocation_totals(allocation: PatronageAllocation) -> dict:
    agg = allocation.lines.aggregate(members=Count("id"), allocated=Sum("allocated"), cash=Sum("cash"), retained=Sum("retained"),
                                     posted=Count("id", filter=Q(capital_entry__isnull=False)))
    return {k: (v if k in ("members", "posted") else sum_to_cents(v)) for k, v in agg.items()}


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


# The lines the issue posts to capital accounts: those with a retained part (a line paid
# wholly in cash posts nothing), as patronage.services.allocations._post_lines selects them.
_POSTED = ~Q(retained=0)


def lines_to_post(allocation: PatronageAllocation) -> int:
    return allocation.lines.filter(_POSTED).count()


def issue_totals(allocation: PatronageAllocation) -> tuple[int, Decimal]:
    """(lines to post, retained in all): what the issue's audit event records. One query."""
    totals = allocation.lines.aggregate(lines=Count("id", filter=_POSTED), retained=Sum("retained"))
    return totals["lines"], sum_to_cents(totals["retained"])


def issuing(allocation: PatronageAllocation) -> bool:
    """The issue task is queued or running: requested, not finished."""
    return allocation.status == PatronageAllocation.Status.APPROVED and allocation.issue_requested_at is not None


def patr_tax_year(allocation: PatronageAllocation) -> int | None:
    """The calendar year the written notices were issued in (the co-op's zone): patronage
    dividends are reported on Form 1099-PATR for the year they are paid, and a qualified
    written notice of allocation counts as paid when issued. None for an allocation issued
    without its time recorded (older data): the year is left blank rather than guessed."""
    if allocation.issued_at is None:
        return None
    return allocation.issued_at.astimezone(allocation.cooperative.zone).year


def patr_rows(allocation: PatronageAllocation) -> list[PatronageAllocationLine]:
    """Lines reported on Form 1099-PATR: members allocated $10.00 or more."""
    return list(allocation.lines.filter(allocated__gte=PATR_THRESHOLD).select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id"))


@dataclass(frozen=True)
class CapitalAccount:
    equity_paid: Decimal
    entries: list
    retained_balance: Decimal
    equity_redeemed: Decimal = ZERO  # equity repaid on exit (redemption entries of an equity installment)

    @property
    def balance(self) -> Decimal:
        return self.equity_paid - self.equity_redeemed + self.retained_balance


def _repays_equity(entry: CapitalAccountEntry) -> bool:
    installment = entry.redemption_installment
    return installment is not None and installment.part == RedemptionInstallment.Part.EQUITY


def capital_account(worker) -> CapitalAccount:
    """Equity paid in (from the members equity ledger) − equity repaid on exit + retained
    patronage − losses − redemptions (this ledger); the balance is equity paid in plus the
    sum of the entries. Three queries."""
    equity = members.equity_paid(worker)
    entries = list(
        CapitalAccountEntry.objects.filter(worker=worker)
        .select_related("allocation_line__allocation__fiscal_year", "redemption_installment")
        .order_by("effective_on", "id")
    )
    equity_redeemed = -sum((e.amount for e in entries if _repays_equity(e)), ZERO)
    retained = sum((e.amount for e in entries if not _repays_equity(e)), ZERO)
    return CapitalAccount(equity, entries, retained, equity_redeemed)


def latest_issued_line(worker) -> PatronageAllocationLine | None:
    return (
        PatronageAllocationLine.objects.filter(worker=worker, allocation__status__in=[PatronageAllocation.Status.ISSUED, PatronageAllocation.Status.PAID])
        .select_related("allocation__fiscal_year").order_by("-allocation__fiscal_year__ends_on").first()
    )


# Redemption on exit --------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallmentRow:
    installment: RedemptionInstallment
    paid: Decimal  # what the capital ledger's payments of it add up to

    @property
    def due(self) -> Decimal:
        return self.installment.amount - self.paid

    @property
    def is_paid(self) -> bool:
        return self.due <= 0

    def is_overdue(self, today: date) -> bool:
        return not self.is_paid and self.installment.due_on < today


@dataclass(frozen=True)
class RedemptionOverview:
    schedule: RedemptionSchedule
    rows: list[InstallmentRow]

    @property
    def total(self) -> Decimal:
        return sum((r.installment.amount for r in self.rows), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((r.paid for r in self.rows), ZERO)

    @property
    def due(self) -> Decimal:
        return self.total - self.paid

    @property
    def next_due(self) -> InstallmentRow | None:
        return next((r for r in self.rows if not r.is_paid), None)


def redemption_overviews(worker) -> list[RedemptionOverview]:
    """The worker's redemption schedules (newest exit first), each installment with what is
    paid of it. Two queries, whatever the number of installments and payments."""
    schedules = list(RedemptionSchedule.objects.filter(worker=worker).order_by("-effective_on", "-id"))
    if not schedules:
        return []
    installments = (
        RedemptionInstallment.objects.filter(schedule__in=schedules)
        .annotate(paid_total=Sum("payments__amount")).order_by("schedule_id", "number")
    )
    rows = defaultdict(list)
    for inst in installments:
        # Payments are negative ledger entries (money leaving the account).
        rows[inst.schedule_id].append(InstallmentRow(inst, -sum_to_cents(inst.paid_total)))
    return [RedemptionOverview(s, rows[s.pk]) for s in schedules]


def redemption_outstanding(worker) -> dict[str, Decimal]:
    """{part: scheduled but not yet paid} over all the worker's schedules (one query): what
    a new schedule or a payout outside the schedule must leave alone."""
    outstanding = dict.fromkeys(RedemptionInstallment.Part.values, ZERO)
    rows = (
        RedemptionInstallment.objects.filter(schedule__worker=worker)
        .annotate(paid_total=Sum("payments__amount")).values_list("part", "amount", "paid_total")
    )
    for part, amount, paid_total in rows:
        outstanding[part] += amount + sum_to_cents(paid_total)  # paid_total is negative
    return outstanding


# Read by insights (the co-op's figures: totals only, never a member's share) -------------------


def decided_allocation_totals(cooperative, first_day: date, last_day: date) -> list[dict]:
    """The co-op's patronage allocations approved, issued or cash paid (drafts are not
    decided) whose fiscal year ends from `first_day` to `last_day`, by that end:
    [{"fiscal_year_ends_on", "status_label", "net_earnings", "reserve", "pool", "members": its
    lines, "allocated", "cash", "retained": the lines' SQL sums (None without lines)}]. One query."""
    S = PatronageAllocation.Status
    return [
        {"fiscal_year_ends_on": r["fiscal_year__ends_on"], "status_label": S(r["status"]).label,
         "net_earnings": r["net_earnings"], "reserve": r["reserve"], "pool": r["pool"], "members": r["members"],
         "allocated": r["allocated"], "cash": r["cash"], "retained": r["retained"]}
        for r in PatronageAllocation.objects.filter(cooperative=cooperative, status__in=[S.APPROVED, S.ISSUED, S.PAID],
                                                    fiscal_year__ends_on__gte=first_day, fiscal_year__ends_on__lte=last_day)
        .values("fiscal_year__ends_on", "status", "net_earnings", "reserve", "pool")
        .annotate(members=Count("lines"), allocated=Sum("lines__allocated"), cash=Sum("lines__cash"), retained=Sum("lines__retained"))
        .order_by("fiscal_year__ends_on")
    ]


def capital_by_year(cooperative, last_day: date) -> list[tuple[int, Decimal | None, Decimal | None]]:
    """(calendar year, retained patronage net, equity repaid) of the co-op's capital account
    ledger, every entry effective on or before `last_day`, by year of the effective date: the
    sum of the year's entries but the repayments of the equity buy-in on exit (redemption
    installments of the equity part), and the sum of those repayments (negative); None for a
    sum without entries; a year without entries is absent. Unordered. One query."""
    repays_equity = Q(redemption_installment__part=RedemptionInstallment.Part.EQUITY)
    return list(
        CapitalAccountEntry.objects.filter(cooperative=cooperative, effective_on__lte=last_day)
        .annotate(year=ExtractYear("effective_on")).values("year")
        .annotate(t=Sum("amount", filter=~repays_equity), e=Sum("amount", filter=repays_equity))
        .order_by().values_list("year", "t", "e")
    )
