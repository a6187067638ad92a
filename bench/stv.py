"""The count of a large ranked election (issue 17): "STV/IRV count of 10,000 ballots for 5 seats
< 300 ms with 50 candidates".

`python -m bench --only stv` (part of every `make bench`). In a transaction rolled back at the
end (nothing stays): a co-op of 10,000 worker-owners (bulk-inserted, no logins), a ranked
election for 5 seats with 50 candidates, voting opened with `voting_open` (the roll fixed),
a participation per voter and 10,000 ranked ballots of 1 to 50 candidates (a weighted random
order cut at a random length, seeded: `bench.voting.ranked_ballots`), 9,985 of them already in
the ballot table in random order and 15 still held sealed, as the ballot box leaves them when
voting closes (services/ballot_box.py). Then, each repetition rolled back:
- `vote_count` (the final flush, turnout, the rankings grouped in SQL, the Scottish STV count,
  saving the result and its audit event), printed beside its 300 ms limit;
- the bare read: the same `GROUP BY choices` with cursor.execute + fetchall;
- `counting.ranked_counts` alone on the grouped rows;
- the queries of `vote_count`.
Median of `repeats` after one warm-up. Printed, never asserted.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

LIMIT_MS = 300
VOTERS, SEATS, CANDIDATES, HELD = 10_000, 5, 50, 15
SLUG = "bench-stv"


def _setup(seed: int, voters: int):
    """The co-op, the election (closed window, not yet counted) and its ballots; inside the caller's transaction."""
    from django.utils import timezone

    from alliedup.models import Cooperative
    from bench.voting import ranked_ballots
    from governance.models import Election, ElectionBallot, VoterParticipation
    from governance.services import ballot_box
    from governance.services.voting import RECEIPT_ALPHABET, candidate_nominate, election_create, voting_open
    from members.models import MemberStatus, Worker
    from notifications.services.triggers import paused as notifications_paused

    rng = random.Random(f"{seed}:stv-bench")
    now = timezone.now()
    coop = Cooperative.objects.create(slug=SLUG, name="STV count benchmark (generated, rolled back)", time_zone="America/Los_Angeles")
    today = timezone.localdate(now, timezone=coop.zone)
    Worker.objects.bulk_create(
        [Worker(cooperative=coop, first_name=f"Voter{n}", last_name="Bench", email=f"v{n:05d}@{SLUG}.example.com",
                hire_date=today - timedelta(days=900), status=MemberStatus.OWNER, owner_since=today - timedelta(days=400))
         for n in range(voters)], batch_size=5000)
    workers = list(Worker.objects.filter(cooperative=coop).order_by("pk"))
    with scope(cooperative=coop):
        election = election_create(
            cooperative=coop, title="Board election (count benchmark)", number_of_seats=SEATS, method=Election.Method.RANKED,
            nominations_open_at=now - timedelta(hours=3), nominations_close_at=now - timedelta(hours=2),
            voting_opens_at=now - timedelta(hours=1), voting_closes_at=now + timedelta(hours=1), record_date=today - timedelta(days=1),
        )
        candidates = [candidate_nominate(election=election, worker=w) for w in rng.sample(workers, CANDIDATES)]
        with notifications_paused():
            election = voting_open(vote=election)
        VoterParticipation.objects.bulk_create(
            [VoterParticipation(cooperative=coop, roll_entry=entry) for entry in election.roll.all()], batch_size=5000)
        pks = [c.pk for c in candidates]
        contents = ranked_ballots(pks, voters, seed)
        receipts = ["".join(rng.choice(RECEIPT_ALPHABET) for _ in range(12)) for _ in range(voters)]
        receipts = [f"{r[:4]}-{r[4:8]}-{r[8:]}" for r in receipts]
        for content, receipt in zip(contents[:HELD], receipts[:HELD]):
            ballot_box.ballot_hold(vote=election, receipt=receipt, content=content)
        ElectionBallot.objects.bulk_create(
            [ElectionBallot(cooperative=coop, election=election, receipt_code=r, choices=c)
             for c, r in zip(contents[HELD:], receipts[HELD:])], batch_size=5000)
        Election.objects.filter(pk=election.pk).update(voting_closes_at=now - timedelta(seconds=1))
        election.refresh_from_db()
    with connection.cursor() as cursor:
        for model in (Worker, ElectionBallot, VoterParticipation):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return coop, election


