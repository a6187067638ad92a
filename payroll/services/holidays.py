"""Payroll's side of the holiday calendar (worktime.services): a day inside the period of an
approved pay run can no longer be added or removed, as that pay is final and a later
correction of the week would otherwise pay or claw back the premium; a calculated run of
the day's period goes back to draft, to be calculated with the new calendar. The holiday
pages and API call these.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.models import Cooperative
from payroll.models import PayRun
from worktime import services as calendar


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


def _in_final_run(cooperative: Cooperative, day: date) -> bool:
    return _runs_of(cooperative, day).filter(status__in=PayRun.FINAL).exists()


@transaction.atomic
def holiday_add(*, cooperative: Cooperative, day: date, name: str, added_by=None):
    """worktime.services.holiday_add (returns the Holiday), refusing a day of an approved run (ValidationError)."""
    return calendar.holiday_add(cooperative=cooperative, day=day, name=name, added_by=added_by,
                                check_day=lambda d: _check_open(cooperative, d))


@transaction.atomic
def holiday_remove(*, cooperative: Cooperative, day: date, removed_by=None) -> None:
    """worktime.services.holiday_remove, refusing a day of an approved run (ValidationError)."""
    calendar.holiday_remove(cooperative=cooperative, day=day, removed_by=removed_by,
                            check_day=lambda d: _check_open(cooperative, d))


@transaction.atomic
def holidays_add_standard(*, cooperative: Cooperative, year: int, added_by=None) -> list:
    """worktime.services.holidays_add_standard, leaving out the days of approved runs."""
    added = calendar.holidays_add_standard(cooperative=cooperative, year=year, added_by=added_by,
                                           skip_day=lambda d: _in_final_run(cooperative, d))
    for holiday in added:
        _to_draft(cooperative, holiday.day)
    return added
