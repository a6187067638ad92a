"""Pay periods: whole workweeks, weekly or biweekly per the co-op, one after another."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from payroll.models import PayPeriod, PayRun

LENGTH = {Cooperative.PayFrequency.WEEKLY: 7, Cooperative.PayFrequency.BIWEEKLY: 14}
PAY_DELAY_DAYS = 5  # default pay date: the Friday after a Sunday-start period ends on Saturday


@transaction.atomic
def pay_period_create(*, cooperative: Cooperative, starts_on: date | None = None, pay_date: date | None = None,
                      created_by=None) -> PayPeriod:
    """Open the next pay period (or the first one, from `starts_on`) with its draft run.

    Periods follow each other without gaps, start on the co-op's workweek start day and
    last one or two workweeks, so weekly overtime is always counted inside one run."""
    Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()  # one period at a time
    last = PayPeriod.objects.order_by("-starts_on").first()
    if last is not None:
        if starts_on is not None and starts_on != last.ends_on + timedelta(days=1):
            raise ValidationError({"starts_on": f"The next period starts on {last.ends_on + timedelta(days=1)}, the day after the last one ends."})
        starts_on = last.ends_on + timedelta(days=1)
    elif starts_on is None:
        raise ValidationError({"starts_on": "Give the first period's start date."})
    if starts_on.weekday() != cooperative.workweek_start:
        raise ValidationError({"starts_on": f"Pay periods start on the workweek's first day ({cooperative.get_workweek_start_display()})."})
    ends_on = starts_on + timedelta(days=LENGTH[cooperative.pay_frequency] - 1)
    pay_date = pay_date or ends_on + timedelta(days=PAY_DELAY_DAYS + 1)
    if pay_date < ends_on:
        raise ValidationError({"pay_date": "The pay date cannot be before the period ends."})
    period = PayPeriod.objects.create(cooperative=cooperative, starts_on=starts_on, ends_on=ends_on, pay_date=pay_date)
    PayRun.objects.create(cooperative=cooperative, period=period)
    audit_log(cooperative=cooperative, action="payroll.period.created", user=created_by, obj=period,
              after={"starts_on": starts_on, "ends_on": ends_on, "pay_date": pay_date})
    return period
