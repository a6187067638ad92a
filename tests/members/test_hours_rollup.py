"""The monthly rollup of the hours ledger (HoursMonth): kept equal to the ledger by every
posting, rebuilt from it on demand, and read by the windowed aggregates (350 hours in 12
months, an owner's membership year) with results identical to summing the ledger."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q, Sum

from alliedup.money import sum_to_cents
from members.models import HoursEntry, HoursMonth, MemberStatus, Worker
from members.selectors import (
    hours_rollup_mismatches, hours_totals_sql, monthly_hours_by_classification, near_threshold, newly_eligible, window_parts,
)
from members.services.hours import hours_opening_post, hours_post, hours_reverse, hours_rollup_rebuild
from members.services.retention import behind_pace, retention_progress
from tests.members.factories import HoursEntryFactory, WorkerFactory

pytestmark = pytest.mark.today("2026-11-23")


def _days_of(spans):
    return [first + timedelta(days=i) for first, last in spans for i in range((last - first).days + 1)]


def _month_days(first_month, last_month):
    days, month = [], first_month
    while month <= last_month:
        nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        days += _days_of([(month, nxt - timedelta(days=1))])
        month = nxt
    return days


@pytest.mark.parametrize("start, end", [
    (date(2025, 11, 24), date(2026, 11, 23)),  # the 365-day window: partial months at both edges
    (date(2025, 1, 1), date(2025, 12, 31)),  # a calendar year: whole months only
    (date(2026, 3, 1), date(2026, 3, 31)),  # one whole month
    (date(2026, 3, 5), date(2026, 3, 9)),  # within one month: the ledger alone
    (date(2026, 1, 2), date(2026, 2, 27)),  # both edges mostly inside: months minus the outside days
    (date(2026, 1, 30), date(2026, 2, 2)),  # both edges mostly outside: adjacent months, no whole one
    (date(2024, 2, 29), date(2025, 2, 28)),  # an anniversary year from a leap day
])
def test_window_parts_cover_each_day_of_the_window_exactly_once(start, end):
    months, add, subtract = window_parts(start, end)
    counted = _days_of(add) + (_month_days(*months) if months else [])
    for day in _days_of(subtract):
        counted.remove(day)  # a subtracted day was counted by its month
    expected = _days_of([(start, end)])
    assert sorted(counted) == expected
    assert len(_days_of(add)) + len(_days_of(subtract)) <= 32  # at most about half a month at each edge


def test_window_parts_on_random_windows():
    rng = random.Random(7)
    for _ in range(300):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
        end = start + timedelta(days=rng.randrange(400))
        months, add, subtract = window_parts(start, end)
        counted = _days_of(add) + (_month_days(*months) if months else [])
        for day in _days_of(subtract):
            counted.remove(day)
        assert sorted(counted) == _days_of([(start, end)]), (start, end)


def _rollup(worker):
    return {(m, c): h for m, c, h in HoursMonth.objects.filter(worker=worker).values_list("month", "classification_id", "hours")}


def test_postings_corrections_reversals_and_openings_keep_the_rollup_equal_to_the_ledger(alliedup, ma, rn):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma, rn], hire_date=date(2025, 1, 6))
    first = hours_post(worker=worker, classification=ma, workday=date(2026, 3, 2), hours="8.00", source="manual", source_ref="a")
    hours_post(worker=worker, classification=ma, workday=date(2026, 3, 31), hours="7.25", source="timesheet", source_ref="b")
    hours_post(worker=worker, classification=rn, workday=date(2026, 3, 15), hours="12.00", source="import", source_ref="c")
    hours_post(worker=worker, classification=ma, workday=date(2026, 4, 1), hours="4.00", source="manual", source_ref="d")
    # posting the same document again counts nothing twice
    hours_post(worker=worker, classification=ma, workday=date(2026, 3, 31), hours="7.25", source="timesheet", source_ref="b")
    assert _rollup(worker) == {
        (date(2026, 3, 1), ma.pk): Decimal("15.25"), (date(2026, 3, 1), rn.pk): Decimal("12.00"),
        (date(2026, 4, 1), ma.pk): Decimal("4.00"),
    }
    # a correction: the entry reversed, the right figures posted under a new reference
    hours_reverse(entry=first, reason="Wrong day")
    hours_post(worker=worker, classification=ma, workday=date(2026, 2, 27), hours="8.00", source="manual", source_ref="a-2")
    last = HoursEntry.objects.get(source_ref="d")
    hours_reverse(entry=last, reason="Never worked")
    hours_opening_post(worker=worker, classification=rn, hours="500.00", through=date(2025, 12, 31), source_ref="open-1")
    assert _rollup(worker) == {
        (date(2025, 12, 1), rn.pk): Decimal("500.00"), (date(2026, 2, 1), ma.pk): Decimal("8.00"),
        (date(2026, 3, 1), ma.pk): Decimal("7.25"), (date(2026, 3, 1), rn.pk): Decimal("12.00"),
        (date(2026, 4, 1), ma.pk): Decimal("0.00"),  # all reversed: the month stays with nothing
    }
    assert hours_rollup_mismatches(alliedup.pk) == []


def test_a_posting_refused_leaves_the_rollup_alone(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    hours_post(worker=worker, classification=ma, workday=date(2026, 3, 2), hours="8.00", source="manual", source_ref="a")
    with pytest.raises(Exception):
        hours_post(worker=worker, classification=ma, workday=date(2026, 3, 2), hours="9.00", source="manual", source_ref="a")
    assert _rollup(worker) == {(date(2026, 3, 1), ma.pk): Decimal("8.00")}


def test_rebuild_restores_a_rollup_that_drifted_and_the_command_reports_it(alliedup, ma, capsys):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    for day in (1, 2, 15):
        HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 5, day), hours="8.00")
    HoursMonth.objects.filter(worker=worker).update(hours=Decimal("1.00"))
    HoursEntry.objects.create(cooperative=alliedup, worker=worker, classification=ma, workday=date(2026, 6, 1),
                              hours="3.50", source="manual", source_ref="bulk-1")  # written around the service
    assert hours_rollup_mismatches(alliedup.pk) == [
        (worker.pk, ma.pk, date(2026, 5, 1), Decimal("24.00"), Decimal("1.00")),
        (worker.pk, ma.pk, date(2026, 6, 1), Decimal("3.50"), Decimal("0.00")),
    ]
    with pytest.raises(CommandError):
        call_command("hours_rollup_rebuild", "alliedup", "--check")
    assert "2 month(s) differ" in capsys.readouterr().out
    assert hours_rollup_rebuild(cooperative_ids=[alliedup.pk]) == 2
    assert _rollup(worker) == {(date(2026, 5, 1), ma.pk): Decimal("24.00"), (date(2026, 6, 1), ma.pk): Decimal("3.50")}
    call_command("hours_rollup_rebuild", "alliedup", "--check")
    call_command("hours_rollup_rebuild", "--all")
    assert hours_rollup_mismatches(alliedup.pk) == []


def test_rebuild_touches_only_the_cooperatives_named(alliedup, nursescan, ma, in_scope):
    outsider = nursescan
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 5, 1), hours="8.00")
    with in_scope(outsider):
        other = WorkerFactory(cooperative=outsider)
        HoursEntryFactory(worker=other, workday=date(2026, 5, 1), hours="6.00")
        HoursMonth.objects.filter(cooperative=outsider).update(hours=Decimal("2.00"))
    hours_rollup_rebuild(cooperative_ids=[alliedup.pk])
    with in_scope(outsider):
        assert list(HoursMonth.objects.values_list("cooperative_id", "hours")) == [(outsider.pk, Decimal("2.00"))]


def _ledger(alliedup):
    """A random ledger over 15 months for a few workers in two classifications, corrections
    and opening balances included, posted through the services and the factory."""
    rng = random.Random(17)
    workers = []
    for n in range(5):
        worker = WorkerFactory(cooperative=alliedup, classifications=[alliedup.ma, alliedup.rn], hire_date=date(2025, 6, 1),
                               first_name=f"W{n}")
        workers.append(worker)
        for i in range(70):
            classification = alliedup.ma if rng.random() < 0.7 else alliedup.rn
            day = date(2025, 8, 1) + timedelta(days=rng.randrange(480))
            entry = hours_post(worker=worker, classification=classification, workday=day,
                               hours=Decimal(rng.randrange(100, 1200)) / 100, source="manual", source_ref=f"{n}-{i}")
            if rng.random() < 0.15:
                hours_reverse(entry=entry, reason="Corrected")
        if n % 2:
            hours_opening_post(worker=worker, classification=alliedup.ma, hours="120.00", through=date(2025, 9, 30),
                               source_ref=f"open-{n}")
    return workers


def _ledger_totals(alliedup, start, end, worker_ids=None):
    rows = HoursEntry.objects.filter(cooperative=alliedup, workday__gte=start, workday__lte=end)
    if worker_ids is not None:
        rows = rows.filter(worker_id__in=worker_ids)
    return {(w, c): t for w, c, t in rows.values_list("worker_id", "classification_id").annotate(t=Sum("hours"))
            .values_list("worker_id", "classification_id", "t") if t}


def _rollup_totals(alliedup, windows):
    sql, params = hours_totals_sql(alliedup.pk, windows)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(w, c): sum_to_cents(t) for w, c, t in cursor.fetchall() if sum_to_cents(t)}


@pytest.fixture
def ledger(alliedup, ma, rn):
    alliedup.ma, alliedup.rn = ma, rn
    return _ledger(alliedup)


def test_window_sums_from_the_rollup_equal_the_ledgers(alliedup, ledger):
    assert hours_rollup_mismatches(alliedup.pk) == []
    rng = random.Random(3)
    for _ in range(40):
        start = date(2025, 7, 1) + timedelta(days=rng.randrange(500))
        end = start + timedelta(days=rng.randrange(400))
        assert _rollup_totals(alliedup, [(start, end, Q())]) == _ledger_totals(alliedup, start, end), (start, end)
    # several windows at once, each for its own workers (the owners' membership years)
    a, b = [w.pk for w in ledger[:2]], [w.pk for w in ledger[2:]]
    windows = [(date(2025, 9, 14), date(2026, 9, 13), Q(worker_id__in=a)), (date(2026, 1, 1), date(2026, 12, 31), Q(worker_id__in=b))]
    expected = _ledger_totals(alliedup, date(2025, 9, 14), date(2026, 9, 13), a) | _ledger_totals(
        alliedup, date(2026, 1, 1), date(2026, 12, 31), b)
    assert _rollup_totals(alliedup, windows) == expected


def test_near_threshold_and_newly_eligible_match_the_ledger_on_every_day(alliedup, ledger):
    alliedup.candidacy_hours_threshold = Decimal("250.00")
    alliedup.save()
    for offset in range(0, 480, 9):
        check = date(2025, 9, 1) + timedelta(days=offset)
        start = check - timedelta(days=alliedup.candidacy_lookback_days - 1)
        totals = _ledger_totals(alliedup, start, check)
        near = sorted(((-t, w), c) for (w, c), t in totals.items() if t >= Decimal("187.50"))[:50]
        assert [(n.worker.pk, n.classification.pk, n.hours) for n in near_threshold(alliedup, check)] == [
            (w, c, -t) for (t, w), c in near]
        best = {}
        for (w, c), t in sorted(totals.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
            if t >= Decimal("250.00"):
                best.setdefault(w, {"worker_id": w, "classification_id": c, "total": t})
        assert newly_eligible(alliedup, check) == list(best.values()), check


@pytest.mark.parametrize("most_years", [12, 0])  # 0: past ROLLUP_MOST_YEARS, read from the ledger alone
@pytest.mark.parametrize("retention_year", ["calendar", "anniversary"])
def test_owners_hours_in_their_membership_year_match_the_ledger(alliedup, ledger, retention_year, most_years, monkeypatch):
    monkeypatch.setattr("members.services.retention.ROLLUP_MOST_YEARS", most_years)
    alliedup.retention_year = retention_year
    alliedup.retention_hours_per_year = Decimal("300.00")
    alliedup.save()
    for n, worker in enumerate(ledger):
        Worker.objects.filter(pk=worker.pk).update(
            status=MemberStatus.OWNER, owner_since=date(2025, 6, 1) + timedelta(days=37 * n), owner_classification=alliedup.ma)
    for offset in range(0, 420, 23):
        today = date(2026, 1, 1) + timedelta(days=offset)
        at_risk = {row.worker.pk: row.hours for row in behind_pace(alliedup, today)}
        for worker in Worker.objects.filter(pk__in=[w.pk for w in ledger]).select_related("cooperative"):
            row = retention_progress(worker, today)
            expected = _ledger_totals(alliedup, row.year_start, row.year_end, [worker.pk]).get((worker.pk, alliedup.ma.pk), Decimal("0.00"))
            assert row.hours == expected, (worker.pk, today)
            if worker.pk in at_risk:
                assert at_risk[worker.pk] == expected


def _monthly_from_the_ledger(coop, start, end) -> list[tuple]:
    """What monthly_hours_by_classification must give, summed from the ledger alone."""
    totals: dict = {}
    for e in HoursEntry.objects.filter(cooperative=coop, workday__gte=start, workday__lte=end).exclude(source="opening"):
        key = (e.workday.replace(day=1), e.classification.name)
        totals[key] = totals.get(key, Decimal("0.00")) + e.hours
    return sorted((m, name, h) for (m, name), h in totals.items() if h != 0)


def test_monthly_hours_by_classification_from_the_rollup_equal_the_ledger_sums(alliedup, ma, rn):
    rng = random.Random(11)
    workers = [WorkerFactory(cooperative=alliedup, classifications=[ma, rn], hire_date=date(2025, 1, 6)) for _ in range(3)]
    entries = []
    for i in range(160):
        day = date(2025, 12, 1) + timedelta(days=rng.randrange(150))
        entries.append(hours_post(worker=rng.choice(workers), classification=rng.choice([ma, rn]), workday=day,
                                  hours=str(rng.choice(["4.00", "7.25", "8.00", "12.00"])), source="manual", source_ref=f"m-{i}"))
    for entry in entries[::9]:  # corrections: reversing entries in the months of the hours
        hours_reverse(entry=entry, reason="Corrected")
    # Opening balances (a roster import's earlier hours on one date) are not hours worked this month.
    hours_opening_post(worker=workers[0], classification=rn, hours="400.00", through=date(2026, 1, 31), source_ref="o-1")
    hours_opening_post(worker=workers[1], classification=ma, hours="90.00", through=date(2026, 2, 14), source_ref="o-2")
    # A month whose only hours were reversed, and one with only an opening balance: no row.
    gone = hours_post(worker=workers[2], classification=ma, workday=date(2026, 6, 3), hours="8.00", source="manual", source_ref="g")
    hours_reverse(entry=gone, reason="Never worked")
    hours_opening_post(worker=workers[2], classification=rn, hours="50.00", through=date(2026, 7, 10), source_ref="o-3")
    windows = [(date(2025, 11, 1), date(2026, 7, 31)), (date(2026, 1, 1), date(2026, 2, 28)), (date(2025, 12, 20), date(2026, 3, 3)),
               (date(2026, 1, 3), date(2026, 4, 28)), (date(2026, 2, 10), date(2026, 2, 20)), (date(2026, 6, 1), date(2026, 7, 31))]
    windows += [(start, start + timedelta(days=rng.randrange(120)))
                for start in (date(2025, 11, 15) + timedelta(days=rng.randrange(150)) for _ in range(20))]
    for start, end in windows:
        got = [(r["month"], r["classification_name"], r["hours"]) for r in monthly_hours_by_classification(alliedup, start, end)]
        assert got == _monthly_from_the_ledger(alliedup, start, end), (start, end)
    june_july = monthly_hours_by_classification(alliedup, date(2026, 6, 1), date(2026, 7, 31))
    assert june_july == []
