"""The vote-window job opens votes whose window started and counts closed ones, once."""

from datetime import timedelta

from django.utils import timezone

from governance.models import Election, VoterRollEntry
from governance.services.voting import candidate_nominate, election_create, nominations_open
from governance.tasks import vote_windows_task
from tests.governance.conftest import make_owner


def _open_for_an_hour(coop, candidate, now):
    """An election whose voting window started an hour ago, nominations open, one candidate."""
    election = election_create(
        cooperative=coop, title="Board", number_of_seats=1, method="plurality",
        nominations_open_at=now - timedelta(days=3), nominations_close_at=now - timedelta(days=1),
        voting_opens_at=now - timedelta(hours=1), voting_closes_at=now + timedelta(hours=1),
        record_date=(now - timedelta(days=2)).date(),
    )
    nominations_open(election=election)
    candidate_nominate(election=election, worker=candidate)
    return election


def test_vote_windows_job_opens_then_counts_and_a_second_run_changes_nothing(alliedup, owners):
    now = timezone.now()
    election = _open_for_an_hour(alliedup, owners[0], now)
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 1, "flushed": 0, "counted": 0}
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "flushed": 0, "counted": 0}
    assert VoterRollEntry.objects.filter(election=election).count() == len(owners)
    Election.objects.filter(pk=election.pk).update(voting_closes_at=now - timedelta(minutes=1))
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "flushed": 0, "counted": 1}
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "flushed": 0, "counted": 0}
    election.refresh_from_db()
    assert election.status == "closed" and election.result["on_roll"] == len(owners)


def test_vote_windows_job_ignores_another_cooperatives_votes(alliedup, nursescan, in_scope):
    now = timezone.now()
    with in_scope(nursescan):
        _open_for_an_hour(nursescan, make_owner(nursescan), now)
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "flushed": 0, "counted": 0}
