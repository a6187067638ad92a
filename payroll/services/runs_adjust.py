"""Pay runs, staff adjustments: a correction line added by hand (a missed premium, an
overpayment taken back) within the co-op's bounds; the run goes back to draft."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.money import money_text
from payroll.models import REASON_MAX_LENGTH, PayLine, PayRun
from payroll.services.pay_lines import ZERO, Kind
from payroll.services.runs_calculate import run_lock

if TYPE_CHECKING:
    from members.models import Worker


def _decimal(value) -> Decimal | None:
    """`value` as a finite Decimal, or None when it is not a number."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _amount_error(coop, amount: Decimal | None) -> str | None:
    if amount is None or amount == 0 or amount.normalize().as_tuple().exponent < -2:
        return "Give a non-zero amount in whole cents."
    if abs(amount) > coop.adjustment_max_amount:
        return (f"An adjustment is at most {money_text(coop.adjustment_max_amount)} either way (the co-op's limit); "
                f"{money_text(amount)} is refused.")
    return None


def _hours_error(coop, hours: Decimal | None) -> str | None:
    if hours is None or hours.normalize().as_tuple().exponent < -2:
        return "Give the hours to the hundredth."
    if abs(hours) > coop.adjustment_max_hours:
        return f"An adjustment is at most {coop.adjustment_max_hours} hours either way (the co-op's limit); {hours} is refused."
    return None


def _reason_error(coop, reason: str) -> str | None:
    reason = (reason or "").strip()
    if not reason:
        return "Say what the adjustment is for."
    if len(reason) > REASON_MAX_LENGTH:
        return f"Keep the reason to {REASON_MAX_LENGTH} characters (it has {len(reason)})."
    return None


ADJUSTMENT_CHECKS = {"amount": _amount_error, "hours": _hours_error, "reason": _reason_error}


def adjustment_errors(*, cooperative, **values) -> dict[str, str]:
    """{field: why it is refused} for the adjustment figures given (any of amount, hours:
    Decimal, None when not a number; reason: text), {} when they are fine. The forms and
    serializers ask it before calling pay_adjustment_add, which asks it again. The bounds
    are the co-op's settings (issue 14: −$999,999,999 typed by mistake reached a worker's
    phone)."""
    errors = {field: ADJUSTMENT_CHECKS[field](cooperative, value) for field, value in values.items()}
    return {field: message for field, message in errors.items() if message}


@transaction.atomic
def pay_adjustment_add(*, run: PayRun, worker: Worker, amount, reason: str, hours=ZERO, corrects_run: PayRun | None = None,
                       workday: date | None = None, added_by=None) -> PayLine:
    """A staff correction (e.g. a missed premium from an approved run). The run goes back to
    draft: calculate it again to update statements and deductions.

    Raises ValidationError by field, writing nothing: an amount that is zero, not in whole
    cents or beyond the co-op's `adjustment_max_amount` either way; hours beyond its
    `adjustment_max_hours`; a reason empty or over REASON_MAX_LENGTH characters; a worker of
    another co-op; a corrected run that is not approved; a final run."""
    run = run_lock(run)
    amount, hours, reason = _decimal(amount), _decimal(ZERO if hours is None else hours), (reason or "").strip()
    errors = adjustment_errors(cooperative=run.cooperative, amount=amount, hours=hours, reason=reason)
    if worker.cooperative_id != run.cooperative_id:
        errors["worker"] = "Unknown worker."
    if corrects_run is not None and not corrects_run.is_final:
        errors["corrects_run"] = "Only an approved run is corrected by an adjustment."
    if errors:
        raise ValidationError(errors)
    line = PayLine.objects.create(
        cooperative=run.cooperative, run=run, worker=worker, workday=workday or run.period.ends_on, kind=Kind.ADJUSTMENT,
        hours=hours.quantize(Decimal("0.01")), rate=ZERO, amount=amount.quantize(Decimal("0.01")), description=reason,
        corrects_run=corrects_run, is_manual=True, created_by=added_by,
    )
    run.status = PayRun.Status.DRAFT
    run.save(update_fields=["status"])
    audit_log(cooperative=run.cooperative, action="payroll.adjustment.added", user=added_by, obj=run,
              data={"worker": str(worker.uuid), "amount": str(amount), "hours": str(hours), "reason": reason})
    return line
