"""The CBA's wage tables: effective dates never overlap, start inside the agreement's term,
every rate positive; CSV import all-or-nothing with each bad line named."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from payroll import selectors
from payroll.models import WageStep, WageTable
from payroll.services.wages import wage_table_close, wage_table_set, wage_tables_import
from tests.members.factories import JobClassificationFactory

D = Decimal


@pytest.fixture
def rn(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="rn", name="Registered Nurse")


@pytest.fixture
def lvn(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")


def ma_table(ma):
    return WageTable.objects.get(classification=ma)


def test_a_table_overlapping_an_open_ended_one_is_refused(agreement, ma):
    # The fixture's table runs from 2026-01-01 with no end.
    with pytest.raises(ValidationError) as err:
        wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 7, 1), steps={1: D("35.00")})
    assert "effective_from" in err.value.message_dict and "open-ended" in err.value.message_dict["effective_from"][0]
    assert WageTable.objects.filter(classification=ma).count() == 1


def test_a_closed_table_is_followed_by_one_starting_the_next_day(agreement, ma, alliedup):
    table = wage_table_close(table=ma_table(ma), effective_to=date(2026, 6, 30))
    # Starting on the closing day overlaps it by one day.
    with pytest.raises(ValidationError, match="2026-06-30"):
        wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 6, 30), steps={1: D("35.00")})
    new = wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 7, 1), steps={1: D("35.00"), 2: D("36.05")})
    assert list(new.steps.values_list("step", "hourly_rate")) == [(1, D("35.0000")), (2, D("36.0500"))]
    book = selectors.WageBook(alliedup, date(2026, 6, 1), date(2026, 7, 31))
    assert book.wage(ma.pk, 1, date(2026, 6, 30))[0] == D("33.00") and book.wage(ma.pk, 1, date(2026, 7, 1))[0] == D("35.00")
    assert book.wage(ma.pk, 1, date(2026, 6, 30))[2] == table


def test_a_closed_table_before_an_open_one_is_refused_when_it_reaches_into_it(agreement, ma):
    wage_table_close(table=ma_table(ma), effective_to=date(2026, 6, 30))
    wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 9, 1), steps={1: D("36.00")})
    # A gap Jul 1 – Aug 31: a table for it fits; one running into Sep 1 does not.
    with pytest.raises(ValidationError, match="overlap"):
        wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 7, 1), effective_to=date(2026, 9, 1), steps={1: D("35.00")})
    with pytest.raises(ValidationError, match="overlap"):
        wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 7, 1), steps={1: D("35.00")})
    wage_table_set(agreement=agreement, classification=ma, effective_from=date(2026, 7, 1), effective_to=date(2026, 8, 31), steps={1: D("35.00")})
    assert WageTable.objects.filter(classification=ma).count() == 3


@pytest.mark.parametrize("start", [date(2025, 12, 31), date(2027, 7, 1)])
def test_a_table_starting_outside_the_agreement_term_is_refused(agreement, rn, start):
    # The agreement runs 2026-01-01 to 2027-06-30.
    with pytest.raises(ValidationError) as err:
        wage_table_set(agreement=agreement, classification=rn, effective_from=start, steps={1: D("60.00")})
    assert "effective_from" in err.value.message_dict
    assert not WageTable.objects.filter(classification=rn).exists()


def test_a_table_ending_before_it_starts_is_refused(agreement, rn):
    with pytest.raises(ValidationError) as err:
        wage_table_set(agreement=agreement, classification=rn, effective_from=date(2026, 3, 1), effective_to=date(2026, 2, 28), steps={1: D("60.00")})
    assert "effective_to" in err.value.message_dict


@pytest.mark.parametrize("steps", [{1: D("0.00")}, {1: D("60.00"), 2: D("-1.00")}, {}, {0: D("60.00")}])
def test_zero_negative_or_missing_rates_and_steps_are_refused(agreement, rn, steps):
    with pytest.raises(ValidationError) as err:
        wage_table_set(agreement=agreement, classification=rn, effective_from=date(2026, 1, 1), steps=steps)
    assert "steps" in err.value.message_dict
    assert not WageTable.objects.filter(classification=rn).exists() and not WageStep.objects.filter(table__classification=rn).exists()


GOOD_CSV = """classification,effective_from,effective_to,step,hourly_rate
rn,2026-01-01,,1,60.00
rn,2026-01-01,,2,61.80
rn,2026-01-01,,3,63.6540
lvn,2026-01-01,2026-12-31,1,38.00
lvn,2026-01-01,2026-12-31,2,39.14
"""


def test_csv_import_creates_tables_with_their_steps(agreement, rn, lvn):
    created = wage_tables_import(agreement=agreement, csv_text="\ufeff" + GOOD_CSV, note="synthetic")
    assert len(created) == 2
    rn_table = WageTable.objects.get(classification=rn)
    assert (rn_table.effective_from, rn_table.effective_to, rn_table.benchmark_note) == (date(2026, 1, 1), None, "synthetic")
    assert list(rn_table.steps.values_list("step", "hourly_rate")) == [(1, D("60.0000")), (2, D("61.8000")), (3, D("63.6540"))]
    lvn_table = WageTable.objects.get(classification=lvn)
    assert lvn_table.effective_to == date(2026, 12, 31)
    assert list(lvn_table.steps.values_list("step", "hourly_rate")) == [(1, D("38.0000")), (2, D("39.1400"))]


def test_csv_import_names_every_bad_line_and_creates_nothing(agreement, rn, lvn):
    text = """classification,effective_from,effective_to,step,hourly_rate
