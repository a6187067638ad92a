"""Ballot secrecy against whoever reads the database (services/ballot_box.py, docs/governance.md
"Ballot secrecy against database readers"): on the real PostgreSQL, no ballot row shares a
transaction (xmin) with a participation, the ballot table's physical order (ctid) is not the
order of casting, held ballots are sealed, the count moves every held ballot first, receipts
work before and after a flush, a flush never moves a ballot twice, and 50 voters at once
lose and double nothing."""

import importlib
import random
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django_scopes import scope

from governance.models import ElectionBallot, PendingBallot, ResolutionBallot, VoterParticipation, VoterRollEntry
from governance.services import ballot_box
from governance.services.ballot_box import ballots_flush
from governance.services.voting import (
    ballot_cast, candidate_nominate, election_create, receipt_lookup, resolution_create, vote_count, voting_open,
)
from governance.tasks import vote_windows_task
from tests.governance.conftest import NOW, make_owner

AFTER_CLOSE = NOW + timedelta(days=2)


def _election(coop, windows, voters, *, batch=10, candidates=3, method="plurality"):
    election = election_create(cooperative=coop, title="Board 2026", number_of_seats=1, method=method, ballot_batch_min=batch, **windows)
    cands = [candidate_nominate(election=election, worker=w) for w in voters[:candidates]]
    return voting_open(vote=election), cands


def _resolution(coop, windows, *, batch=10):
    windows = {k: v for k, v in windows.items() if not k.startswith("nominations")}
    return voting_open(vote=resolution_create(cooperative=coop, title="Reserve 30%", text="…", ballot_batch_min=batch, **windows))


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _participation_xmins(election) -> set[str]:
    p, r = VoterParticipation._meta.db_table, VoterRollEntry._meta.db_table
    return {x for (x,) in _rows(f"SELECT p.xmin::text FROM {p} p JOIN {r} r ON r.id = p.roll_entry_id WHERE r.election_id = %s",
                                [election.pk])}


def _stored_ballots(election) -> list[tuple[str, str]]:
    """(xmin, receipt code) of the election's ballot rows in physical order (what a sequential
    scan or pg_dump returns)."""
    return _rows(f"SELECT xmin::text, receipt_code FROM {ElectionBallot._meta.db_table} WHERE election_id = %s ORDER BY ctid",
                 [election.pk])


def _pending_rows(election) -> list[tuple[str, str]]:
    return _rows(f"SELECT xmin::text, sealed FROM {PendingBallot._meta.db_table} WHERE election_id = %s", [election.pk])


# --- (a) (b): no shared transaction, no cast order ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_batches_flushed_while_voting_share_no_xmin_with_any_participation(alliedup, windows):
    voters = [make_owner(alliedup) for _ in range(12)]
    election, cands = _election(alliedup, windows, voters, batch=3)
    cast = {}
    for i, w in enumerate(voters):
        choice = cands[i % 3]
        cast[ballot_cast(vote=election, worker=w, choices=[str(choice.uuid)], now=NOW)] = [choice.pk]
    participations = _participation_xmins(election)
    assert len(participations) == 12  # one committed transaction per voter

    # 2·K = 6 waiting starts a flush (queued after the cast commits) that moves all but K = 3.
    stored = _stored_ballots(election)
    batches = Counter(xmin for xmin, _ in stored)
    assert len(stored) == 9 and sorted(batches.values()) == [3, 3, 3]
    assert not set(batches) & participations, "a ballot row was written in a voter's transaction"
    # What still waits shares its voter's xmin (the residual risk in the docs) but is sealed:
    # neither its receipt nor its content is readable there.
    pending = _pending_rows(election)
    assert len(pending) == 3 and {xmin for xmin, _ in pending} <= participations
    for _, sealed in pending:
        assert not any(code in sealed or code.replace("-", "") in sealed for code in cast) and "choices" not in sealed

    election = vote_count(vote=election, now=AFTER_CLOSE)
    stored = _stored_ballots(election)
    batches = Counter(xmin for xmin, _ in stored)
    assert len(stored) == 12 and PendingBallot.objects.count() == 0
    assert len(batches) == 4 and min(batches.values()) >= 3 and not set(batches) & participations
    assert {b.receipt_code: b.choices for b in ElectionBallot.objects.filter(election=election)} == cast
    assert election.result["voted"] == election.result["valid_ballots"] == 12


