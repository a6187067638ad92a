"""What governance tells voters (governance/notices.py): voting opened, to the roll, once;
and a reminder to who has not voted when a vote closes within a day, once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from governance.notices import voting_closing_task, voting_opened_task
from governance.services.voting import ballot_cast, resolution_create, voting_open
from tests.conftest import clock_at
from tests.governance.conftest import make_owner
from tests.governance.helpers import live_windows
from tests.notifications.conftest import worker_with_login

pytestmark = pytest.mark.today("2026-11-23")


# --- voting opened ---------------------------------------------------------------------------------


def test_voting_opened_tells_the_roll_once(alliedup, mailoutbox, django_capture_on_commit_callbacks):
    owners = [make_owner(alliedup, first_name=f"Owner{i}") for i in range(3)]
    employee = worker_with_login(alliedup)  # not a worker-owner: not on the roll
    windows = {k: v for k, v in live_windows().items() if not k.startswith("nominations")}
    resolution = resolution_create(cooperative=alliedup, title="Amend article 4", text="Resolved.", **windows)
    with django_capture_on_commit_callbacks(execute=True):
        voting_open(vote=resolution)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.email for o in owners)
    assert employee.email not in {m.to[0] for m in mailoutbox}
    assert mailoutbox[0].subject == "AlliedUP Cooperative: voting is open: Amend article 4"
    assert "/c/alliedup/governance/" in mailoutbox[0].body and str(resolution.uuid) in mailoutbox[0].body
    assert voting_opened_task.delay(cooperative=alliedup.pk, vote_kind="resolution", vote_id=resolution.pk).get() == 0
    assert len(mailoutbox) == 3
    # Voting again for an open vote (idempotent) queues nothing new.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        voting_open(vote=resolution)
    assert callbacks == []


def test_only_a_vote_is_told_about(alliedup):
    with pytest.raises(ValueError):
        voting_opened_task.delay(cooperative=alliedup.pk, vote_kind="payrun", vote_id=1).get()


# --- votes closing -----------------------------------------------------------------------------------


def test_voters_who_have_not_voted_are_reminded_a_day_before_the_close(alliedup, mailoutbox):
    now = timezone.now()
    owners = [make_owner(alliedup, first_name=f"Owner{i}") for i in range(3)]
    resolution = voting_open(vote=resolution_create(
        cooperative=alliedup, title="Adopt the budget", text="Resolved.", record_date=date(2026, 11, 16),
        voting_opens_at=now - timedelta(days=2), voting_closes_at=now + timedelta(hours=30)))
    ballot_cast(vote=resolution, worker=owners[0], choices="yes")
    assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 0  # 30 hours to go
    with clock_at("2026-11-23T22:00:00-08:00"):  # 20 hours before the close
        assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 2
        assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.email for o in owners[1:])
    assert mailoutbox[0].subject == "AlliedUP Cooperative: voting closes within a day: Adopt the budget"
    assert "You have not voted yet" in mailoutbox[0].body


def test_a_vote_opened_less_than_12_hours_ago_gets_no_reminder(alliedup, mailoutbox):
    now = timezone.now()
    make_owner(alliedup)
    voting_open(vote=resolution_create(cooperative=alliedup, title="Quick vote", text="Resolved.", record_date=date(2026, 11, 16),
                                       voting_opens_at=now - timedelta(hours=1), voting_closes_at=now + timedelta(hours=20)))
    assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 0
