"""Writes of the co-op's holiday calendar: hours on its days bill at the contracts' holiday
multiplier (placements.billing) and are paid the agreement's holiday premium
(payroll.services.pay_lines).

Payroll, above this app, keeps a day of an approved pay run fixed: its services
(payroll.services.holidays, which the holiday pages and API call) pass `check_day` /
`skip_day`, asked under the same transaction before the calendar changes.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from worktime.holidays import standard_holidays
from worktime.models import Holiday

MIN_YEAR, MAX_YEAR = 2000, 2100


@transaction.atomic
def holiday_add(*, cooperative: Cooperative, day: date, name: str, added_by=None,
                check_day: Callable[[date], None] | None = None) -> Holiday:
    """Add `day` to the calendar as `name`. Raises ValidationError, writing nothing, for no
    name, a year outside MIN_YEAR–MAX_YEAR, a day already a holiday, or what `check_day(day)`
    raises."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the holiday."})
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError({"day": f"Give a day between {MIN_YEAR} and {MAX_YEAR}."})
    if check_day is not None:
        check_day(day)
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
def holiday_remove(*, cooperative: Cooperative, day: date, removed_by=None,
                   check_day: Callable[[date], None] | None = None) -> None:
    """Take `day` off the calendar. Raises ValidationError, writing nothing, when it is not a
    holiday or `check_day(day)` refuses it."""
    holiday = Holiday.objects.filter(cooperative=cooperative, day=day).select_for_update().first()
    if holiday is None:
        raise ValidationError({"day": f"{day:%b %d, %Y} is not a holiday."})
    if check_day is not None:
        check_day(day)
    audit_log(cooperative=cooperative, action="payroll.holiday.removed", user=removed_by, obj=holiday,
              before={"day": day, "name": holiday.name})
    holiday.delete()


@transaction.atomic
def holidays_add_standard(*, cooperative: Cooperative, year: int, added_by=None,
                          skip_day: Callable[[date], bool] | None = None) -> list[Holiday]:
    """Add the standard list's days of `year` (worktime.holidays) that are not in the calendar
    yet; days already there (under any name) and days `skip_day(day)` is true of are left
    alone. Returns the holidays added. Raises ValidationError for a year out of range."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": f"Give a year between {MIN_YEAR} and {MAX_YEAR}."})
    taken = set(Holiday.objects.filter(cooperative=cooperative, day__year=year).values_list("day", flat=True))
    added = []
    for day, name in standard_holidays(year):
        if day in taken or (skip_day is not None and skip_day(day)):
            continue
        added.append(Holiday.objects.create(cooperative=cooperative, day=day, name=name))
    if added:
        audit_log(cooperative=cooperative, action="payroll.holiday.standard_added", user=added_by, obj=added[0],
                  data={"year": year, "days": [str(h.day) for h in added]})
    return added
