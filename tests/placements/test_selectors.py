from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import WorkerCredential
from placements.models import Assignment, Shift
from placements.selectors import shifts_open_to, worker_schedule
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import assignment_cancel, shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_submit
from tests.members.factories import JobClassificationFactory, WorkerFactory
from tests.placements.conftest import DAY, NIGHT, licensed_worker

# The window the tests look through: December 2026, Los Angeles is UTC-8.
START, END = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)


def _order(contract, classification, first, last=None, times=DAY, headcount=1):
    return job_order_create(contract=contract, classification=classification, starts_on=first, ends_on=last or first,
                            shift_start=times[0], shift_end=times[1], headcount=headcount)


def _shifts(order):
    return list(Shift.objects.filter(job_order=order).order_by("starts_at", "id"))



def _reasons(worker, start=START, end=END):
    return {shift.pk: reasons for shift, reasons in shifts_open_to(worker, start, end)}


def test_an_eligible_shift_has_no_reasons_and_times_are_kept(alliedup, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    (shift,) = _shifts(_order(contract, lvn, date(2026, 12, 8)))
    [(found, reasons)] = shifts_open_to(worker, START, END)
    assert found == shift and reasons == []
    assert found.starts_at == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)  # 07:00 at the site (PST)


def test_a_missing_or_expiring_licence_is_a_reason(alliedup, contract, lvn, licence):
    (night,) = _shifts(_order(contract, lvn, date(2026, 12, 8), times=NIGHT))  # ends Dec 9 07:00 at the site
    unlicensed = WorkerFactory(cooperative=alliedup, classifications=[lvn])
    assert _reasons(unlicensed)[night.pk] == ["Your LVN licence is missing or expires before 2026-12-09."]
    assert _reasons(licensed_worker(alliedup, lvn, licence, expires=date(2026, 12, 8)))[night.pk] == [
        "Your LVN licence is missing or expires before 2026-12-09."]
    # valid through the day the shift ends at the site: fine (as the matching service says)
    assert _reasons(licensed_worker(alliedup, lvn, licence, expires=date(2026, 12, 9)))[night.pk] == []
    # a newer credential of the same type counts, whatever the order they were recorded in
    renewed = licensed_worker(alliedup, lvn, licence, expires=date(2026, 1, 1))
    WorkerCredential.objects.create(cooperative=alliedup, worker=renewed, credential_type=licence, expires_on=None)
    assert _reasons(renewed)[night.pk] == []


