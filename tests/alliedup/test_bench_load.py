"""The load benchmarks' harness (bench/concurrent.py, bench/voting.py) without gunicorn:
the figures, the HTTP clients against a stdlib server, and the voting set-up casting
through Django's test client with the minted tokens."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse

from bench.concurrent import LoadResult, Request, percentile, run_clients, split


def test_percentile_is_linear_between_ranks_like_the_runner():
    assert percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(1, 101))), 95) == pytest.approx(95.05)
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0


def test_split_deals_every_item_once():
    parts = split(list(range(10)), 3)
    assert parts == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    assert sorted(x for p in parts for x in p) == list(range(10))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = 201 if json.loads(body)["n"] % 2 == 0 else 400
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_run_clients_sends_every_request_once_and_keeps_the_keys():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        requests = [Request("POST", "/", {"Content-Type": "application/json"}, json.dumps({"n": n}).encode(), key=n)
                    for n in range(40)]
        result = run_clients("127.0.0.1", server.server_address[1], split(requests, 4))
    finally:
        server.shutdown()
    assert sorted(r.key for r in result.responses) == list(range(40))
    assert result.statuses == {201: 20, 400: 20}
    assert {r.key for r in result.responses if r.status == 201} == set(range(0, 40, 2))
    assert "40 requests by 4 clients" in result.summary()


def test_a_refused_connection_is_status_0_not_an_exception():
    from bench.concurrent import free_port

    result = run_clients("127.0.0.1", free_port(), [[Request("GET", "/", key=1)]], timeout=2)
    assert isinstance(result, LoadResult) and result.responses[0].status == 0 and result.responses[0].error


def test_ranked_ballots_are_seeded_and_valid():
    from bench.voting import ranked_ballots

    candidates = [f"c{i}" for i in range(10)]
    ballots = ranked_ballots(candidates, 500, 42)
    assert ballots == ranked_ballots(candidates, 500, 42)
    assert all(1 <= len(b) <= 10 and len(set(b)) == len(b) and set(b) <= set(candidates) for b in ballots)
    assert len({b[0] for b in ballots}) == 10  # everyone is somebody's first choice


def test_ranked_ballots_rank_one_to_all_fifty_candidates():
    from bench.voting import ranked_ballots

    candidates = [f"c{i}" for i in range(50)]
    lengths = {len(b) for b in ranked_ballots(candidates, 2000, 42)}
    assert min(lengths) == 1 and max(lengths) == 50


def test_voting_options_default_to_fifty_candidates_and_refuse_more_than_the_voters():
    from bench.voting import parse_args, setup

    assert parse_args([]).candidates == 50
    assert parse_args(["--candidates", "10", "--voters", "100"]).candidates == 10
    for argv in (["--candidates", "5"], ["--candidates", "20", "--voters", "10"]):
        with pytest.raises(SystemExit):
            parse_args(argv)
    with pytest.raises(ValueError, match="50 candidates"):
        setup(49, seed=1)


def test_voting_setup_opens_an_election_the_minted_tokens_can_vote_in(db):
    from django_scopes import scopes_disabled

    from bench.voting import CANDIDATES, SEATS, ranked_ballots, setup
    from governance.models import PendingBallot, VoterRollEntry

    coop, election, voters, candidates = setup(30, seed=1, candidates=10)
    coop, election, voters, candidates = setup(60, seed=1)  # made again from scratch
    assert election.status == "voting" and election.number_of_seats == SEATS and len(candidates) == CANDIDATES == 50
    with scopes_disabled():
        assert VoterRollEntry.objects.filter(election=election).count() == 60
    path = reverse("governance_api:election_cast", args=[coop.slug, election.uuid])
    choices = ranked_ballots(sorted(candidates.values()), 1, 1)[0]
    client = Client()
    for expected in (201, 400):
        response = client.post(path, json.dumps({"choices": choices}), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Token {voters[0][1]}")
        assert response.status_code == expected, response.content
    with scopes_disabled():  # held sealed until a batch is due or the count
        assert PendingBallot.objects.filter(election=election).count() == 1


def test_dashboard_bench_shares_a_redis_cache_keyed_by_its_database_and_runs_tasks_here():
    from bench.concurrent import parse_args, use_cache

    args = parse_args(["--cache-url", "redis://127.0.0.1:6379/9"])
    assert args.cache_seconds == 300 and args.limit_ms == 150
    environ = {}
    use_cache(args, "postgres://postgres@127.0.0.1:5432/alliedup_bench", environ)
    assert environ == {"INSIGHTS_CACHE_SECONDS": "300", "CELERY_TASK_ALWAYS_EAGER": "true",
                       "CACHE_URL": "redis://127.0.0.1:6379/9", "CACHE_KEY_PREFIX": "bench-alliedup_bench"}
    off = {}
    use_cache(parse_args(["--cache-seconds", "0"]), "postgres://postgres@127.0.0.1:5432/alliedup_bench", off)
    assert off == {"INSIGHTS_CACHE_SECONDS": "0", "CELERY_TASK_ALWAYS_EAGER": "true"}  # nothing to share


def test_dashboard_bench_warms_every_active_coop_with_the_beats_task(alliedup, nursescan, settings):
    from datetime import date

    from django.core.cache import cache

    from bench.concurrent import warm_dashboards
    from insights.reports import cache_key

    settings.INSIGHTS_CACHE_SECONDS, settings.INSIGHTS_WARM_SECONDS = 300, 240
    cache.clear()
    today = alliedup.today()
    count, seconds = warm_dashboards()
    assert count == 2 and seconds > 0
    for coop in (alliedup, nursescan):
        assert cache.get(cache_key(coop, "staff", date(today.year, 1, 1), today, {}, "en")) is not None
    cache.clear()


@pytest.mark.parametrize("argv", [[], ["--quick", "--seed", "7"], ["--workers", "300", "--weeks", "3"]])
def test_make_bench_runs_the_load_on_its_own_data_with_20_users_thinking(argv):
    """`make bench` starts bench.concurrent in another process: it must measure the data set
    the rest of the run measured (else it would generate another), as 20 users pausing ~1 s."""
    from bench.__main__ import SIZES, concurrent_args, parse_args
    from bench.concurrent import parse_args as concurrent_parse_args

    bench = parse_args(argv)
    load = concurrent_parse_args(concurrent_args(bench))
    assert {k: getattr(load, k) for k in [*SIZES, "seed"]} == {k: getattr(bench, k) for k in [*SIZES, "seed"]}
    assert (load.clients, load.think, load.cache_seconds > 0) == (20, 1.0, True)