rn,2026-01-01,,1,60.00
xray,2026-01-01,,1,45.00
lvn,2026-13-01,,1,38.00
lvn,2026-01-01,,2,-38.00
rn,2026-01-01,,2,61.80
rn,2026-01-01,,2,62.00
rn,2026-01-01,,3,63.12345
"""
    with pytest.raises(ValidationError) as err:
        wage_tables_import(agreement=agreement, csv_text=text)
    messages = err.value.messages
    assert [m.split(":")[0] for m in messages] == ["Line 3", "Line 4", "Line 5", "Line 7", "Line 8"]
    assert "unknown classification 'xray'" in messages[0]
    assert "positive" in messages[2]
    assert "step 2 of rn from 2026-01-01 appears twice" in messages[3]
    assert WageTable.objects.filter(classification__in=[rn, lvn]).count() == 0 and not WageStep.objects.filter(table__classification=rn).exists()


def test_csv_import_rolls_back_every_table_when_one_overlaps(agreement, rn, lvn, ma):
    text = GOOD_CSV + "ma,2026-03-01,,1,34.00\n"  # the MA table from 2026-01-01 is open-ended
    with pytest.raises(ValidationError) as err:
        wage_tables_import(agreement=agreement, csv_text=text)
    assert [m.split(":")[0] for m in err.value.messages] == ["ma from 2026-03-01"]
    assert WageTable.objects.count() == 1  # only the fixture's MA table


def test_csv_import_without_the_columns_or_rows_is_refused(agreement):
    with pytest.raises(ValidationError, match="missing: hourly_rate"):
        wage_tables_import(agreement=agreement, csv_text="classification,effective_from,effective_to,step\nrn,2026-01-01,,1\n")
    with pytest.raises(ValidationError, match="no rows"):
        wage_tables_import(agreement=agreement, csv_text="classification,effective_from,effective_to,step,hourly_rate\n")


def test_a_step_above_the_top_is_paid_at_the_top_and_a_missing_step_below(agreement, alliedup, rn):
    wage_table_set(agreement=agreement, classification=rn, effective_from=date(2026, 1, 1), steps={1: D("60.00"), 3: D("63.00")})
    book = selectors.WageBook(alliedup, date(2026, 11, 1), date(2026, 11, 14))
    day = date(2026, 11, 2)
    assert book.wage(rn.pk, 9, day)[:2] == (D("63.00"), 3)
    assert book.wage(rn.pk, 2, day)[:2] == (D("60.00"), 1)  # no step 2: the step below
    assert book.wage(rn.pk, 1, day)[:2] == (D("60.00"), 1)
