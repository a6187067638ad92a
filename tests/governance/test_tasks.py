"""The vote-window job opens votes whose window started and counts closed ones, once."""

from datetime import timedelta

from django.utils import timezone

from governance.models import Election, VoterRollEntry
from governance.services.voting import candidate_nominate, election_create, nominations_open
from governance.tasks import vote_windows_task
from tests.governance.conftest import make_owner


def test_vote_windows_job_opens_then_counts_and_a_second_run_changes_nothing(alliedup, owners):
    now = timezone.now()
    election = election_create(
        cooperative=alliedup, title="Board", number_of_seats=1, method="plurality",
        nominations_open_at=now - timedelta(days=3), nominations_close_at=now - timedelta(days=1),
        voting_opens_at=now - timedelta(hours=1), voting_closes_at=now + timedelta(hours=1),
        record_date=(now - timedelta(days=2)).date(),
    )
    nominations_open(election=election)
    candidate_nominate(election=election, worker=owners[0])
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 1, "counted": 0}
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "counted": 0}
    assert VoterRollEntry.objects.filter(election=election).count() == len(owners)
    Election.objects.filter(pk=election.pk).update(voting_closes_at=now - timedelta(minutes=1))
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "counted": 1}
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "counted": 0}
    election.refresh_from_db()
    assert election.status == "closed" and election.result["on_roll"] == len(owners)


def test_vote_windows_job_ignores_another_cooperatives_votes(alliedup, nursescan, in_scope):
    now = timezone.now()
    with in_scope(nursescan):
        other = election_create(
            cooperative=nursescan, title="Their board", number_of_seats=1, method="plurality",
            nominations_open_at=now - timedelta(days=3), nominations_close_at=now - timedelta(days=1),
            voting_opens_at=now - timedelta(hours=1), voting_closes_at=now + timedelta(hours=1),
            record_date=(now - timedelta(days=2)).date(),
        )
        nominations_open(election=other)
        candidate_nominate(election=other, worker=make_owner(nursescan))
    assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "counted": 0}
