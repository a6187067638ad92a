"""The equity buy-in: summaries and schedules derived from the append-only equity ledger,
installments due (payroll deducts them) and the co-op's paid-in totals."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from alliedup.models import Cooperative
from members.models import EquityAccount, EquityEntry, Worker
from alliedup.money import ZERO


@dataclass(frozen=True)
class EquitySummary:
    buy_in: Decimal
    paid: Decimal
    waived: Decimal
    owed: Decimal
    plan: str

    @property
    def status(self) -> str:
        if self.owed == 0:
            return "waived" if self.waived > 0 else "paid"
        return "in progress" if self.paid > 0 else "not started"

    @property
    def status_label(self) -> str:
        """The status in the reader's language (`status` stays the API's value)."""
        return EQUITY_STATUS_LABELS.get(self.status, self.status)

    @property
    def plan_label(self) -> str:
        return dict(EquityAccount.Plan.choices).get(self.plan, self.plan)


EQUITY_STATUS_LABELS = {
    "paid": _("paid"), "waived": _("waived"), "in progress": _("in progress"), "not started": _("not started"),
}


def equity_summary(account) -> EquitySummary:
    """Paid, waived and owed, derived from the ledger (one query). Reversals cancel the
    entry they point at: a reversed payment is negative 'paid', a reversed waiver negative
    'waived'."""
    return _summary(account, account.entries.values_list("kind", "amount", "reverses__kind"))


def _summary(account, rows) -> EquitySummary:
    """The summary over (kind, amount, kind of the reversed entry) rows."""
    paid = waived = ZERO
    for kind, amount, reversed_kind in rows:
        effective = reversed_kind if kind == EquityEntry.Kind.REVERSAL else kind
        if effective == EquityEntry.Kind.WAIVER:
            waived += amount
        else:
            paid += amount
    return EquitySummary(buy_in=account.buy_in, paid=paid, waived=waived, owed=account.buy_in - paid - waived, plan=account.plan)


@dataclass(frozen=True)
class ScheduledInstallment:
    number: int
    due_on: date
    amount: Decimal
    covered: Decimal  # how much of it the payments so far cover

    @property
    def is_paid(self) -> bool:
        return self.covered >= self.amount


def installment_schedule(account, paid: Decimal) -> list[ScheduledInstallment]:
    """The schedule with payments applied in order (oldest installment first)."""
    left, rows = paid, []
    for inst in account.installments.order_by("number"):
        covered = min(left, inst.amount)
        left -= covered
        rows.append(ScheduledInstallment(inst.number, inst.due_on, inst.amount, covered))
    return rows


@dataclass(frozen=True)
class EquityOverview:
    summary: EquitySummary
    schedule: list[ScheduledInstallment]
    entries: models.QuerySet  # newest first, with who recorded each


def equity_overview(worker: Worker) -> EquityOverview | None:
    """The worker's equity account as pages and the API show it, or None if not opened."""
    account = EquityAccount.objects.filter(worker=worker).first()
    if account is None:
        return None
    summary = equity_summary(account)
    return EquityOverview(
        summary=summary,
        schedule=installment_schedule(account, summary.paid),
        entries=account.entries.select_related("recorded_by").order_by("-effective_on", "-id"),
    )


def installments_due(worker_ids, on: date) -> dict[int, tuple]:
    """{worker id: (EquityAccount, amount due)} for installment plans with money due by `on`:
    the installments due by then less what is paid or waived, never more than is owed.
    Payroll deducts these; three queries for any number of workers."""
    accounts = list(
        EquityAccount.objects.filter(worker_id__any_of=worker_ids, plan=EquityAccount.Plan.INSTALLMENTS)
        .prefetch_related("installments", "entries__reverses")
    )
    due = {}
    for account in accounts:
        summary = _summary(account, ((e.kind, e.amount, e.reverses.kind if e.reverses else None) for e in account.entries.all()))
        scheduled = sum((i.amount for i in account.installments.all() if i.due_on <= on), ZERO)
        amount = min(scheduled - summary.paid - summary.waived, summary.owed)
        if amount > 0:
            due[account.worker_id] = (account, amount)
    return due


def equity_paid(worker: Worker) -> Decimal:
    """The equity buy-in the worker paid in (payments and deductions, reversals netted; a waiver
    is not paid), 0.00 without an equity account. Two queries at most."""
    account = EquityAccount.objects.filter(worker=worker).first()
    return equity_summary(account).paid if account else ZERO


def installment_plans_count(cooperative: Cooperative) -> int:
    """How many of the co-op's equity accounts are on an installment plan. One query."""
    return EquityAccount.objects.filter(cooperative=cooperative, plan=EquityAccount.Plan.INSTALLMENTS).count()


def equity_paid_in_by_year(cooperative: Cooperative, last_day: date) -> dict[int, Decimal]:
    """{calendar year: equity paid in} of the co-op's equity ledger, every entry effective on
    or before `last_day`, by year of the effective date: payments and payroll deductions less
    their reversals (waivers are forgiven, not paid, and neither they nor their reversals
    count); the SQL sums; a year without entries is absent. One query."""
    E = EquityEntry.Kind
    return dict(
        EquityEntry.objects.filter(cooperative=cooperative, effective_on__lte=last_day)
        .exclude(kind=E.WAIVER).exclude(kind=E.REVERSAL, reverses__kind=E.WAIVER)
        .annotate(year=ExtractYear("effective_on")).values("year").annotate(t=Sum("amount")).order_by().values_list("year", "t")
    )