def test_an_overlapping_assignment_is_a_reason_and_back_to_back_is_not(alliedup, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    (night,) = _shifts(_order(contract, lvn, date(2026, 12, 8), times=NIGHT))  # 19:00 → 07:00
    shift_assign(shift=night, worker=worker)
    (early,) = _shifts(_order(contract, lvn, date(2026, 12, 9), times=(DAY[0].replace(hour=6), DAY[1])))  # 06:00: overlaps
    (back_to_back,) = _shifts(_order(contract, lvn, date(2026, 12, 9), times=DAY))  # 07:00, as the night ends
    reasons = _reasons(worker)
    assert night.pk not in reasons  # filled: not open any more
    assert reasons[early.pk] == ["Overlaps a shift you already have."]
    assert reasons[back_to_back.pk] == []


def test_a_cancelled_assignment_does_not_block(alliedup, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    (first,) = _shifts(_order(contract, lvn, date(2026, 12, 8)))
    assignment_cancel(assignment=shift_assign(shift=first, worker=worker), reason="Sick")
    (same_time,) = _shifts(_order(contract, lvn, date(2026, 12, 8)))
    assert _reasons(worker) == {first.pk: [], same_time.pk: []}


def test_a_shift_without_a_bill_rate_on_its_date_is_not_bookable(alliedup, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    client = client_create(cooperative=alliedup, name="Bayview Clinic")
    contract = contract_create(client=client, reference="BV-1", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 12, 10), regular_rate="50.00")
    before, on_the_day = _shifts(_order(contract, lvn, date(2026, 12, 9), date(2026, 12, 10)))
    reasons = _reasons(worker)
    assert reasons[before.pk] == ["Not bookable yet (the co-op is setting the client's rate)."]
    assert reasons[on_the_day.pk] == []


def test_the_rate_date_is_the_shifts_date_at_the_site_not_in_utc(alliedup, lvn, licence):
    """A 19:00 shift in Los Angeles on Dec 9 starts Dec 10 in UTC: the Dec 10 rate is not yet in force."""
    worker = licensed_worker(alliedup, lvn, licence)
    client = client_create(cooperative=alliedup, name="Bayview Clinic")
    contract = contract_create(client=client, reference="BV-1", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 12, 10), regular_rate="50.00")
    (night,) = _shifts(_order(contract, lvn, date(2026, 12, 9), times=NIGHT))
    assert night.starts_at.date() == date(2026, 12, 10)
    assert _reasons(worker)[night.pk] == ["Not bookable yet (the co-op is setting the client's rate)."]


def test_only_open_shifts_in_the_workers_classifications_and_window_are_listed(alliedup, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    cna = JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")
    bill_rate_set(contract=contract, classification=cna, effective_from=date(2026, 1, 1), regular_rate="30.00")
    mine = _shifts(_order(contract, lvn, date(2026, 12, 8), headcount=2))
    _order(contract, cna, date(2026, 12, 8))  # not hired as a CNA: not listed at all
    _order(contract, lvn, date(2027, 1, 5))  # outside the window
    taken = _shifts(_order(contract, lvn, date(2026, 12, 9)))[0]
    shift_assign(shift=taken, worker=licensed_worker(alliedup, lvn, licence))
    cancelled = _shifts(_order(contract, lvn, date(2026, 12, 10)))[0]
    Shift.objects.filter(pk=cancelled.pk).update(status=Shift.Status.CANCELLED)
    assert [s for s, _ in shifts_open_to(worker, START, END)] == mine


def test_open_shifts_take_a_fixed_number_of_queries(alliedup, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    shift_assign(shift=_shifts(_order(contract, lvn, date(2026, 12, 1)))[0], worker=worker)

    def count():
        fresh = type(worker).objects.get(pk=worker.pk)
        with CaptureQueriesContext(connection) as ctx:
            rows = shifts_open_to(fresh, START, END)
            for shift, _ in rows:  # what the page reads of each shift
                shift.job_order.contract.client.name, shift.job_order.site, shift.classification.name
        return len(rows), len(ctx)

    _order(contract, lvn, date(2026, 12, 2), date(2026, 12, 4))
    few, few_queries = count()
    _order(contract, lvn, date(2026, 12, 5), date(2026, 12, 31), headcount=1)
    many, many_queries = count()
    assert (few, many) == (3, 30)
    assert many_queries == few_queries <= 8


def test_worker_schedule_lists_active_and_recent_assignments_with_their_timesheet(alliedup, contract, lvn, licence):
    worker = licensed_worker(alliedup, lvn, licence)
    other = licensed_worker(alliedup, lvn, licence)
    old, recent, cancelled, upcoming = _shifts(_order(contract, lvn, date(2026, 11, 1), date(2026, 11, 4)))
    shift_assign(shift=old, worker=worker)
    worked = shift_assign(shift=recent, worker=worker)
    timesheet = timesheet_submit(assignment=worked, clock_in=recent.starts_at, clock_out=recent.ends_at)
    assignment_cancel(assignment=shift_assign(shift=cancelled, worker=worker), reason="Swapped")
    requested = shift_assign(shift=upcoming, worker=worker, status=Assignment.Status.ACCEPTED)
    shift_assign(shift=_shifts(_order(contract, lvn, date(2026, 11, 4)))[0], worker=other)

    since = datetime(2026, 11, 2, tzinfo=UTC)  # after the first shift ended
    with CaptureQueriesContext(connection) as ctx:
        rows = list(worker_schedule(worker, since=since))
        seen = [(a.shift.job_order.contract.client.name, a.shift.classification.name, getattr(a, "timesheet", None)) for a in rows]
    assert rows == [worked, requested]
    assert seen[0][2] == timesheet and seen[1][2] is None
    assert len(ctx) == 1


def test_no_shifts_for_a_worker_who_left_or_under_an_ended_contract(alliedup, contract, lvn, licence):
    _order(contract, lvn, START.date())
    worker = licensed_worker(alliedup, lvn, licence)
    assert _reasons(worker) != {}
    worker.is_active = False
    worker.save()
    assert shifts_open_to(worker, START, END) == []
    worker.is_active = True
    worker.save()
    contract.status = "ended"
    contract.save()
    assert shifts_open_to(worker, START, END) == []
