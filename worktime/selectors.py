"""Reads of the co-op's holiday calendar, for placements (billing, the fill board), payroll
(the holiday premium, the calendar's pages) and the set-up checklist."""

from datetime import date

from alliedup.models import Cooperative
from worktime.models import Holiday


def holidays_between(cooperative: Cooperative, first_day: date, last_day: date) -> dict[date, str]:
    """{day: name} of the co-op's holiday calendar in [first_day, last_day]. One query."""
    return dict(Holiday.objects.filter(cooperative=cooperative, day__gte=first_day, day__lte=last_day).values_list("day", "name"))


def holidays_in_year(cooperative: Cooperative, year: int):
    """The co-op's holidays of `year`, by day (a queryset of Holiday)."""
    return Holiday.objects.filter(cooperative=cooperative, day__year=year).order_by("day")


def holiday_count_in_year(cooperative: Cooperative, year: int) -> int:
    """How many days of `year` the co-op's calendar holds. One query."""
    return Holiday.objects.filter(cooperative=cooperative, day__year=year).count()
