"""Patronage allocation: the arithmetic written out, eligibility while an owner, 1099-PATR,
cash share, and issuing that posts each line once even after a crash."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import HoursEntry, MemberStatus, MemberStatusChange
from patronage import selectors
from patronage.models import CapitalAccountEntry, PatronageAllocation
from patronage.services.allocations import (
    allocation_approve, allocation_draft, allocation_issue, allocation_issue_request, fiscal_year_create,
)
from tests.members.factories import WorkerFactory

D = Decimal
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def ma(alliedup):
    from tests.members.factories import JobClassificationFactory

    return JobClassificationFactory(cooperative=alliedup, code="ma")


def owner(coop, since: date, *, lapsed_on: date | None = None, **kw):
    worker = WorkerFactory(cooperative=coop, status=MemberStatus.OWNER, owner_since=since, **kw)
    MemberStatusChange.objects.create(cooperative=coop, worker=worker, from_status="candidate", to_status="owner",
                                      effective_on=since, reason="test")
    if lapsed_on:
        MemberStatusChange.objects.create(cooperative=coop, worker=worker, from_status="owner", to_status="lapsed",
                                          effective_on=lapsed_on, reason="test")
        worker.status = MemberStatus.LAPSED
        worker.save()
    return worker


def hours(worker, ma, day: date, amount: str):
    """Post `amount` hours from `day` on, at most 10 a day (a ledger row holds one workday)."""
    from datetime import timedelta

    left, rows = D(amount), []
    while left > 0:
        part = min(left, D("10.00"))
        rows.append(HoursEntry(cooperative=worker.cooperative, worker=worker, classification=ma, workday=day, hours=part,
                               source="import", source_ref=f"{worker.pk}-{day}"))
        left -= part
        day += timedelta(days=1)
    HoursEntry.objects.bulk_create(rows)


def draft(year, net="120000.00", reserve="30.00", cash=None):
    return allocation_draft(fiscal_year=year, net_earnings=net, earnings_source="Audited statements 2025",
                            reserve_percent=reserve, reserve_decided_by="Board resolution 2026-02", cash_percent=cash)


@pytest.fixture
def year(alliedup):
    return fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])


def test_120k_with_30_percent_reserve_over_five_owners_by_hours(alliedup, ma, year):
    units = ["1200.00", "900.00", "600.00", "300.00", "150.00"]
    workers = [owner(alliedup, date(2024, 1, 1)) for _ in units]
    for worker, h in zip(workers, units):
        hours(worker, ma, date(2025, 3, 1), h)
    allocation = draft(year)
    # reserve 120,000.00 × 30% = 36,000.00; pool 84,000.00 over 3,150 hours
    assert allocation.reserve == D("120000.00") * D("0.30") and allocation.pool == D("84000.00")
    lines = {l.worker_id: l for l in allocation.lines.all()}
    for worker, h in zip(workers, units):
        exact = D("84000.00") * D(h) / D("3150")
        line = lines[worker.pk]
        assert line.units == D(h)
        assert abs(line.allocated - exact) < D("0.01")
        # cash: 20% rounded UP to the cent; retained the rest
        assert line.cash >= line.allocated * D("0.20") and line.cash + line.retained == line.allocated
    assert lines[workers[0].pk].allocated == D("32000.00")  # 84,000 × 1200/3150 = 32,000.00 exactly
    assert sum(l.allocated for l in lines.values()) == allocation.pool


def test_pool_that_does_not_divide_evenly_goes_to_lower_worker_numbers_first(alliedup, ma, year):
    workers = sorted((owner(alliedup, date(2024, 1, 1)) for _ in range(3)), key=lambda w: w.pk)
    for worker in workers:
        hours(worker, ma, date(2025, 3, 3), "8.00")
    allocation = draft(year, net="100.00", reserve="0")
    got = [allocation.lines.get(worker=w).allocated for w in workers]
    assert got == [D("33.34"), D("33.33"), D("33.33")] and sum(got) == D("100.00")
    # 20% of 33.33 = 6.666 → 6.67 (rounded up, never below 20%)
    assert allocation.lines.get(worker=workers[1]).cash == D("6.67")


def test_members_who_joined_mid_year_count_only_hours_while_owner(alliedup, ma, year):
    early = owner(alliedup, date(2024, 1, 1))
    joined = owner(alliedup, date(2025, 7, 1))
    left = owner(alliedup, date(2024, 1, 1), lapsed_on=date(2025, 4, 1))
    for w in (early, joined, left):
        hours(w, ma, date(2025, 2, 3), "100.00")  # Feb 3 – Feb 12
        hours(w, ma, date(2025, 8, 4), "50.00")  # Aug 4 – Aug 8
    units = selectors.patronage_units(year, basis="hours", whole_year=False)
    assert units == {early.pk: D("150.00"), joined.pk: D("50.00"), left.pk: D("100.00")}
    assert selectors.patronage_units(year, basis="hours", whole_year=True) == {early.pk: D("150.00"), joined.pk: D("150.00"), left.pk: D("150.00")}


def test_member_with_9_99_has_no_1099_patr_row(alliedup, ma, year):
    big, small = owner(alliedup, date(2024, 1, 1)), owner(alliedup, date(2024, 1, 1))
    hours(big, ma, date(2025, 5, 5), "9.00")
    hours(small, ma, date(2025, 5, 5), "1.00")
    allocation = draft(year, net="99.90", reserve="0")  # 89.91 and 9.99
    assert allocation.lines.get(worker=small).allocated == D("9.99")
    assert [l.worker_id for l in selectors.patr_rows(allocation)] == [big.pk]


def test_cash_share_below_20_percent_is_refused(alliedup, ma, year):
    w = owner(alliedup, date(2024, 1, 1))
    hours(w, ma, date(2025, 5, 5), "8.00")
    with pytest.raises(ValidationError, match="20%"):
        draft(year, cash="19.99")
    assert not PatronageAllocation.objects.exists()


def test_a_loss_year_allocates_nothing_unless_the_bylaws_say_so(alliedup, ma, year):
    w = owner(alliedup, date(2024, 1, 1))
    hours(w, ma, date(2025, 5, 5), "8.00")
    with pytest.raises(ValidationError, match="loss"):
        draft(year, net="-5000.00")
    alliedup.patronage_allocate_losses = True
    alliedup.save()
    allocation = draft(year, net="-5000.00")
    line = allocation.lines.get()
    assert (allocation.reserve, line.allocated, line.cash, line.retained) == (D("0.00"), D("-5000.00"), D("0.00"), D("-5000.00"))


def test_double_issue_is_refused_and_posts_once(alliedup, ma, year, alliedup_users, django_capture_on_commit_callbacks):
    w = owner(alliedup, date(2024, 1, 1))
    hours(w, ma, date(2025, 5, 5), "8.00")
    allocation = allocation_approve(allocation=draft(year), approved_by=alliedup_users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        allocation_issue_request(allocation=allocation, requested_by=alliedup_users["admin"])
    allocation.refresh_from_db()
    assert allocation.status == "issued"
    with pytest.raises(ValidationError, match="issued"):
        allocation_issue_request(allocation=allocation, requested_by=alliedup_users["admin"])
    allocation_issue(allocation=allocation)  # a duplicate task delivery: nothing more
    assert CapitalAccountEntry.objects.count() == 1
    assert selectors.capital_account(w).retained_balance == D("84000.00") - D("16800.00")


class Crash(Exception):
    pass


def test_an_issue_killed_half_way_and_retried_posts_each_line_once(alliedup, ma, year, alliedup_users):
    workers = [owner(alliedup, date(2024, 1, 1)) for _ in range(7)]
    for i, w in enumerate(workers):
        hours(w, ma, date(2025, 5, 5), str(D(i + 1)))
    allocation = allocation_approve(allocation=draft(year), approved_by=alliedup_users["admin"])
    seen = []

    def crash_after_first_batch(done, total):
        seen.append((done, total))
        raise Crash

    with pytest.raises(Crash):
        allocation_issue(allocation=allocation, batch_size=3, progress=crash_after_first_batch)
    allocation.refresh_from_db()
    assert seen == [(3, 7)] and allocation.status == "approved" and CapitalAccountEntry.objects.count() == 3
    allocation_issue(allocation=allocation, batch_size=3)
    allocation.refresh_from_db()
    assert allocation.status == "issued"
    assert CapitalAccountEntry.objects.count() == 7
    assert sorted(CapitalAccountEntry.objects.values_list("allocation_line__worker_id", flat=True)) == sorted(w.pk for w in workers)
    assert sum(CapitalAccountEntry.objects.values_list("amount", flat=True)) == sum(allocation.lines.values_list("retained", flat=True))


def test_cash_deadline_is_the_15th_of_the_ninth_month_after_year_end(alliedup, ma, year):
    w = owner(alliedup, date(2024, 1, 1))
    hours(w, ma, date(2025, 5, 5), "8.00")
    allocation = draft(year)
    assert selectors.cash_deadline(allocation) == date(2026, 9, 15)
    assert "days late" in selectors.cash_deadline_warning(allocation, date(2026, 11, 23))
    assert "days left" in selectors.cash_deadline_warning(allocation, date(2026, 9, 1))
    assert selectors.cash_deadline_warning(allocation, date(2026, 6, 1)) is None


def test_the_reserve_share_can_be_linked_to_an_adopted_member_resolution(alliedup, ma, year):
    from datetime import datetime, timezone as dt_timezone

    from governance.models import Resolution

    w = owner(alliedup, date(2024, 1, 1))
    hours(w, ma, date(2025, 5, 5), "8.00")
    when = dict(voting_opens_at=datetime(2026, 2, 1, tzinfo=dt_timezone.utc), voting_closes_at=datetime(2026, 2, 8, tzinfo=dt_timezone.utc),
                record_date=date(2026, 1, 25))
    rejected = Resolution.objects.create(cooperative=alliedup, title="Reserve 40%", text="…", status="certified",
                                         result={"adopted": False}, **when)
    adopted = Resolution.objects.create(cooperative=alliedup, title="Reserve 30% for 2025", text="…", status="certified",
                                        result={"adopted": True}, **when)
    with pytest.raises(ValidationError, match="adopted and certified"):
        allocation_draft(fiscal_year=year, net_earnings="1000.00", earnings_source="x", reserve_percent="40",
                         reserve_decided_by="", reserve_resolution=rejected)
    allocation = allocation_draft(fiscal_year=year, net_earnings="1000.00", earnings_source="x", reserve_percent="30",
                                  reserve_decided_by="", reserve_resolution=adopted)
    assert allocation.reserve_resolution == adopted and allocation.reserve_decided_by == "Resolution: Reserve 30% for 2025"
