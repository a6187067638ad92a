"""Redemption on exit: the bylaws' repayment of a worker-owner who left (the equity buy-in paid
in and the capital account balance, in installments) and the payments of its installments,
each a redemption entry of the capital ledger."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from alliedup.audit import audit_log
from alliedup.money import CENT, money_text, split_evenly, sum_to_cents
from patronage import selectors
from patronage.models import CapitalAccountEntry, RedemptionInstallment, RedemptionSchedule


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # Feb 29 → Feb 28 in a common year
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def redemption_schedule_create(
    *, worker, reason: str, effective_on: date, owner_since: date, status_change, created_by=None,
) -> RedemptionSchedule:
    """The bylaws' repayment of an owner who left, as installments (called only by
    patronage.services.exit.ownership_exit, inside its transaction, with the worker locked):

    - the equity buy-in paid in (payments and deductions; a waived amount was never paid, so
      is not repaid), due `equity_redemption_days` after `effective_on`;
    - the capital account's retained balance (retained patronage − losses − redemptions;
      the collective reserve is never in it) in `capital_redemption_installments` annual
      installments due on the anniversaries of `effective_on`, split to the cent with the
      leftover cents on the last ones (fewer installments when there are fewer cents).

    Amounts already scheduled by an earlier exit and not yet paid are left out. A negative
    retained balance (losses beyond the patronage retained) reduces the equity repaid: what
    is repaid is the account's balance. Raises ValidationError for an unknown reason or a
    second schedule for the same ownership period."""
    if reason not in RedemptionSchedule.Reason.values:
        raise ValidationError({"reason": f"The reason for leaving is one of {', '.join(RedemptionSchedule.Reason.values)}."})
    if RedemptionSchedule.objects.filter(worker=worker, owner_since=owner_since).exists():
        raise ValidationError(f"{worker}'s ownership since {owner_since:%b %-d, %Y} already has its redemption schedule.")
    coop = worker.cooperative
    account = selectors.capital_account(worker)
    outstanding = selectors.redemption_outstanding(worker)
    equity = account.equity_paid - account.equity_redeemed - outstanding[RedemptionInstallment.Part.EQUITY]
    capital = account.retained_balance - outstanding[RedemptionInstallment.Part.CAPITAL]
    if capital < 0:
        equity, capital = equity + capital, Decimal("0.00")
    equity = max(equity, Decimal("0.00"))
    schedule = RedemptionSchedule.objects.create(
        cooperative=coop, worker=worker, reason=reason, effective_on=effective_on, owner_since=owner_since,
        status_change=status_change, equity_paid=account.equity_paid, capital_balance=account.retained_balance,
        equity_due=equity, capital_due=capital, created_by=created_by,
    )
    parts = []
    if equity > 0:
        parts.append((effective_on + timedelta(days=coop.equity_redemption_days), RedemptionInstallment.Part.EQUITY, equity))
    if capital > 0:
        count = min(coop.capital_redemption_installments, int(capital / CENT))
        for year, amount in enumerate(split_evenly(capital, count, leftover_to="last"), start=1):
            parts.append((_years_after(effective_on, year), RedemptionInstallment.Part.CAPITAL, amount))
    parts.sort(key=lambda p: (p[0], p[1] != RedemptionInstallment.Part.EQUITY))
    RedemptionInstallment.objects.bulk_create(
        RedemptionInstallment(cooperative=coop, schedule=schedule, number=number, part=part, due_on=due_on, amount=amount)
        for number, (due_on, part, amount) in enumerate(parts, start=1)
    )
    audit_log(cooperative=coop, action="patronage.redemption.scheduled", user=created_by, obj=schedule,
              after={"reason": reason, "effective_on": effective_on, "equity_due": equity, "capital_due": capital,
                     "installments": len(parts)})
    return schedule


def _amount_or(value, default: Decimal) -> Decimal:
    if value in (None, ""):
        return default
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({"amount": "Give the amount in dollars and cents."}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": "Give a positive amount in whole cents."})
    return amount


@transaction.atomic
def redemption_payment_record(
    *, installment: RedemptionInstallment, paid_on: date, reference: str, recorded_by, amount=None, note: str = "",
) -> CapitalAccountEntry:
    """Record a payment of a redemption installment (by default all that is still due): a
    redemption entry in the worker's capital ledger pointing at the installment; the
    installment is marked paid once its payments reach its amount. Audited.

    Raises ValidationError, writing nothing, for an amount not in whole cents, more than is
    still due on the installment (or, for the capital part, more than the retained balance),
    an installment paid already, a missing or used reference, or a date before the exit."""
    worker = RedemptionSchedule.objects.select_related("worker").get(pk=installment.schedule_id).worker
    # The worker row lock serialises this with capital_redeem and the exit (one balance).
    worker = type(worker).objects.select_for_update().select_related("cooperative").get(pk=worker.pk)
    installment = RedemptionInstallment.objects.select_for_update().select_related("schedule").get(pk=installment.pk)
    schedule = installment.schedule
    paid = -sum_to_cents(installment.payments.aggregate(total=Sum("amount"))["total"])
    due = installment.amount - paid
    if due <= 0:
        raise ValidationError(f"Installment {installment.number} is paid already ({money_text(installment.amount)}).")
    amount = _amount_or(amount, due)
    reference = (reference or "").strip()
    errors = {}
    if amount > due:
        errors["amount"] = (f"Only {money_text(due)} is due on installment {installment.number}; "
                            f"{money_text(amount)} is more than that.")
    elif installment.part == RedemptionInstallment.Part.CAPITAL:
        balance = selectors.capital_account(worker).retained_balance
        if amount > balance:
            errors["amount"] = f"The retained balance is {money_text(balance)}; {money_text(amount)} is more than that."
    if not reference:
        errors["reference"] = "Give the check or transfer reference."
    elif CapitalAccountEntry.objects.filter(reference=reference).exists():
        errors["reference"] = "This reference is already recorded."
    if paid_on < schedule.effective_on:
        errors["paid_on"] = f"Ownership ended on {schedule.effective_on:%b %-d, %Y}; a redemption is paid on or after that."
    if errors:
        raise ValidationError(errors)
    entry = CapitalAccountEntry.objects.create(
        cooperative=worker.cooperative, worker=worker, kind=CapitalAccountEntry.Kind.REDEMPTION, amount=-amount,
        effective_on=paid_on, reference=reference, redemption_installment=installment, recorded_by=recorded_by,
        note=(note.strip() or f"{installment.get_part_display()}, installment {installment.number} of the exit redemption")[:300],
    )
    if amount == due:
        installment.paid_on = paid_on
        installment.save(update_fields=["paid_on"])
    audit_log(cooperative=worker.cooperative, action="patronage.redemption.paid", user=recorded_by, obj=schedule,
              data={"installment": installment.number, "part": installment.part, "amount": amount,
                    "reference": reference, "paid_in_full": amount == due})
    return entry
