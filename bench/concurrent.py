"""Load against a running server: gunicorn on a free port, N client threads over HTTP.

`python -m bench.concurrent [--quick] [--path PATH --user EMAIL] [--clients 20] [--requests 1000]
[--think S] [--cache-seconds 300] [--cache-url URL]`

Unlike `python -m bench` (Django's test Client in-process, one request at a time), this
starts gunicorn on the bench database and has `--clients` threads, each with its own
keep-alive HTTP connection, request the page `--requests` times in all. By default the page
is the insights staff dashboard (`insights:staff`) of the largest generated co-op, requested
by the first coordinator there; the client is signed in with a session created directly in
the database (SessionStore, as `login()` would write it), so no password or login form is
involved. Prints p50 / p95 / max and requests per second, and the page's queries per request
on the largest and the smallest co-op (in-process, bench.runner). See docs/benchmarks.md.

The dashboards are served as in production: the cache on (`--cache-seconds`, 300) in Redis
(`--cache-url`), which the bench process and every gunicorn worker share, filled first by the
beat's own code (alliedup.tasks.fan_out of insights.tasks.warm_reports_task, run in this
process), so no measured request computes a figure; p95 is printed beside the issue's 150 ms.
`--cache-seconds 0` measures the figures computed on every request.

The helpers (`gunicorn`, `run_clients`, `percentile`) are used by bench.voting too.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from importlib import import_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/0"
LIMIT_MS = 150.0  # issue 17: the insights dashboards' p95 under 20 concurrent users


# --- figures --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100), linear between the closest ranks (statistics.quantiles'
    "inclusive" method, as bench.runner uses for p95)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Response:
    """One request as the client saw it: status 0 when the connection failed (no answer)."""

    key: object
    status: int
    seconds: float
    body: bytes = b""
    error: str = ""


@dataclass
class LoadResult:
    responses: list[Response]
    wall_seconds: float
    clients: int
    statuses: dict[int, int] = field(default_factory=dict)

    def __post_init__(self):
        for r in self.responses:
            self.statuses[r.status] = self.statuses.get(r.status, 0) + 1

    def times(self, ok_only: bool = False) -> list[float]:
        return [r.seconds for r in self.responses if not ok_only or 200 <= r.status < 300]

    def summary(self, label: str = "requests") -> str:
        t = self.times()
        statuses = ", ".join(f"{s or 'no answer'}: {n:,}" for s, n in sorted(self.statuses.items()))
        return (
            f"  {len(t):,} {label} by {self.clients} clients in {self.wall_seconds:.2f} s: "
            f"{len(t) / self.wall_seconds:.1f}/s\n"
            f"  latency p50 {1000 * percentile(t, 50):.1f} ms, p95 {1000 * percentile(t, 95):.1f} ms, "
            f"p99 {1000 * percentile(t, 99):.1f} ms, max {1000 * max(t):.1f} ms\n"
            f"  statuses: {statuses}"
        )


# --- clients --------------------------------------------------------------------------------


@dataclass
class Request:
    """What a client sends; `key` comes back with its Response (a voter, say)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    key: object = None


def send(connection: http.client.HTTPConnection, request: Request, *, think: float = 0.0) -> Response:
    """One request on a keep-alive connection (http.client reconnects by itself when the
    server closed it). A failure is a Response with status 0: never retried, since a ballot
    sent twice is not the same as a ballot sent once. `think`: seconds to pause first."""
    if think:
        time.sleep(think)
    started = time.perf_counter()
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        answer = connection.getresponse()
        body = answer.read()
        return Response(request.key, answer.status, time.perf_counter() - started, body)
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        return Response(request.key, 0, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")


def run_clients(host: str, port: int, plans: list[list[Request]], *, warmup: Callable[[], list[Request]] | None = None,
                timeout: float = 60.0, think: float = 0.0, seed: int = 42) -> LoadResult:
    """One thread per plan, each with its own connection, sending its requests in order.
    `warmup()` gives each thread requests to send (unmeasured) before all start together.
    `think`: mean pause before each request (uniform 0 to 2×think; 0: back to back)."""
    results: list[list[Response]] = [[] for _ in plans]
    barrier = threading.Barrier(len(plans) + 1)

    def client(i: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            for request in warmup() if warmup else []:
                send(connection, request)
            barrier.wait()
            rng = random.Random(f"{seed}:{i}")
            results[i] = [send(connection, request, think=rng.uniform(0, 2 * think)) for request in plans[i]]
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(plans))]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return LoadResult([r for rs in results for r in rs], wall, len(plans))


