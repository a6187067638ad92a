"""Patronage at scale (issue 17): units computed in SQL agree with the earlier Python
computation over random status histories, hours and pay lines; drafting and issuing cost
the same number of queries for 5 owners as for 600."""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from members.models import HoursEntry, MemberStatus, MemberStatusChange, Worker
from payroll.models import PayLine, PayPeriod, PayRun
from patronage import selectors
from patronage.models import CapitalAccountEntry, FiscalYear, PatronageAllocation
from patronage.services.allocations import allocation_approve, allocation_draft, allocation_issue, fiscal_year_create
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.today("2026-11-23")

D = Decimal
ZERO = D("0.00")


def python_units(fiscal_year, *, basis: str, whole_year: bool) -> dict[int, Decimal]:
    """The computation patronage_units made before issue 17, kept here as the reference: every
    (owner, day) total read into Python and kept when the day is in one of the owner's
    periods (members.selectors.StatusHistory, through selectors.owner_periods)."""
    periods = selectors.owner_periods(fiscal_year)
    if not periods:
        return {}
    first, last = fiscal_year.starts_on, fiscal_year.ends_on
    if basis == PatronageAllocation.Basis.HOURS:
        rows = HoursEntry.objects.filter(worker_id__in=periods, workday__gte=first, workday__lte=last)
        value = "hours"
    else:
        rows = PayLine.objects.filter(worker_id__in=periods, workday__gte=first, workday__lte=last, run__status__in=PayRun.FINAL).exclude(kind=PayLine.Kind.SICK)
        value = "amount"
    if whole_year:
        return {w: t for w, t in rows.values_list("worker_id").annotate(t=Sum(value)).values_list("worker_id", "t")}
    units: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for worker_id, workday, total in rows.values_list("worker_id", "workday").annotate(t=Sum(value)).values_list("worker_id", "workday", "t"):
        if any(begin <= workday <= end for begin, end in periods[worker_id]):
            units[worker_id] += total
    return dict(units)


