"""The 350-hour threshold: one classification, a rolling 365-day window ending on the check date."""

from datetime import date, timedelta
from decimal import Decimal

from members.selectors import newly_eligible, worker_hours_progress
from tests.members.factories import HoursEntryFactory, WorkerFactory

CHECK = date(2026, 11, 23)


def _hours(worker, classification, total: Decimal, *, last_day=CHECK, per_day=Decimal("8.00")):
    """Post `total` hours as consecutive days of `per_day` ending on `last_day`."""
    day, left = last_day, total
    while left > 0:
        chunk = min(per_day, left)
        HoursEntryFactory(worker=worker, classification=classification, workday=day, hours=chunk)
        left -= chunk
        day -= timedelta(days=1)


def test_exactly_350_hours_in_one_classification_is_eligible(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    _hours(worker, ma, Decimal("350.00"))
    rows = newly_eligible(alliedup, CHECK)
    assert [(r["worker_id"], r["classification_id"], r["total"]) for r in rows] == [(worker.pk, ma.pk, Decimal("350.00"))]


def test_349_99_hours_is_not_eligible(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    _hours(worker, ma, Decimal("349.99"))
    assert newly_eligible(alliedup, CHECK) == []


def test_hours_split_across_classifications_do_not_add_up(alliedup, ma, rn):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma, rn])
    _hours(worker, ma, Decimal("200.00"))
    _hours(worker, rn, Decimal("200.00"), last_day=CHECK - timedelta(days=40))
    assert newly_eligible(alliedup, CHECK) == []


def test_hours_that_fell_out_of_the_window_on_the_check_date_do_not_count(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    # 8 hours exactly 365 days before the check date, and 342 more up to the day before it.
    HoursEntryFactory(worker=worker, classification=ma, workday=CHECK - timedelta(days=365), hours="8.00")
    _hours(worker, ma, Decimal("342.00"), last_day=CHECK - timedelta(days=1))
    # The day before, the window (365 days ending on it) still holds all 350 hours...
    assert [r["total"] for r in newly_eligible(alliedup, CHECK - timedelta(days=1))] == [Decimal("350.00")]
    # ...on the check date the oldest 8 have fallen out.
    assert newly_eligible(alliedup, CHECK) == []


def test_reversed_hours_do_not_count(alliedup, ma):
    from members.services.hours import hours_reverse

    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    _hours(worker, ma, Decimal("350.00"))
    hours_reverse(entry=worker.hours_entries.first(), reason="Disputed")
    assert newly_eligible(alliedup, CHECK) == []


def test_other_cooperatives_hours_never_count(alliedup, nursescan, ma, unscoped):
    from tests.members.factories import JobClassificationFactory

    with unscoped():
        outsider_ma = JobClassificationFactory(cooperative=nursescan, code="ma")
        outsider = WorkerFactory(cooperative=nursescan, classifications=[outsider_ma])
        _hours(outsider, outsider_ma, Decimal("400.00"))
    assert newly_eligible(alliedup, CHECK) == []


def test_threshold_is_the_cooperatives_setting(alliedup, ma):
    alliedup.candidacy_hours_threshold = Decimal("100.00")
    alliedup.save()
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    _hours(worker, ma, Decimal("100.00"))
    assert len(newly_eligible(alliedup, CHECK)) == 1


def test_progress_shows_hours_and_when_the_oldest_fall_out(alliedup, ma, rn):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma, rn])
    HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 1, 10), hours="8.00")
    HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 3, 1), hours="4.50")
    progress = {p.classification.code: p for p in worker_hours_progress(worker, CHECK)}
    assert progress["ma"].hours == Decimal("12.50")
    assert progress["ma"].oldest_falls_out_on == date(2027, 1, 10)
    assert progress["ma"].remaining == Decimal("337.50")
    assert progress["rn"].hours == 0 and progress["rn"].oldest_falls_out_on is None