@pytest.mark.django_db(transaction=True)
def test_one_flush_stores_its_ballots_in_random_order_under_one_xmin_no_voter_has(alliedup, windows, monkeypatch):
    monkeypatch.setattr(ballot_box, "_random", random.Random(2026))  # the shuffle, made repeatable
    voters = [make_owner(alliedup) for _ in range(12)]
    election, (a, b, c) = _election(alliedup, windows, voters)  # K = 10: 12 waiting is no batch yet
    receipts = [ballot_cast(vote=election, worker=w, choices=[str(a.uuid)], now=NOW) for w in voters]
    assert _stored_ballots(election) == [] and len(_pending_rows(election)) == 12

    vote_count(vote=election, now=AFTER_CLOSE)
    stored = _stored_ballots(election)
    xmins = {xmin for xmin, _ in stored}
    assert len(xmins) == 1 and not xmins & _participation_xmins(election)
    in_storage_order = [code for _, code in stored]
    assert sorted(in_storage_order) == sorted(receipts)
    assert in_storage_order != receipts, "the ballot table keeps the order of casting"


def test_held_ballots_have_the_same_length_whatever_they_say(alliedup, windows):
    voters = [make_owner(alliedup) for _ in range(6)]
    resolution = _resolution(alliedup, windows)
    for w, choice in zip(voters, ["yes", "abstain", "no"]):
        ballot_cast(vote=resolution, worker=w, choices=choice, now=NOW)
    election, cands = _election(alliedup, windows, voters, method="ranked")
    ballot_cast(vote=election, worker=voters[3], choices=[str(cands[0].uuid)], now=NOW)
    ballot_cast(vote=election, worker=voters[4], choices=[str(c.uuid) for c in cands], now=NOW)
    assert len({len(p.sealed) for p in PendingBallot.objects.all()}) == 1


# --- (c) the count, (d) receipts, (e) flushing twice ---------------------------------------------


def test_the_count_moves_every_held_ballot_first(alliedup, windows, owners):
    election, (a, b, c) = _election(alliedup, windows, owners)
    for w, x in zip(owners, [a, a, b, a, c]):
        ballot_cast(vote=election, worker=w, choices=[str(x.uuid)], now=NOW)
    assert PendingBallot.objects.count() == 5 and ElectionBallot.objects.count() == 0  # fewer than 2·K: no batch yet
    election = vote_count(vote=election, now=AFTER_CLOSE)
    assert PendingBallot.objects.count() == 0 and ElectionBallot.objects.filter(election=election).count() == 5
    assert election.result["valid_ballots"] == 5 and election.result["elected"] == [str(a.uuid)]
    assert election.result["rounds"][0]["votes"][str(a.pk)] == 3


def test_a_resolution_count_moves_its_held_ballots_too(alliedup, windows, owners):
    resolution = _resolution(alliedup, windows)
    for w, choice in zip(owners, ["yes", "yes", "no", "abstain", "yes"]):
        ballot_cast(vote=resolution, worker=w, choices=choice, now=NOW)
    resolution = vote_count(vote=resolution, now=AFTER_CLOSE)
    assert resolution.result["tallies"] == {"yes": 3, "no": 1, "abstain": 1}
    assert ResolutionBallot.objects.count() == 5 and PendingBallot.objects.count() == 0


def test_a_receipt_finds_its_ballot_while_held_after_a_flush_and_after_the_count(alliedup, windows, owners):
    election, (a, b, c) = _election(alliedup, windows, owners, batch=2)
    receipts = [ballot_cast(vote=election, worker=w, choices=[str(x.uuid)], now=NOW) for w, x in zip(owners[:4], [a, b, c, a])]
    held = receipt_lookup(vote=election, code=receipts[1].lower().replace("-", ""))
    assert held.choices == [b.pk] and held.receipt_code == receipts[1]
    assert not ElectionBallot.objects.filter(receipt_code=receipts[1]).exists()  # found in the holding table
    tampered = receipts[1][:-1] + ("A" if receipts[1][-1] != "A" else "B")
    with pytest.raises(ValidationError, match="No ballot has this receipt code"):
        receipt_lookup(vote=election, code=tampered)

    assert ballots_flush(vote=election) == 2  # 4 waiting, K = 2: two move, two stay
    found = {code: receipt_lookup(vote=election, code=code).choices for code in receipts}
    assert found == dict(zip(receipts, [[a.pk], [b.pk], [c.pk], [a.pk]]))
    assert ElectionBallot.objects.count() == 2 and PendingBallot.objects.count() == 2

    election = vote_count(vote=election, now=AFTER_CLOSE)
    for code, choices in zip(receipts, [[a.pk], [b.pk], [c.pk], [a.pk]]):
        ballot = receipt_lookup(vote=election, code=code)
        assert ballot.choices == choices and ElectionBallot.objects.filter(pk=ballot.pk).exists()


