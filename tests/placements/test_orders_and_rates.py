from datetime import UTC, date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from placements.models import BillRate, JobOrder, Shift
from placements.selectors import bill_rate_on
from placements.services.clients import bill_rate_set
from placements.services.orders import job_order_create
from tests.placements.conftest import DAY, NIGHT


def _hours(shift):
    return (shift.ends_at.astimezone(UTC) - shift.starts_at.astimezone(UTC)) / timedelta(hours=1)


def test_job_order_makes_one_shift_per_position_per_matching_day(contract, lvn):
    order = job_order_create(contract=contract, classification=lvn, starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 13),
                             shift_start=DAY[0], shift_end=DAY[1], headcount=2, weekdays="01234")
    shifts = list(Shift.objects.filter(job_order=order))
    assert len(shifts) == 10 and {s.status for s in shifts} == {"open"}
    assert all(_hours(s) == 8.5 for s in shifts)


@pytest.mark.parametrize("day, hours", [
    (date(2026, 3, 7), 11),   # night shift across the spring-forward change (Mar 8): an hour shorter
    (date(2026, 10, 31), 13),  # across the fall-back change (Nov 1): an hour longer
    (date(2026, 6, 1), 12),
])
def test_night_shifts_across_midnight_and_dst(contract, lvn, day, hours):
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=NIGHT[0], shift_end=NIGHT[1])
    shift = Shift.objects.get(job_order=order)
    assert _hours(shift) == hours


@pytest.mark.parametrize("kwargs, field", [
    ({"starts_on": date(2026, 12, 10), "ends_on": date(2026, 12, 9)}, "ends_on"),
    ({"shift_start": time(7), "shift_end": time(7)}, "shift_end"),
    ({"headcount": 0}, "headcount"),
    ({"weekdays": "79"}, "weekdays"),
])
def test_bad_job_orders_are_refused_and_nothing_is_written(contract, lvn, kwargs, field):
    args = {"contract": contract, "classification": lvn, "starts_on": date(2026, 12, 1), "ends_on": date(2026, 12, 2),
            "shift_start": DAY[0], "shift_end": DAY[1], **kwargs}
    with pytest.raises(ValidationError) as err:
        job_order_create(**args)
    assert field in err.value.message_dict
    assert not JobOrder.objects.exists() and not Shift.objects.exists()


def test_bill_rates_are_effective_dated(contract, lvn):
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 7, 1), regular_rate="55.5000")
    assert bill_rate_on(contract, lvn.pk, date(2026, 6, 30)).regular_rate == Decimal("52.0000")
    assert bill_rate_on(contract, lvn.pk, date(2026, 7, 1)).regular_rate == Decimal("55.5000")
    assert bill_rate_on(contract, lvn.pk, date(2025, 12, 31)) is None


@pytest.mark.parametrize("rate", ["0", "-10", "12.34567"])
def test_bad_bill_rates_are_refused(contract, lvn, rate):
    with pytest.raises(ValidationError):
        bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 9, 1), regular_rate=rate)
    assert BillRate.objects.count() == 1


def test_job_orders_stay_within_the_contract_dates(contract, lvn):
    contract.ends_on = date(2026, 12, 31)
    contract.save()
    for starts, ends, field in [(date(2025, 12, 30), date(2026, 1, 2), "starts_on"), (date(2026, 12, 30), date(2027, 1, 2), "ends_on")]:
        with pytest.raises(ValidationError) as err:
            job_order_create(contract=contract, classification=lvn, starts_on=starts, ends_on=ends, shift_start=DAY[0], shift_end=DAY[1])
        assert field in err.value.message_dict
    assert not JobOrder.objects.exists()


def test_a_shift_in_the_spring_forward_gap_is_a_clear_error(contract, lvn):
    with pytest.raises(ValidationError) as err:
        job_order_create(contract=contract, classification=lvn, starts_on=date(2026, 3, 6), ends_on=date(2026, 3, 9),
                         shift_start=time(2, 30), shift_end=time(3, 0))
    assert "2026-03-08" in str(err.value) and not Shift.objects.exists()


def test_nan_is_not_a_rate(contract, lvn):
    with pytest.raises(ValidationError):
        bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 9, 1), regular_rate="NaN")