def _day(rng, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _random_coop(coop, rng, *, workers: int, prefix: str):
    """Workers with every shape of history: imported (owner_since only, sometimes before the
    hire date or after the year), changes before, inside and after the year, several on one
    day, a first change from "owner" or from nothing; hours with reversals; pay lines of
    draft, calculated, approved and exported runs, sick leave among them."""
    ma = JobClassificationFactory(cooperative=coop, code=f"{prefix}ma")
    cna = JobClassificationFactory(cooperative=coop, code=f"{prefix}cna")
    statuses = [MemberStatus.EMPLOYEE, MemberStatus.CANDIDATE, MemberStatus.OWNER, MemberStatus.OWNER, MemberStatus.LAPSED,
                MemberStatus.WITHDRAWN]
    people = []
    changes = []
    for n in range(workers):
        hired = _day(rng, date(2023, 6, 1), date(2026, 2, 1))
        since = _day(rng, date(2023, 1, 1), date(2026, 3, 1)) if rng.random() < 0.7 else None
        worker = WorkerFactory(cooperative=coop, hire_date=hired, owner_since=since, email=f"{prefix}{n}@example.com")
        people.append(worker)
        if rng.random() < 0.25:
            continue  # imported: no history
        day = _day(rng, date(2024, 3, 1), date(2025, 9, 1))
        for i in range(rng.randint(1, 5)):
            if rng.random() > 0.2:  # else a second change the same day
                day += timedelta(days=rng.randint(1, 200))
            changes.append(MemberStatusChange(
                cooperative=coop, worker=worker, effective_on=day, reason="random", to_status=rng.choice(statuses),
                from_status=rng.choice(["", *statuses]) if i == 0 else "",
                changed_at=datetime(2024, 1, 1, tzinfo=dt_timezone.utc) + timedelta(minutes=rng.randrange(10**6)),
            ))
    MemberStatusChange.objects.bulk_create(changes)

    entries = []
    for worker in people:
        for n in range(rng.randint(0, 25)):
            workday = _day(rng, date(2024, 12, 1), date(2026, 1, 31))
            entries.append(HoursEntry(cooperative=coop, worker=worker, classification=ma if n % 3 else cna, workday=workday,
                                      hours=D(rng.randint(25, 1200)) / 100, source="opening" if n == 7 else "import",
                                      source_ref=f"{prefix}{worker.pk}-{n}"))
    HoursEntry.objects.bulk_create(entries)
    reversals = [HoursEntry(cooperative=coop, worker=e.worker, classification=e.classification, workday=e.workday, hours=-e.hours, source="manual",
                            source_ref=f"{e.source_ref}-r", reverses=e) for e in rng.sample(entries, len(entries) // 10)]
    HoursEntry.objects.bulk_create(reversals)

    lines = []
    for i, status in enumerate([*PayRun.Status.values] * 3):
        starts = date(2024, 12, 1) + timedelta(days=28 * i)
        period = PayPeriod.objects.create(cooperative=coop, starts_on=starts, ends_on=starts + timedelta(days=27),
                                          pay_date=starts + timedelta(days=32))
        run = PayRun.objects.create(cooperative=coop, period=period, status=status)
        for worker in rng.sample(people, len(people) // 2):
            for _ in range(rng.randint(1, 4)):
                lines.append(PayLine(cooperative=coop, run=run, worker=worker, workday=starts + timedelta(days=rng.randrange(28)),
                                     kind=rng.choice(PayLine.Kind.values), amount=D(rng.randint(-5000, 40000)) / 100))
    PayLine.objects.bulk_create(lines)


@pytest.mark.parametrize("starts_on, ends_on", [
    (date(2025, 1, 1), date(2025, 12, 31)),  # calendar months throughout
    (date(2025, 2, 17), date(2026, 1, 16)),  # partial months at both ends of the year too
])
def test_sql_units_equal_the_python_computation_on_random_data(alliedup, nursescan, in_scope, starts_on, ends_on):
    """The SQL units equal the reference on a ledger with two classifications, opening balances
    and reversals, owner periods starting and ending mid-month, and a year in calendar months
    or not."""
    rng = random.Random(20261123)
    with in_scope(nursescan):
        _random_coop(nursescan, rng, workers=15, prefix="n")  # another co-op's rows must never count
        fiscal_year_create(cooperative=nursescan, starts_on=starts_on, ends_on=ends_on)
    with in_scope(alliedup):
        _random_coop(alliedup, rng, workers=80, prefix="a")
        year = fiscal_year_create(cooperative=alliedup, starts_on=starts_on, ends_on=ends_on)
        mine = set(Worker.objects.values_list("pk", flat=True))
        got = {}
        for basis in PatronageAllocation.Basis.values:
            for whole_year in (False, True):
                expected = python_units(year, basis=basis, whole_year=whole_year)
                got[basis, whole_year] = selectors.patronage_units(year, basis=basis, whole_year=whole_year)
                assert got[basis, whole_year] == expected, (basis, whole_year)
                assert set(expected) <= mine
    # The data exercises what matters: many owners, some counted for part of the year only.
    partial = [w for w, u in got["hours", False].items() if u != got["hours", True][w]]
    assert len(got["hours", False]) > 25 and len(partial) > 5
    assert len(got["wages", False]) > 25 and got["wages", False] != got["wages", True]


def test_sql_owner_periods_are_the_status_history_periods(alliedup, in_scope):
    rng = random.Random(7)
    with in_scope(alliedup):
        _random_coop(alliedup, rng, workers=60, prefix="p")
        year = fiscal_year_create(cooperative=alliedup, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
        sql, params = selectors.owner_periods_sql(year)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            spans = cursor.fetchall()
        got = defaultdict(list)
        for worker_id, begins, ends in sorted(spans, key=lambda s: (s[0], s[1])):
            if begins <= ends:
                got[worker_id].append((begins, ends))
        expected = selectors.owner_periods(year)
        assert len(expected) > 20
        assert dict(got) == {w: sorted(p) for w, p in expected.items()}


def _owners_with_hours(coop, ma, count: int, year: int, tag: str):
    """`count` worker-owners since 2024 with 3 days' hours in `year` (bulk-inserted: hundreds)."""
    owners = Worker.objects.bulk_create(
        Worker(cooperative=coop, first_name="Owner", last_name=f"{tag}{n:04d}", email=f"{tag}{n}@example.com", hire_date=date(2023, 1, 2),
               status=MemberStatus.OWNER, owner_since=date(2024, 1, 1))
        for n in range(count)
    )
    MemberStatusChange.objects.bulk_create(
        MemberStatusChange(cooperative=coop, worker=w, from_status="candidate", to_status="owner", effective_on=date(2024, 1, 1),
                           reason="test")
        for w in owners
    )
    HoursEntry.objects.bulk_create(
        HoursEntry(cooperative=coop, worker=w, classification=ma, workday=date(year, 3, 1) + timedelta(days=d), hours=D(n % 9 + 1),
                   source="import", source_ref=f"{tag}-{w.pk}-{d}")
        for n, w in enumerate(owners) for d in range(3)
    )
    return owners


def _draft(year, net="100000.00"):
    return allocation_draft(fiscal_year=year, net_earnings=net, earnings_source="Audited statements", reserve_percent="25",
                            reserve_decided_by="Board resolution")


def _queries(fn):
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return result, [q["sql"] for q in captured.captured_queries]


def test_drafting_and_issuing_cost_the_same_queries_for_5_and_600_owners(alliedup, alliedup_users):
    """600: more than the ORM's delete chunk (100) and the issue's former batch (500), so a
    count growing with the lines shows here."""
    ma = JobClassificationFactory(cooperative=alliedup, code="ma")
    small_year = fiscal_year_create(cooperative=alliedup, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))
    big_year = fiscal_year_create(cooperative=alliedup, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    _owners_with_hours(alliedup, ma, 5, 2024, "s")
    _owners_with_hours(alliedup, ma, 600, 2025, "b")
    admin = alliedup_users["admin"]

    counts = {}
    for label, year, owners in (("small", small_year, 5), ("big", big_year, 600)):
        allocation, draft_sql = _queries(lambda: _draft(year))
        assert allocation.lines.count() == owners
        allocation, redraft_sql = _queries(lambda: _draft(year, net="90000.00"))  # replaces the draft and its lines
        assert allocation.lines.count() == owners and PatronageAllocation.objects.filter(fiscal_year=year).count() == 1
        allocation = allocation_approve(allocation=allocation, approved_by=admin)
        allocation, issue_sql = _queries(lambda: allocation_issue(allocation=allocation, issued_by=admin))
        assert allocation.status == PatronageAllocation.Status.ISSUED
        assert CapitalAccountEntry.objects.filter(allocation_line__allocation=allocation).count() == owners
        counts[label] = (len(draft_sql), len(redraft_sql), len(issue_sql))
    assert counts["small"] == counts["big"], counts
    # An issue of one batch is one transaction: lock (with the co-op and year), post, totals
    # for the audit, the two status updates, the audit event, and the savepoint's two.
    assert counts["small"][2] <= 8, issue_sql
    # A draft: the year locked with its allocation (one query), the units, the allocation,
    # its lines (one COPY), the year closed, the audit event, and the savepoint's two; a
    # redraft also deletes the old allocation with its lines (one statement), and finds the
    # year closed.
    assert counts["small"][:2] == (8, 8), (draft_sql, redraft_sql)


def test_issued_entries_are_those_the_ledger_rules_give(alliedup, alliedup_users):
    """The INSERT … SELECT writes what a CapitalAccountEntry built in Python would hold: one
    entry per line with a retained part, signed by kind, summing to the retained total."""
    ma = JobClassificationFactory(cooperative=alliedup, code="ma")
    year = fiscal_year_create(cooperative=alliedup, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    owners = _owners_with_hours(alliedup, ma, 12, 2025, "e")
    admin = alliedup_users["admin"]
    allocation = allocation_approve(allocation=_draft(year, net="1000.01"), approved_by=admin)
    allocation = allocation_issue(allocation=allocation, issued_by=admin, batch_size=5)
    entries = {e.allocation_line_id: e for e in CapitalAccountEntry.objects.all()}
    lines = list(allocation.lines.all())
    assert len(entries) == len(lines) == len(owners)
    for line in lines:
        entry = entries[line.pk]
        assert (entry.cooperative_id, entry.worker_id, entry.kind, entry.amount, entry.effective_on, entry.recorded_by) == (
            alliedup.pk, line.worker_id, "patronage", line.retained, date(2025, 12, 31), admin)
        assert entry.reference == f"patronage-2025-{line.uuid}" and entry.note == f"Retained patronage, {year}"
        assert entry.recorded_at is not None
    assert sum(e.amount for e in entries.values()) == sum(l.retained for l in lines)
    assert sum(l.allocated for l in lines) == allocation.pool == D("750.01")  # 1,000.01 less 25% (250.00)


def test_an_issued_loss_posts_negative_loss_entries(alliedup, alliedup_users):
    ma = JobClassificationFactory(cooperative=alliedup, code="ma")
    alliedup.patronage_allocate_losses = True
    alliedup.save()
    year = fiscal_year_create(cooperative=alliedup, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    _owners_with_hours(alliedup, ma, 3, 2025, "l")
    admin = alliedup_users["admin"]
    allocation = allocation_issue(allocation=allocation_approve(allocation=_draft(year, net="-300.00"), approved_by=admin))
    assert sorted(CapitalAccountEntry.objects.values_list("kind", flat=True)) == ["loss"] * 3
    assert sum(CapitalAccountEntry.objects.values_list("amount", flat=True)) == D("-300.00") == allocation.pool


def test_the_bench_measures_in_a_rolled_back_transaction(alliedup, capsys):
    """bench/patronage.py (make bench): its bare query adds up what patronage_units does, the
    query counts come out, and nothing it drafted or issued stays."""
    from bench.patronage import measure, print_patronage

    ma = JobClassificationFactory(cooperative=alliedup, code="ma")
    _owners_with_hours(alliedup, ma, 8, 2025, "m")
    result = measure(alliedup, date(2025, 12, 31), repeats=1)
    assert result["year"] == "2025-01-01 – 2025-12-31" and result["owners"] == 8 and result["with units"] == 8
    assert result["same totals"] and result["entries"] == 8 and result["owner days"] == 24
    assert set(result["queries"]) == {"draft", "redraft", "issue"} and all(n > 0 for n in result["queries"].values())
    assert result["draft floor ms"] > 0 and result["draft floor ratio"] > 0
    assert not FiscalYear.objects.exists() and not PatronageAllocation.objects.exists() and not CapitalAccountEntry.objects.exists()
    print_patronage({"repeats": 1, "sizes": [result]})
    out = capsys.readouterr().out
    assert "allocation_draft" in out and "its own floor" in out
