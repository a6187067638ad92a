"""The co-op's holiday calendar (worktime): the standard list, adding and removing days, the
reads placements and payroll use, and the hooks payroll's guard plugs into. What payroll makes
of a holiday (the premium, approved runs' days): tests/payroll/test_holidays.py."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from alliedup.models import AuditEvent
from worktime.holidays import standard_holidays
from worktime.models import Holiday
from worktime.selectors import holiday_count_in_year, holidays_between, holidays_in_year
from worktime.services import holiday_add, holiday_remove, holidays_add_standard

VETERANS_DAY = date(2026, 11, 11)


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


def test_the_standard_list_falls_on_the_right_days():
    assert standard_holidays(2026) == [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 1, 19), "Martin Luther King Jr. Day"),  # third Monday: Jan 5, 12, 19
        (date(2026, 2, 16), "Presidents' Day"),  # third Monday: Feb 2, 9, 16
        (date(2026, 5, 25), "Memorial Day"),  # last Monday: May 31 is a Sunday
        (date(2026, 7, 4), "Independence Day"),
        (date(2026, 9, 7), "Labor Day"),  # first Monday: Sep 1 is a Tuesday
        (date(2026, 11, 26), "Thanksgiving Day"),  # fourth Thursday: Nov 5, 12, 19, 26
        (date(2026, 12, 25), "Christmas Day"),
    ]
    assert [d for d, _ in standard_holidays(2027)][3] == date(2027, 5, 31)  # May 31, 2027 is a Monday


def test_bad_input_is_refused_and_nothing_is_written(alliedup):
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    with pytest.raises(ValidationError, match="already a holiday"):
        holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Again")
    with pytest.raises(ValidationError, match="Name the holiday"):
        holiday_add(cooperative=alliedup, day=date(2026, 12, 31), name="  ")
    with pytest.raises(ValidationError, match="not a holiday"):
        holiday_remove(cooperative=alliedup, day=date(2026, 12, 31))
    with pytest.raises(ValidationError):
        holidays_add_standard(cooperative=alliedup, year=1066)
    assert Holiday.objects.count() == 1
    # The standard list adds only what is missing, once.
    holiday_add(cooperative=alliedup, day=date(2027, 12, 25), name="Christmas (our name)")
    assert len(holidays_add_standard(cooperative=alliedup, year=2027)) == 7
    assert holidays_add_standard(cooperative=alliedup, year=2027) == []
    assert Holiday.objects.get(day=date(2027, 12, 25)).name == "Christmas (our name)"
    assert AuditEvent.objects.filter(action="payroll.holiday.added").count() == 2


def test_the_callers_check_refuses_a_day_before_anything_is_written(alliedup):
    def closed(day):
        raise ValidationError({"day": f"{day} is closed."})

    with pytest.raises(ValidationError, match="is closed"):
        holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day", check_day=closed)
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    with pytest.raises(ValidationError, match="is closed"):
        holiday_remove(cooperative=alliedup, day=VETERANS_DAY, check_day=closed)
    # The standard list leaves out the days the caller skips (here Thanksgiving).
    added = holidays_add_standard(cooperative=alliedup, year=2026, skip_day=lambda day: day == date(2026, 11, 26))
    assert len(added) == 7 and date(2026, 11, 26) not in {h.day for h in added}
    assert Holiday.objects.filter(day=VETERANS_DAY).exists()


def test_the_reads_see_only_the_coops_own_calendar(alliedup, nursescan):
    with scope(cooperative=nursescan):
        holiday_add(cooperative=nursescan, day=date(2026, 3, 3), name="NursesCan founding day")
    holidays_add_standard(cooperative=alliedup, year=2026)
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    assert holidays_between(alliedup, date(2026, 11, 1), date(2026, 11, 30)) == {
        VETERANS_DAY: "Veterans Day", date(2026, 11, 26): "Thanksgiving Day"}
    assert holidays_between(alliedup, date(2026, 3, 1), date(2026, 3, 31)) == {}
    assert [h.day for h in holidays_in_year(alliedup, 2026)][-3:] == [VETERANS_DAY, date(2026, 11, 26), date(2026, 12, 25)]
    assert holiday_count_in_year(alliedup, 2026) == 9 and holiday_count_in_year(alliedup, 2027) == 0
