from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest

from members.models import MemberStatus, MemberStatusChange
from tests.members.factories import WorkerFactory


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


def make_owner(coop, since=date(2025, 1, 1), **kw):
    worker = WorkerFactory(cooperative=coop, status=MemberStatus.OWNER, owner_since=since, **kw)
    MemberStatusChange.objects.create(cooperative=coop, worker=worker, from_status="candidate", to_status="owner",
                                      effective_on=since, reason="test")
    return worker


@pytest.fixture
def owners(alliedup):
    return [make_owner(alliedup) for _ in range(5)]


NOW = datetime(2026, 11, 23, 18, 0, tzinfo=dt_timezone.utc)


@pytest.fixture
def windows():
    """Nominations closed yesterday, voting open now for a day; record date last week."""
    return dict(nominations_open_at=NOW - timedelta(days=10), nominations_close_at=NOW - timedelta(days=1),
                voting_opens_at=NOW - timedelta(hours=1), voting_closes_at=NOW + timedelta(days=1),
                record_date=date(2026, 11, 16))