def test_a_resolution_receipt_works_while_held(alliedup, windows, owners):
    resolution = _resolution(alliedup, windows)
    receipt = ballot_cast(vote=resolution, worker=owners[0], choices="no", now=NOW)
    assert receipt_lookup(vote=resolution, code=receipt).choice == "no"


def test_flushing_twice_moves_nothing_twice(alliedup, windows, owners):
    election, (a, *_r) = _election(alliedup, windows, owners, batch=2)
    for w in owners[:4]:
        ballot_cast(vote=election, worker=w, choices=[str(a.uuid)], now=NOW)
    assert ballots_flush(vote=election) == 2
    assert ballots_flush(vote=election) == 0  # two wait, fewer than 2·K
    assert ElectionBallot.objects.count() == 2 and PendingBallot.objects.count() == 2
    election = vote_count(vote=election, now=AFTER_CLOSE)
    assert ballots_flush(vote=election) == 0 and vote_count(vote=election, now=AFTER_CLOSE).result["valid_ballots"] == 4
    assert ElectionBallot.objects.count() == 4 and PendingBallot.objects.count() == 0
    assert len(set(ElectionBallot.objects.values_list("receipt_code", flat=True))) == 4


def test_the_vote_windows_job_flushes_a_due_batch_once(alliedup, windows, owners):
    election, (a, *_r) = _election(alliedup, windows, owners, batch=2)
    for w in owners[:4]:  # the after-cast flush never ran (queued after a commit this test never makes)
        ballot_cast(vote=election, worker=w, choices=[str(a.uuid)], now=NOW)
    with time_machine.travel(NOW, tick=False):
        assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "flushed": 2, "counted": 0}
        assert vote_windows_task(cooperative=alliedup.pk) == {"opened": 0, "flushed": 0, "counted": 0}
    assert ElectionBallot.objects.count() == 2 and PendingBallot.objects.count() == 2


def test_a_batch_of_fewer_than_two_is_refused(alliedup, windows):
    with pytest.raises(ValidationError) as refused:
        election_create(cooperative=alliedup, title="Board", number_of_seats=1, method="plurality", ballot_batch_min=1, **windows)
    assert "ballot_batch_min" in refused.value.message_dict


def test_held_ballots_stay_held_until_their_key_is_back(alliedup, windows, owners, settings):
    election, (a, *_r) = _election(alliedup, windows, owners)
    receipt = ballot_cast(vote=election, worker=owners[0], choices=[str(a.uuid)], now=NOW)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another-key-" + "x" * 50, []
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FALLBACKS"):
        vote_count(vote=election, now=AFTER_CLOSE)
    assert PendingBallot.objects.count() == 1 and ElectionBallot.objects.count() == 0  # nothing moved, nothing lost
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert receipt_lookup(vote=election, code=receipt).choices == [a.pk]
    assert vote_count(vote=election, now=AFTER_CLOSE).result["valid_ballots"] == 1


# --- concurrency: 50 voters, flushes racing the casts, the count racing a cast -------------------


@pytest.mark.django_db(transaction=True)
def test_fifty_voters_at_once_lose_and_double_nothing(alliedup, windows):
    voters = [make_owner(alliedup) for _ in range(50)]
    election, cands = _election(alliedup, windows, voters, batch=3)  # small batches: flushes all along
    wanted = {w.pk: [str(cands[i % 3].uuid)] for i, w in enumerate(voters)}
    receipts, refused, errors = {}, Counter(), []
    barrier = threading.Barrier(25)

    def vote(share):
        try:
            barrier.wait()
            with scope(cooperative=alliedup):
                for w in share + share[:1]:  # each thread's first voter submits twice
                    try:
                        code = ballot_cast(vote=election, worker=w, choices=wanted[w.pk], now=NOW)
                        receipts.setdefault(w.pk, []).append(code)
                    except ValidationError as exc:
                        refused[str(exc.messages[0])] += 1
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(voters[i::25],)) for i in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert refused == {"You have already voted; each voter votes once.": 25}
    assert sorted(len(codes) for codes in receipts.values()) == [1] * 50
    election = vote_count(vote=election, now=AFTER_CLOSE)
    by_receipt = {b.receipt_code: b.choices for b in ElectionBallot.objects.filter(election=election)}
    by_uuid = {str(c.uuid): c.pk for c in cands}
    assert by_receipt == {codes[0]: [by_uuid[u] for u in wanted[pk]] for pk, codes in receipts.items()}  # 0 lost, 0 doubled
    assert PendingBallot.objects.count() == 0 and VoterParticipation.objects.count() == 50
    assert election.result["voted"] == election.result["valid_ballots"] == 50
    assert not {x for x, _ in _stored_ballots(election)} & _participation_xmins(election)


