"""Measuring: requests through Django's test Client, timed with perf_counter, queries counted
with CaptureQueriesContext."""

import statistics
import time
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from alliedup.models import Cooperative, CooperativeRole
from bench.benchmarks import Benchmark
from seeding.generate.core import generated_cooperatives


class BenchmarkError(Exception):
    """A benchmark could not run as defined (no such user, a non-200 response)."""


@dataclass
class Result:
    benchmark: Benchmark
    cooperative: Cooperative
    people: int
    path: str
    times: list[float]
    queries: list[int]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        if len(self.times) < 2:
            return self.times[0] * 1000
        return statistics.quantiles(self.times, n=20, method="inclusive")[-1] * 1000

    @property
    def queries_label(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


def cooperatives_by_size() -> list[tuple[Cooperative, int]]:
    """The generated cooperatives with their number of role holders, largest first."""
    with scopes_disabled():
        coops = list(generated_cooperatives())
        sizes = {
            coop.pk: CooperativeRole.objects.filter(cooperative=coop).values("user").distinct().count()
            for coop in coops
        }
    return sorted(((c, sizes[c.pk]) for c in coops), key=lambda cs: (-cs[1], cs[0].slug))


def user_for(cooperative: Cooperative, role: str):
    with scopes_disabled():
        held = (
            CooperativeRole.objects.filter(cooperative=cooperative, role=role)
            .select_related("user")
            .order_by("user__email")
            .first()
        )
    if held is None:
        raise BenchmarkError(f"No user holds the role {role!r} in {cooperative.slug}.")
    return held.user


def run(benchmark: Benchmark, cooperative: Cooperative, people: int, *, requests: int, warmup: int) -> Result:
    """Request the benchmark's path `warmup` times unmeasured, then `requests` times measured;
    a benchmark's own `requests`/`warmup` (a slow PDF) lower those, never raise them."""
    if benchmark.requests is not None:
        requests = min(requests, benchmark.requests)
    if benchmark.warmup is not None:
        warmup = min(warmup, benchmark.warmup)
    with benchmark.context(cooperative) if benchmark.context else nullcontext():
        return _run(benchmark, cooperative, people, requests=requests, warmup=warmup)


def _run(benchmark: Benchmark, cooperative: Cooperative, people: int, *, requests: int, warmup: int) -> Result:
    client = Client()
    client.force_login(user_for(cooperative, benchmark.user_role))
    with scope(cooperative=cooperative):
        path = benchmark.path_fn(cooperative)
    for _ in range(warmup):
        _check(benchmark, path, client.get(path))
    times, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        _check(benchmark, path, response)
        times.append(elapsed)
        queries.append(len(captured))
    return Result(benchmark, cooperative, people, path, times, queries)


def _check(benchmark: Benchmark, path: str, response) -> None:
    # A 302 to the login page or a 403 would be timed happily and mean nothing.
    if response.status_code != 200:
        body = response.content[:300].decode(errors="replace")
        raise BenchmarkError(f"{benchmark.name}: GET {path} answered {response.status_code}: {body}")
