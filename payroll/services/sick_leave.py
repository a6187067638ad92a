"""Paid sick leave use (CA Labor Code §246). Accrual is posted when a pay run is approved
(payroll.services.runs.payrun_approve)."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from members.models import Worker
from payroll.models import SickLeaveEntry
from payroll.selectors import sick_balances, sick_caps, sick_used_in_year
from payroll.services.runs import LOOKBACK_DAYS

MAX_AHEAD_DAYS = 60


@transaction.atomic
def sick_leave_use(*, worker: Worker, workday: date, hours, note: str = "", recorded_by=None) -> SickLeaveEntry:
    """Record paid sick hours taken on `workday`; the next pay run pays them at the regular rate.

    Refused (nothing written): hours not positive or over 24, a day older than the next run
    picks up or more than 60 days ahead, before the worker's usable-from day (hire + the
    co-op's waiting days), more than the balance, or past the yearly use cap (the greater of
    the co-op's hours and its days × the worker's day, `selectors.sick_caps`)."""
    coop = worker.cooperative
    try:
        hours = Decimal(str(hours))
    except InvalidOperation:
        raise ValidationError({"hours": "Give the hours as a number."}) from None
    Worker.objects.select_for_update().filter(pk=worker.pk).first()  # one use at a time per worker
    errors = {}
    usable_from = worker.hire_date + timedelta(days=coop.sick_usable_after_days)
    today = coop.today()
    if not hours.is_finite() or hours <= 0 or hours > 24 or hours != hours.quantize(Decimal("0.01")):
        errors["hours"] = "Give between 0.01 and 24 hours."
    elif workday < today - timedelta(days=LOOKBACK_DAYS):
        errors["workday"] = f"Sick leave older than {LOOKBACK_DAYS} days is no longer paid by a pay run; record it as an adjustment."
    elif workday > today + timedelta(days=MAX_AHEAD_DAYS):
        errors["workday"] = f"Record planned sick leave at most {MAX_AHEAD_DAYS} days ahead."
    elif workday < usable_from:
        errors["workday"] = f"Paid sick leave is usable from {usable_from} ({coop.sick_usable_after_days} days after hire)."
    else:
        balance = sick_balances([worker.pk]).get(worker.pk) or Decimal("0")
        used = sick_used_in_year(worker, workday.year)
        if hours > balance:
            errors["hours"] = f"Only {balance.quantize(Decimal('0.01'))} hours of sick leave are available."
        elif used + hours > (cap := sick_caps(coop, [worker.pk], workday)[worker.pk].use):
            errors["hours"] = f"{used} of the {cap} hours usable in {workday.year} are already used."
    if errors:
        raise ValidationError(errors)
    entry = SickLeaveEntry.objects.create(cooperative=coop, worker=worker, kind=SickLeaveEntry.Kind.USED, hours=-hours,
                                          workday=workday, note=note[:200], recorded_by=recorded_by)
    audit_log(cooperative=coop, action="payroll.sick_leave.used", user=recorded_by, obj=worker,
              data={"workday": workday, "hours": str(hours)})
    return entry