def split(items: list, parts: int) -> list[list]:
    """`items` dealt round-robin into `parts` lists."""
    return [items[i::parts] for i in range(parts)]


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url: str, *, workers: int = 4, threads: int = 4, port: int | None = None,
             ready_path: str = "/", timeout: float = 60.0) -> Iterator[tuple[str, int, Path]]:
    """Run gunicorn (the project's dependency, as in the Dockerfile) on 127.0.0.1:<free port>
    with the bench database; yield (host, port, error log path); stop it on exit.
    `threads` > 1 uses the gthread worker (keep-alive), 1 the sync worker."""
    port = port or free_port()
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    env = {**os.environ, "DATABASE_URL": database_url}
    env.setdefault("DJANGO_SETTINGS_MODULE", "alliedup.settings.test")
    command = [
        sys.executable, "-m", "gunicorn", "alliedup.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread" if threads > 1 else "sync",
        # keep-alive past gunicorn's 2 s default: a busy gthread worker otherwise closes a
        # connection whose next request is already waiting (the client sees no answer).
        "--keep-alive", "30", "--timeout", str(int(timeout)), "--error-logfile", str(log), "--log-level", "warning",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", ready_path)
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer on port {port} within 60 s") from None
                time.sleep(0.2)
        yield "127.0.0.1", port, log
    finally:
        process.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_errors(log: Path) -> str:
    """What gunicorn and Django logged at warning level or above (tracebacks of 500s)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(ln for ln in text.splitlines() if ln.strip())


# --- Django set-up, as python -m bench does it ------------------------------------------------


def setup_django(*, recreate: bool = False) -> str:
    """Pick and create the bench database (bench.__main__.bench_database_url), set Django up,
    migrate. Returns the database URL (the server gets the same)."""
    from bench.__main__ import _without_password, bench_database_url
    from bench.database import ensure_database

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliedup.settings.test")
    os.environ["DATABASE_URL"] = url = bench_database_url()
    print(f"Database: {_without_password(url)}")
    if message := ensure_database(url, recreate=recreate):
        print(message)
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return url


def session_cookie(user) -> str:
    """A signed-in session for `user`, written straight to the session store (what
    django.contrib.auth.login stores): the value of the session cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- python -m bench.concurrent ----------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    from bench.__main__ import QUICK_SIZES, SIZES

    parser = argparse.ArgumentParser(prog="python -m bench.concurrent", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true", help="The --quick data of python -m bench (2 co-ops, 200 workers).")
    parser.add_argument("--cooperatives", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--weeks", type=int)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--path", help="Path to request (default: the insights staff dashboard of the largest co-op).")
    parser.add_argument("--user", help="Email of the user to sign in (default: the first coordinator there).")
    parser.add_argument("--clients", type=int, default=20, help="Concurrent clients (20).")
    parser.add_argument("--requests", type=int, default=1000, help="Measured requests in all (1000).")
    parser.add_argument("--warmup", type=int, default=2, help="Unmeasured requests per client first (2).")
    parser.add_argument("--think", type=float, default=0.0,
                        help="Mean pause of a client before each request, seconds (0: back to back, the saturation case).")
    parser.add_argument("--server-workers", type=int, default=4, help="gunicorn workers (4).")
    parser.add_argument("--server-threads", type=int, default=4, help="Threads per worker (4; 1 = sync worker).")
    parser.add_argument("--cache-seconds", type=int, default=300,
                        help="INSIGHTS_CACHE_SECONDS for this process and gunicorn (300, as production; 0: off, nothing warmed).")
    parser.add_argument("--cache-url", default=os.environ.get("BENCH_CACHE_URL") or os.environ.get("REDIS_URL") or DEFAULT_CACHE_URL,
                        help="The Redis cache the warm-up writes and gunicorn reads (BENCH_CACHE_URL, else REDIS_URL, "
                             f"else {DEFAULT_CACHE_URL}).")
    parser.add_argument("--limit-ms", type=float, default=LIMIT_MS, help=f"The p95 to stay under ({LIMIT_MS:.0f} ms, issue 17).")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    for key, value in sizes.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def use_cache(args: argparse.Namespace, database_url: str, environ=os.environ) -> None:
    """Set the environment this process and gunicorn read their cache settings from: the
    dashboards' cache for `--cache-seconds`, in Redis at `--cache-url` (shared, so what this
    process warms is what the workers read) under a key prefix naming the bench database
    (keys hold co-op ids, which another database reuses); tasks run in this process."""
    environ["INSIGHTS_CACHE_SECONDS"] = str(args.cache_seconds)
    environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    if args.cache_seconds:
        environ["CACHE_URL"] = args.cache_url
        environ["CACHE_KEY_PREFIX"] = f"bench-{urlsplit(database_url).path.strip('/') or 'default'}"


def warm_dashboards() -> tuple[int, float]:
    """What the beat's insights-warm-reports entry runs, here and now: fan_out queues
    insights.tasks.warm_reports_task for every active co-op (run eagerly in this process).
    Returns (co-ops warmed, seconds)."""
    import insights.tasks  # noqa: F401  registers the task, as a worker's autodiscovery does
    from alliedup.tasks import fan_out

    started = time.perf_counter()
    count = fan_out.apply(args=["insights.tasks.warm_reports_task"]).get()
    return count, time.perf_counter() - started


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.__main__ import bench_database_url

    use_cache(args, bench_database_url())
    url = setup_django()
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from alliedup.models import Role, User
    from bench import report
    from bench.benchmarks import BENCHMARKS
    from bench.runner import cooperatives_by_size, run, user_for

    report.prepare_data(args)
    ranked = cooperatives_by_size()
    largest, people = ranked[0]
    dashboard = next(b for b in BENCHMARKS if b.name == "insights staff dashboard")
    path = args.path or reverse("insights:staff", args=[largest.slug])
    with scopes_disabled():
        user = User.objects.get(email=args.user) if args.user else user_for(largest, Role.COORDINATOR)
    cookie = session_cookie(user)
    headers = {"Cookie": cookie}

    if args.cache_seconds:
        count, seconds = warm_dashboards()
        print(f"\nCache on ({args.cache_seconds} s, Redis {args.cache_url}): warmed the dashboards of {count} co-ops "
              f"(fan_out → insights.tasks.warm_reports_task, as the beat queues it) in {seconds:.1f} s.")
    else:
        print("\nCache off (--cache-seconds 0): every request computes its figures.")
    if not args.path:
        state = "cache on, warmed" if args.cache_seconds else "cache off"
        print(f"\nQueries per request of the dashboard (in-process, {state}, 5 requests after 1 warm-up):")
        for coop, n in ([ranked[0], ranked[-1]] if len(ranked) > 1 else ranked):
            result = run(dashboard, coop, n, requests=5, warmup=1)
            print(f"  {coop.slug} ({n:,} people): {result.queries_label} queries, p50 {result.p50_ms:.1f} ms in-process")

    print(f"\nGET {path} as {user.email}: gunicorn {args.server_workers} workers × {args.server_threads} threads, "
          f"{args.clients} clients, {args.requests:,} requests (+{args.warmup} warm-up each), think time {args.think} s")
    request = Request("GET", path, headers)
    plans = split([request] * args.requests, args.clients)
    with gunicorn(url, workers=args.server_workers, threads=args.server_threads) as (host, port, log):
        result = run_clients(host, port, plans, warmup=lambda: [request] * args.warmup, think=args.think)
    print(result.summary())
    p95 = 1000 * percentile(result.times(), 95)
    print(f"  p95 {p95:.1f} ms against the {args.limit_ms:.0f} ms limit: {'within' if p95 <= args.limit_ms else 'OVER'}")
    bad = [r for r in result.responses if r.status != 200]
    if bad:
        print(f"\n  {len(bad)} responses other than 200; first: {bad[0].status} {bad[0].error} {bad[0].body[:300]!r}")
    if errors := server_errors(log):
        print(f"\n  Server log ({log}):\n{errors[-3000:]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
