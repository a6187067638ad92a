"""Elections and resolutions: roll snapshot, secret ballots, once per voter under
concurrency, counts against hand-worked examples, quorum, receipts."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from governance.models import ElectionBallot, PendingBallot, ResolutionBallot, VoterParticipation
from governance.services.voting import (
    ballot_cast, candidate_nominate, election_create, receipt_lookup, resolution_create, vote_count, voting_open,
)
from members.services.status import status_change
from tests.governance.conftest import NOW, make_owner


def _election(alliedup, windows, owners, seats=1, method="plurality", candidates=3):
    election = election_create(cooperative=alliedup, title="Board 2026", number_of_seats=seats, method=method, **windows)
    cands = [candidate_nominate(election=election, worker=w) for w in owners[:candidates]]
    return voting_open(vote=election), cands


def test_ballot_tables_have_no_path_to_a_voter():
    for model in (ElectionBallot, ResolutionBallot, PendingBallot):
        related = {f.related_model.__name__ for f in model._meta.get_fields() if f.is_relation and f.related_model}
        assert related <= {"Cooperative", "Election", "Resolution"}, related
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"created_at", "cast_at", "worker", "user", "voter", "participation"}
        assert model._meta.pk.get_internal_type() == "UUIDField"  # no sequence to match with participation order
    assert {f.name for f in VoterParticipation._meta.get_fields()} <= {"id", "cooperative", "roll_entry"}


def test_roll_is_a_snapshot_at_the_record_date(alliedup, windows, owners):
    late = make_owner(alliedup, since=date(2026, 11, 20))  # owner after the record date
    election, _ = _election(alliedup, windows, owners)
    status_change(worker=owners[4], to_status="lapsed", reason="below 100 hours")  # after the roll was fixed
    roll = set(election.roll.values_list("worker_id", flat=True))
    assert roll == {w.pk for w in owners} and late.pk not in roll
    with pytest.raises(ValidationError, match="not on the voter roll"):
        ballot_cast(vote=election, worker=late, choices=[str(election.candidates.first().uuid)], now=NOW)


def test_plurality_count_with_receipts_published(alliedup, windows, owners):
    election, (a, b, c) = _election(alliedup, windows, owners, seats=1)
    receipts = [ballot_cast(vote=election, worker=w, choices=[str(x.uuid)], now=NOW)
                for w, x in zip(owners, [a, a, b, a, c])]
    election = vote_count(vote=election, now=NOW + timedelta(days=2))
    # a: 3, b: 1, c: 1 → a elected; turnout 5 of 5
    assert election.result["elected"] == [str(a.uuid)]
    assert election.result["rounds"][0]["votes"][str(a.pk)] == 3
    assert (election.result["voted"], election.result["on_roll"], election.result["quorum_met"]) == (5, 5, True)
    assert receipt_lookup(vote=election, code=receipts[2].lower().replace("-", "")).choices == [b.pk]
    with pytest.raises(ValidationError, match="12 letters"):
        receipt_lookup(vote=election, code="not-a-receipt")


def test_bad_ballots_are_refused_and_write_nothing(alliedup, windows, owners):
    election, (a, b, c) = _election(alliedup, windows, owners, seats=1)
    for choices, message in (([str(a.uuid), str(b.uuid)], "at most 1"), (["00000000-0000-0000-0000-000000000000"], "not a candidate"),
                             ([], "at least one")):
        with pytest.raises(ValidationError, match=message):
            ballot_cast(vote=election, worker=owners[0], choices=choices, now=NOW)
    with pytest.raises(ValidationError, match="not open"):
        ballot_cast(vote=election, worker=owners[0], choices=[str(a.uuid)], now=NOW + timedelta(days=3))
    assert ElectionBallot.objects.count() == 0 and PendingBallot.objects.count() == 0 and VoterParticipation.objects.count() == 0


def test_ranked_duplicate_rank_refused(alliedup, windows, owners):
    election, (a, b, c) = _election(alliedup, windows, owners, seats=1, method="ranked")
    with pytest.raises(ValidationError, match="duplicate"):
        ballot_cast(vote=election, worker=owners[0], choices=[str(a.uuid), str(a.uuid)], now=NOW)


def test_quorum_failure_elects_nobody(alliedup, windows, owners):
    election, (a, b, c) = _election(alliedup, windows, owners, seats=1)
    ballot_cast(vote=election, worker=owners[0], choices=[str(a.uuid)], now=NOW)
    ballot_cast(vote=election, worker=owners[1], choices=[str(a.uuid)], now=NOW)
    election = vote_count(vote=election, now=NOW + timedelta(days=2))
    # 2 of 5 = 40% < 50% quorum
    assert election.result["quorum_met"] is False and election.result["elected"] == []


def test_resolution_two_thirds(alliedup, windows, owners):
    windows = {k: v for k, v in windows.items() if not k.startswith("nominations")}
    resolution = voting_open(vote=resolution_create(cooperative=alliedup, title="Amend bylaws", text="…", threshold="two_thirds", **windows))
    for w, choice in zip(owners, ["yes", "yes", "no", "abstain", "yes"]):
        ballot_cast(vote=resolution, worker=w, choices=choice, now=NOW)
    resolution = vote_count(vote=resolution, now=NOW + timedelta(days=2))
    # yes 3, no 1: 3 of 4 decided ≥ 2/3 → adopted; abstentions count for quorum only
    assert resolution.result["tallies"] == {"yes": 3, "no": 1, "abstain": 1} and resolution.result["adopted"] is True


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_from_one_voter_count_once(alliedup, windows):
    from django_scopes import scope

    with scope(cooperative=alliedup):
        owners = [make_owner(alliedup) for _ in range(3)]
        election, (a, *_rest) = _election(alliedup, windows, owners, seats=1)
    results, barrier = [], threading.Barrier(20)

    def vote():
        try:
            barrier.wait()
            with scope(cooperative=alliedup):
                results.append(ballot_cast(vote=election, worker=owners[0], choices=[str(a.uuid)], now=NOW))
        except ValidationError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with scope(cooperative=alliedup):
        assert PendingBallot.objects.filter(election=election).count() == 1 and ElectionBallot.objects.count() == 0
        assert VoterParticipation.objects.count() == 1
    assert sum(isinstance(r, str) for r in results) == 1
