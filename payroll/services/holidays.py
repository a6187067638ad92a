"""The co-op's holiday calendar: hours on its days bill at the contracts' holiday multiplier
(placements.billing) and are paid the agreement's holiday premium (services.runs).

A day inside the period of an approved pay run can no longer be added or removed: that pay
is final, and a later correction of the week would otherwise pay or claw back the premium.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from payroll.holidays import standard_holidays
from payroll.models import Holiday, PayRun

MIN_YEAR, MAX_YEAR = 2000, 2100


def _runs_of(cooperative: Cooperative, day: date):
    """The pay runs whose period holds `day` (one at most: periods do not overlap)."""
    return PayRun.objects.filter(cooperative=cooperative, period__starts_on__lte=day, period__ends_on__gte=day)


def _check_open(cooperative: Cooperative, day: date) -> None:
    """Refuse a day of an approved run's period; send a run of it calculated with the old
    calendar back to draft (approved as it is, it would pay the day without, or with, the
    premium for good). The run is locked first, so an approval at the same moment either
    sees the draft or is seen as final."""
    for run in _runs_of(cooperative, day).select_for_update(of=("self",)).select_related("period"):
        if run.is_final:
            raise ValidationError({"day": f"{day:%b %d, %Y} is in the approved pay run of {run.period}; its pay is final."})
    _to_draft(cooperative, day)


def _to_draft(cooperative: Cooperative, day: date) -> None:
    _runs_of(cooperative, day).filter(status=PayRun.Status.CALCULATED).update(status=PayRun.Status.DRAFT)


@transaction.atomic
def holiday_add(*, cooperative: Cooperative, day: date, name: str, added_by=None) -> Holiday:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the holiday."})
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError({"day": f"Give a day between {MIN_YEAR} and {MAX_YEAR}."})
    _check_open(cooperative, day)
    if Holiday.objects.filter(cooperative=cooperative, day=day).exists():
        raise ValidationError({"day": f"{day:%b %d, %Y} is already a holiday."})
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(cooperative=cooperative, day=day, name=name[:100])
    except IntegrityError:  # added at the same moment by someone else
        raise ValidationError({"day": f"{day:%b %d, %Y} is already a holiday."}) from None
    audit_log(cooperative=cooperative, action="payroll.holiday.added", user=added_by, obj=holiday,
              after={"day": day, "name": holiday.name})
    return holiday


@transaction.atomic
def holiday_remove(*, cooperative: Cooperative, day: date, removed_by=None) -> None:
    holiday = Holiday.objects.filter(cooperative=cooperative, day=day).select_for_update().first()
    if holiday is None:
        raise ValidationError({"day": f"{day:%b %d, %Y} is not a holiday."})
    _check_open(cooperative, day)
    audit_log(cooperative=cooperative, action="payroll.holiday.removed", user=removed_by, obj=holiday,
              before={"day": day, "name": holiday.name})
    holiday.delete()


@transaction.atomic
def holidays_add_standard(*, cooperative: Cooperative, year: int, added_by=None) -> list[Holiday]:
    """Add the standard list's days of `year` (payroll.holidays) that are not in the calendar
    yet; days already there (under any name) and days of approved pay runs are left alone."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": f"Give a year between {MIN_YEAR} and {MAX_YEAR}."})
    taken = set(Holiday.objects.filter(cooperative=cooperative, day__year=year).values_list("day", flat=True))
    added = []
    for day, name in standard_holidays(year):
        if day in taken or _runs_of(cooperative, day).filter(status__in=PayRun.FINAL).exists():
            continue
        added.append(Holiday.objects.create(cooperative=cooperative, day=day, name=name))
        _to_draft(cooperative, day)
    if added:
        audit_log(cooperative=cooperative, action="payroll.holiday.standard_added", user=added_by, obj=added[0],
                  data={"year": year, "days": [str(h.day) for h in added]})
    return added
