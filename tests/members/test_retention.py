"""Keeping the worker-owner status: 100 hours a membership year in the classification."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from members.models import MemberStatus, RetentionNotice, Worker
from members.services.retention import behind_pace, membership_year, retention_check, retention_warning_sweep
from members.services.status import status_change
from tests.members.factories import HoursEntryFactory, WorkerFactory


def _owner(alliedup, classification, owner_since=date(2025, 3, 1), **kw):
    worker = WorkerFactory(cooperative=alliedup, classifications=[classification], **kw)
    status_change(worker=worker, to_status=MemberStatus.CANDIDATE, reason="350 hours", effective_on=owner_since - timedelta(days=60))
    status_change(worker=worker, to_status=MemberStatus.OWNER, reason="signed and paid", effective_on=owner_since)
    Worker.objects.filter(pk=worker.pk).update(owner_classification=classification)
    return Worker.objects.get(pk=worker.pk)


@pytest.mark.parametrize("hours, lapses", [("99.50", True), ("100.00", False)])
def test_year_end_check_at_99_50_lapses_and_at_100_keeps(alliedup, ma, hours, lapses, django_capture_on_commit_callbacks):
    worker = _owner(alliedup, ma)
    HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 6, 1), hours="12.00")
    for i in range(int((Decimal(hours) - 12) // 8)):
        HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 7, 1) + timedelta(days=i), hours="8.00")
    rest = Decimal(hours) - 12 - 8 * int((Decimal(hours) - 12) // 8)
    if rest:
        HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 12, 31), hours=rest)
    # hours in the next year and in other years do not count
    HoursEntryFactory(worker=worker, classification=ma, workday=date(2027, 1, 1), hours="8.00")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lapsed = retention_check(cooperative=alliedup, today=date(2027, 1, 1))
    assert (worker in lapsed) is lapses
    assert Worker.objects.get(pk=worker.pk).status == (MemberStatus.LAPSED if lapses else MemberStatus.OWNER)
    if lapses:
        notice = RetentionNotice.objects.get(kind="lapse")
        assert notice.hours == Decimal("99.50") and notice.year_end == date(2026, 12, 31)
        assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][2] == "application/pdf"
        # runs once
        with django_capture_on_commit_callbacks(execute=True):
            assert retention_check(cooperative=alliedup, today=date(2027, 1, 1)) == []
        assert len(mail.outbox) == 1 and RetentionNotice.objects.count() == 1


def test_hours_in_another_classification_do_not_keep_the_status(alliedup, ma, rn):
    worker = _owner(alliedup, ma)
    worker.worker_classifications.create(cooperative=alliedup, classification=rn, since=date(2025, 1, 1))
    for i in range(20):
        HoursEntryFactory(worker=worker, classification=rn, workday=date(2026, 5, 1) + timedelta(days=i), hours="8.00")
    assert retention_check(cooperative=alliedup, today=date(2027, 1, 1)) == [worker]


def test_a_partial_first_year_is_not_checked(alliedup, ma):
    _owner(alliedup, ma, owner_since=date(2026, 10, 1))
    assert retention_check(cooperative=alliedup, today=date(2027, 1, 1)) == []


def test_anniversary_years(alliedup, ma):
    alliedup.retention_year = "anniversary"
    alliedup.save()
    assert membership_year(alliedup, date(2025, 3, 1), date(2026, 2, 28)) == (date(2025, 3, 1), date(2026, 2, 28))
    assert membership_year(alliedup, date(2024, 2, 29), date(2026, 3, 5)) == (date(2026, 2, 28), date(2027, 2, 27))
    worker = _owner(alliedup, ma, owner_since=date(2025, 3, 1))
    assert retention_check(cooperative=alliedup, today=date(2026, 2, 28)) == []  # year not over yet
    assert retention_check(cooperative=alliedup, today=date(2026, 3, 1)) == [worker]


def test_warning_once_for_owners_behind_pace_in_the_last_60_days(alliedup, ma, django_capture_on_commit_callbacks):
    behind = _owner(alliedup, ma, first_name="Behind")
    on_pace = _owner(alliedup, ma, first_name="OnPace")
    HoursEntryFactory(worker=behind, classification=ma, workday=date(2026, 3, 1), hours="8.00")
    for i in range(12):
        HoursEntryFactory(worker=on_pace, classification=ma, workday=date(2026, 2, 1) + timedelta(days=i), hours="8.00")
    assert retention_warning_sweep(cooperative=alliedup, today=date(2026, 10, 1)) == []  # 91 days left: too early
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices = retention_warning_sweep(cooperative=alliedup, today=date(2026, 11, 2))
    assert [n.worker for n in notices] == [behind]
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_warning_sweep(cooperative=alliedup, today=date(2026, 11, 3)) == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [behind.email]
    assert {row.worker for row in behind_pace(alliedup, date(2026, 11, 2))} == {behind}