def _rolled_back(fn):
    with transaction.atomic():
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, result


def run_stv_benchmark(*, seed: int = 42, repeats: int = 9, voters: int = VOTERS) -> dict:
    from governance import counting
    from governance.models import Candidate, ElectionBallot
    from governance.services import ballot_box
    from governance.services.voting import vote_count

    with scopes_disabled(), transaction.atomic():
        started = time.perf_counter()
        coop, election = _setup(seed, voters)
        setup_s = time.perf_counter() - started
        sql = f"SELECT choices, COUNT(*) FROM {ElectionBallot._meta.db_table} WHERE election_id = %s GROUP BY choices"

        def bare():
            with connection.cursor() as cursor:
                cursor.execute(sql, [election.pk])
                return cursor.fetchall()

        with scope(cooperative=coop):
            _rolled_back(lambda: vote_count(vote=election))  # warm-up
            count_runs, bare_runs, pure_runs = [], [], []
            for _ in range(repeats):
                seconds, counted = _rolled_back(lambda: vote_count(vote=election))
                count_runs.append(seconds)
            with transaction.atomic():
                with CaptureQueriesContext(connection) as captured:
                    vote_count(vote=election)
                transaction.set_rollback(True)
            # The bare read and the pure count see the ballots as the count does: every one moved.
            with transaction.atomic():
                ballot_box.flush_locked(election, final=True)
                candidates = sorted(election.candidates.filter(status=Candidate.Status.ACCEPTED).values_list("pk", flat=True))
                for _ in range(repeats):
                    seconds, rows = _rolled_back(bare)
                    bare_runs.append(seconds)
                grouped = list(ElectionBallot.objects.filter(election=election).order_by().values_list("choices").annotate(n=Count("pk")))
                for _ in range(repeats):
                    seconds, pure = _rolled_back(lambda: counting.ranked_counts(grouped, candidates, SEATS, str(election.uuid)))
                    pure_runs.append(seconds)
                uuids = dict(election.candidates.values_list("pk", "uuid"))
                same = [str(uuids[c]) for c in pure.elected] == counted.result["elected"]
                transaction.set_rollback(True)
        transaction.set_rollback(True)
    result = counted.result
    return {
        "setup s": setup_s, "repeats": repeats, "ballots": result["valid_ballots"], "distinct": len(rows),
        "count ms": statistics.median(count_runs) * 1000, "count max ms": max(count_runs) * 1000, "runs": count_runs,
        "bare ms": statistics.median(bare_runs) * 1000, "pure ms": statistics.median(pure_runs) * 1000,
        "queries": len(captured.captured_queries), "rounds": len(result["rounds"]), "quota": result["quota"],
        "elected": len(result["elected"]),
        "same elected": same,
    }


def print_stv(r: dict) -> None:
    verdict = "within" if r["count ms"] < LIMIT_MS else "OVER"
    print(f"\nSTV count: {r['ballots']:,} ballots ({r['distinct']:,} distinct rankings), {SEATS} seats, {CANDIDATES} candidates "
          f"(set up in {r['setup s']:.1f} s, rolled back; median of {r['repeats']} after one warm-up):\n"
          f"  vote_count (flush, turnout, grouped read, STV, save)  {r['count ms']:7.1f} ms   limit {LIMIT_MS} ms: {verdict} "
          f"(runs {1000 * min(r['runs']):.0f}–{r['count max ms']:.0f} ms; {r['queries']} queries)\n"
          f"  bare GROUP BY choices (fetchall)                      {r['bare ms']:7.1f} ms\n"
          f"  counting.ranked_counts alone                          {r['pure ms']:7.1f} ms\n"
          f"  quota {r['quota']}, {r['rounds']} stages, {r['elected']} elected; the same elected by the pure count: {r['same elected']}")
