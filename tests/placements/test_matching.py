from datetime import date

import pytest
from django.core.exceptions import ValidationError

from placements.models import Assignment, Shift
from placements.services.matching import assignment_cancel, shift_assign, shift_candidates, worker_reasons
from placements.services.orders import job_order_create
from tests.members.factories import HoursEntryFactory, JobClassificationFactory, WorkerFactory
from tests.placements.conftest import DAY, NIGHT, licensed_worker


def _shift(contract, lvn, day=date(2026, 12, 8), times=DAY):
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=times[0], shift_end=times[1])
    return Shift.objects.get(job_order=order)



def test_each_reason_a_worker_is_ineligible(alliedup, contract, lvn, licence):
    shift = _shift(contract, lvn)
    ok = licensed_worker(alliedup, lvn, licence, last_name="Ok")
    assert worker_reasons(shift, ok) == []
    other = JobClassificationFactory(cooperative=alliedup, code="cna", name="CNA")
    assert worker_reasons(shift, WorkerFactory(cooperative=alliedup, classifications=[other])) == [
        "Not hired as Licensed Vocational Nurse.", "No LVN licence on file."]
    expiring = licensed_worker(alliedup, lvn, licence, expires=date(2026, 12, 7))
    assert worker_reasons(shift, expiring) == ["LVN licence expires 2026-12-07, before the shift ends on 2026-12-08."]
    inactive = licensed_worker(alliedup, lvn, licence, is_active=False)
    assert worker_reasons(shift, inactive) == ["Not an active employee."]


def test_a_licence_expiring_on_the_shift_end_date_is_still_valid(alliedup, contract, lvn, licence):
    shift = _shift(contract, lvn, day=date(2026, 12, 8), times=NIGHT)  # ends Dec 9 07:00 at the site
    assert worker_reasons(shift, licensed_worker(alliedup, lvn, licence, expires=date(2026, 12, 9))) == []
    assert worker_reasons(shift, licensed_worker(alliedup, lvn, licence, expires=date(2026, 12, 8))) != []


def test_overlap_across_midnight_is_detected_and_back_to_back_is_not(alliedup, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    night = _shift(contract, lvn, day=date(2026, 12, 8), times=NIGHT)  # 19:00 → 07:00 next day
    shift_assign(shift=night, worker=worker)
    morning_after = _shift(contract, lvn, day=date(2026, 12, 9), times=(DAY[0].replace(hour=6), DAY[1]))  # 06:00, overlaps
    assert worker_reasons(morning_after, worker) == ["Already working Dec 8 19:00–07:00 (site time), which overlaps."]
    back_to_back = _shift(contract, lvn, day=date(2026, 12, 9), times=DAY)  # starts 07:00 as the night ends
    assert worker_reasons(back_to_back, worker) == []


def test_candidates_are_ranked_toward_ownership_and_ineligible_ones_say_why(alliedup, contract, lvn, licence):
    shift = _shift(contract, lvn)
    near = licensed_worker(alliedup, lvn, licence, last_name="Near")
    fresh = licensed_worker(alliedup, lvn, licence, last_name="Fresh")
    HoursEntryFactory(worker=near, classification=lvn, workday=date(2026, 11, 1), hours="12.00")
    WorkerFactory(cooperative=alliedup, classifications=[lvn], last_name="Unlicensed")
    eligible, ineligible = shift_candidates(shift)
    assert [c.worker for c in eligible] == [near, fresh]
    assert [(c.worker.last_name, c.reasons) for c in ineligible] == [("Unlicensed", ["No LVN licence on file."])]


def test_candidate_query_count_does_not_grow_with_workers(alliedup, contract, lvn, licence, django_assert_max_num_queries):
    shift = _shift(contract, lvn)
    for i in range(25):
        licensed_worker(alliedup, lvn, licence)
    with django_assert_max_num_queries(9):
        eligible, _ = shift_candidates(shift)
    assert len(eligible) == 25


def test_assigning_fills_the_shift_and_refuses_a_second_worker(alliedup, contract, lvn, licence):
    shift = _shift(contract, lvn)
    first, second = licensed_worker(alliedup, lvn, licence), licensed_worker(alliedup, lvn, licence)
    shift_assign(shift=shift, worker=first)
    assert Shift.objects.get(pk=shift.pk).status == "filled"
    with pytest.raises(ValidationError, match="filled"):
        shift_assign(shift=shift, worker=second)
    with pytest.raises(ValidationError):
        shift_assign(shift=_shift(contract, lvn), worker=WorkerFactory(cooperative=alliedup, classifications=[lvn]))
    assert Assignment.objects.count() == 1


def test_no_bill_rate_means_the_shift_cannot_be_filled(alliedup, contract, lvn, licence):
    shift = _shift(contract, lvn)
    contract.bill_rates.all().delete()
    with pytest.raises(ValidationError, match="No bill rate"):
        shift_assign(shift=shift, worker=licensed_worker(alliedup, lvn, licence))
    assert not Assignment.objects.exists()


def test_cancelling_reopens_the_shift(alliedup, contract, lvn, licence):
    shift = _shift(contract, lvn)
    assignment = shift_assign(shift=shift, worker=licensed_worker(alliedup, lvn, licence))
    with pytest.raises(ValidationError):
        assignment_cancel(assignment=assignment, reason="")
    assignment_cancel(assignment=assignment, reason="Sick child")
    assert Shift.objects.get(pk=shift.pk).status == "open"
    shift_assign(shift=shift, worker=licensed_worker(alliedup, lvn, licence))


def test_workers_cannot_request_a_shift_that_has_started(alliedup, contract, lvn, licence):
    from placements.services.matching import shift_request

    past = _shift(contract, lvn, day=date(2026, 11, 2))
    with pytest.raises(ValidationError, match="already started"):
        shift_request(shift=past, worker=licensed_worker(alliedup, lvn, licence))
    assert not Assignment.objects.exists()


def test_an_ended_contract_blocks_filling_its_shifts(alliedup, contract, lvn, licence):
    shift = _shift(contract, lvn)
    contract.status = "ended"
    contract.save()
    with pytest.raises(ValidationError, match="not active"):
        shift_assign(shift=shift, worker=licensed_worker(alliedup, lvn, licence))