def _wait_for_a_lock_wait(timeout=10.0):
    """Until another backend of this database waits on a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _rows("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", [])[0][0]:
            return
        time.sleep(0.02)
    raise AssertionError("nobody waited for the lock")


@pytest.mark.django_db(transaction=True)
def test_the_count_waits_for_a_cast_in_flight_and_counts_it(alliedup, windows):
    voters = [make_owner(alliedup) for _ in range(3)]
    election, (a, *_r) = _election(alliedup, windows, voters)
    cast_done, release, outcome = threading.Event(), threading.Event(), {}

    def slow_voter():  # casts, then holds its transaction open until released
        with scope(cooperative=alliedup), transaction.atomic():
            outcome["receipt"] = ballot_cast(vote=election, worker=voters[0], choices=[str(a.uuid)], now=NOW)
            cast_done.set()
            release.wait(10)
        connection.close()

    def counter():
        with scope(cooperative=alliedup):
            outcome["count"] = vote_count(vote=election, now=AFTER_CLOSE)
        connection.close()

    voter = threading.Thread(target=slow_voter)
    voter.start()
    assert cast_done.wait(10)
    count = threading.Thread(target=counter)
    count.start()
    _wait_for_a_lock_wait()  # the count is queued behind the cast's lock on the election
    release.set()
    voter.join()
    count.join()
    assert outcome["count"].result["voted"] == outcome["count"].result["valid_ballots"] == 1
    assert receipt_lookup(vote=outcome["count"], code=outcome["receipt"]).choices == [a.pk]


@pytest.mark.django_db(transaction=True)
def test_a_cast_queued_behind_the_count_finds_voting_closed(alliedup, windows):
    voters = [make_owner(alliedup) for _ in range(3)]
    election, (a, *_r) = _election(alliedup, windows, voters)
    counted, release, outcome = threading.Event(), threading.Event(), {}

    def slow_count():  # counts, then holds its transaction open until released
        with scope(cooperative=alliedup), transaction.atomic():
            vote_count(vote=election, now=AFTER_CLOSE)
            counted.set()
            release.wait(10)
        connection.close()

    def late_voter():
        with scope(cooperative=alliedup):
            try:
                outcome["cast"] = ballot_cast(vote=election, worker=voters[0], choices=[str(a.uuid)], now=NOW)
            except ValidationError as exc:
                outcome["cast"] = exc
        connection.close()

    count = threading.Thread(target=slow_count)
    count.start()
    assert counted.wait(10)
    voter = threading.Thread(target=late_voter)
    voter.start()
    _wait_for_a_lock_wait()
    release.set()
    count.join()
    voter.join()
    assert isinstance(outcome["cast"], ValidationError) and "not open" in str(outcome["cast"])
    assert VoterParticipation.objects.count() == 0 and PendingBallot.objects.count() == 0


# --- ballots stored before the change ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_rewrites_ballots_stored_in_their_voters_transactions(alliedup, windows):
    migration = importlib.import_module("governance.migrations.0002_ballot_box_secrecy")
    voters = [make_owner(alliedup) for _ in range(8)]
    election, (a, *_r) = _election(alliedup, windows, voters)
    for i, entry in enumerate(VoterRollEntry.objects.filter(election=election).order_by("pk")):
        with transaction.atomic():  # as casting used to write them: both rows in one transaction
            VoterParticipation.objects.create(cooperative=alliedup, roll_entry=entry)
            ElectionBallot.objects.create(cooperative=alliedup, election=election, receipt_code=f"OLD{i:02d}", choices=[a.pk])
    before = _stored_ballots(election)
    assert {x for x, _ in before} <= _participation_xmins(election)  # the old link

    with transaction.atomic():
        migration.rewrite_stored_ballots(django_apps, None)
    after = _stored_ballots(election)
    assert sorted(code for _, code in after) == sorted(code for _, code in before)
    assert len({x for x, _ in after}) == 1 and not {x for x, _ in after} & _participation_xmins(election)
