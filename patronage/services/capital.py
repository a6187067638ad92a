"""Capital accounts: paying out retained patronage outside an exit's schedule, and the opening
balance a co-op brings from before the platform (the roster import). Each is an append-only
entry of the capital ledger; the balance is their sum (patronage.selectors.capital_account)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.money import CENT, money_text
from members.choices import MemberStatus
from patronage import selectors
from patronage.models import CapitalAccountEntry, RedemptionInstallment


@transaction.atomic
def capital_redeem(*, worker, amount, effective_on: date, reference: str, reason: str, recorded_by) -> CapitalAccountEntry:
    """Pay out (part of) a member's retained patronage, e.g. on exit per the bylaws' schedule.
    Never more than the retained balance (equity is redeemed through members)."""
    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        raise ValidationError({"amount": "Give the amount in dollars and cents."}) from None
    type(worker).objects.select_for_update().filter(pk=worker.pk).first()
    balance = selectors.capital_account(worker).retained_balance
    scheduled = selectors.redemption_outstanding(worker)[RedemptionInstallment.Part.CAPITAL]
    errors = {}
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        errors["amount"] = "Give a positive amount in whole cents."
    elif amount > balance:
        errors["amount"] = f"The retained balance is {money_text(balance)}; {money_text(amount)} is more than that."
    elif amount > balance - scheduled:
        # Paying the exit schedule's money out here would leave its installments unfunded.
        errors["amount"] = (
            f"{money_text(scheduled)} of the retained balance is scheduled for redemption on exit: record those "
            f"payments against the schedule's installments. At most {money_text(balance - scheduled)} can be paid out here."
        )
    if not reference.strip():
        errors["reference"] = "Give the check or transfer reference."
    elif CapitalAccountEntry.objects.filter(reference=reference.strip()).exists():
        errors["reference"] = "This reference is already recorded."
    if errors:
        raise ValidationError(errors)
    entry = CapitalAccountEntry.objects.create(
        cooperative=worker.cooperative, worker=worker, kind=CapitalAccountEntry.Kind.REDEMPTION, amount=-amount,
        effective_on=effective_on, reference=reference.strip(), note=reason.strip()[:300], recorded_by=recorded_by,
    )
    audit_log(cooperative=worker.cooperative, action="patronage.capital.redeemed", user=recorded_by, obj=worker,
              data={"amount": str(amount), "reference": reference})
    return entry


@transaction.atomic
def capital_opening_post(
    *, worker, amount, effective_on: date, reference: str, note: str = "", recorded_by=None,
) -> CapitalAccountEntry:
    """Bring over the capital account balance a worker-owner had before the co-op moved onto
    the platform (onboarding.services.roster_import): one entry of kind opening, which the
    balance, payouts and an exit's redemption schedule count like retained patronage.
    Returns the entry; audited as `patronage.capital.opening_posted`.

    Refused (ValidationError): not a positive amount in whole cents, a worker who is not a
    worker-owner, one who already has an opening balance, a reference already used."""
    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        raise ValidationError({"amount": "Give the opening balance in dollars and cents."}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": "Give a positive opening balance in whole cents."})
    # Read under a lock, not from the instance (which may predate the status change): an exit
    # at the same time either sees this entry or refuses this one.
    status = type(worker).objects.select_for_update().filter(pk=worker.pk).values_list("status", flat=True).first()
    if status != MemberStatus.OWNER:
        raise ValidationError(f"{worker} is not a worker-owner: only worker-owners hold a capital account.")
    # One query for both refusals: an account opens once, and references are unique in the co-op.
    clash = (CapitalAccountEntry.objects.filter(worker=worker, kind=CapitalAccountEntry.Kind.OPENING)
             | CapitalAccountEntry.objects.filter(reference=reference.strip())).first()
    if clash is not None:
        raise ValidationError(
            f"{worker}'s capital account already has its opening balance." if clash.worker_id == worker.pk
            and clash.kind == CapitalAccountEntry.Kind.OPENING else {"reference": "This reference is already recorded."}
        )
    entry = CapitalAccountEntry.objects.create(
        cooperative=worker.cooperative, worker=worker, kind=CapitalAccountEntry.Kind.OPENING, amount=amount,
        effective_on=effective_on, reference=reference.strip(), note=note.strip()[:300], recorded_by=recorded_by,
    )
    audit_log(cooperative=worker.cooperative, action="patronage.capital.opening_posted", user=recorded_by, obj=worker,
              data={"amount": str(amount), "effective_on": effective_on, "reference": entry.reference})
    return entry
