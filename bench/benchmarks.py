"""The benchmarks: one `Benchmark` per page or API endpoint, run by `python -m bench`.

Later issues append theirs to BENCHMARKS. `path_fn(cooperative)` returns the path to request;
it runs inside that cooperative's scope, so it may query tenant rows (say, to find a worker's
own record). `user_role` is the role of the user who makes the requests: the harness signs in
the first generated user holding it in the cooperative.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from django.urls import reverse

from alliedup.models import Cooperative, Role


@dataclass(frozen=True)
class Benchmark:
    name: str
    path_fn: Callable[[Cooperative], str]
    user_role: str
    description: str = ""
    # Issue 17: every page at most 300 ms p95 on the largest co-op, in-process; a PDF 3 s.
    limit_ms: float = 300.0
    # Measured and warm-up requests when not the run's (--requests/--warmup): a multi-second
    # PDF 55 times would make `make bench` minutes longer for no better median.
    requests: int | None = None
    warmup: int | None = None
    # Entered around the benchmark's requests on a co-op, `context(cooperative)` (settings,
    # a cache filled first): None for none.
    context: Callable[[Cooperative], AbstractContextManager] | None = None


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        "staff home", lambda coop: reverse("staff_home", args=[coop.slug]), Role.ADMIN,
        "Team size, open invitations and the 10 latest audit events.",
    ),
    Benchmark(
        "worker home", lambda coop: reverse("worker_home", args=[coop.slug]), Role.WORKER,
        "A worker's own page: the co-op's ownership rules.",
    ),
    Benchmark(
        "team page", lambda coop: reverse("team", args=[coop.slug]), Role.ADMIN,
        "First page (50) of everyone with a role, their roles, and the open invitations.",
    ),
    Benchmark(
        "audit trail", lambda coop: reverse("audit_trail", args=[coop.slug]), Role.ADMIN,
        "First page (50) of the audit trail, newest first, with the page count.",
    ),
    Benchmark(
        "API audit-events", lambda coop: reverse("api_audit_events", args=[coop.slug]), Role.ADMIN,
        "First page (50) of /api/v1/c/<slug>/audit-events/ as JSON, with the total count.",
    ),
    Benchmark(
        "API team", lambda coop: reverse("api_team", args=[coop.slug]), Role.ADMIN,
        "/api/v1/c/<slug>/team/: first page (50) of everyone with a role, as JSON.",
    ),
    Benchmark(
        "members pipeline", lambda coop: reverse("members:pipeline", args=[coop.slug]), Role.COORDINATOR,
        "Status counts, employees near 350 hours (aggregate over the ledger), open candidacies, owners behind pace.",
    ),
    Benchmark(
        "worker record", lambda coop: reverse("members:worker_detail", args=[coop.slug, _busiest_worker(coop).uuid]),
        Role.COORDINATOR, "The worker with the most ledger rows: hours, candidacy, equity, history, ledger page.",
    ),
    Benchmark(
        "my ownership", lambda coop: reverse("members:my_ownership", args=[coop.slug]), Role.WORKER,
        "A worker's own ownership page: hours toward 350 per classification, candidacy, equity.",
    ),
    Benchmark(
        "fill board", lambda coop: reverse("placements:fill_board", args=[coop.slug]), Role.COORDINATOR,
        "Open and filled counts for each of the next 14 days, the open shifts of the first day with any (and the days "
        "after it while they fit one page of 50), fill figures, expiring credentials, flagged assignments.",
    ),
    Benchmark(
        "timesheet queue", lambda coop: reverse("placements:timesheets", args=[coop.slug]), Role.COORDINATOR,
        "First page (50) of the submitted timesheets, oldest first, with worker, shift and client, the count of all "
        "waiting and the client and classification filters.",
    ),
    Benchmark(
        "clients list", lambda coop: reverse("placements:clients", args=[coop.slug]), Role.COORDINATOR,
        "The co-op's clients with their counts (placements has no shift list page).",
    ),
    Benchmark(
        "insights staff dashboard", lambda coop: reverse("insights:staff", args=[coop.slug]), Role.COORDINATOR,
        "This year so far: placements per month and year, fill rate, members over time from the status history, hours by classification, turnover.",
    ),
    Benchmark(
        "insights staff, warmed", lambda coop: reverse("insights:staff", args=[coop.slug]), Role.COORDINATOR,
        "The staff dashboard as production serves it: the cache on (300 s) and filled first by the beat's task "
        "(insights.tasks.warm_reports_task), so no request computes a figure.",
        context=lambda coop: _insights_warmed(coop),
    ),
    Benchmark(
        "governance board", lambda coop: reverse("governance:board", args=[coop.slug]), Role.BOARD,
        "The board page as a board member: seats, today's terms, the majority rule, the forms to seat someone and add a seat.",
    ),
    Benchmark(
        "board pack PDF", lambda coop: reverse("insights:board_pdf", args=[coop.slug]), Role.BOARD,
        "The board pack PDF (WeasyPrint) for the default period, as a board member: every board figure with its "
        "chart and table. Figures computed on every request unless INSIGHTS_CACHE_SECONDS is set.",
        limit_ms=3000.0, requests=10, warmup=2,
    ),
    Benchmark(
        "board pack PDF, warmed", lambda coop: reverse("insights:board_pdf", args=[coop.slug]), Role.BOARD,
        "The board pack with the figures in the cache (filled first, as for 'insights staff, warmed'): WeasyPrint only.",
        limit_ms=3000.0, requests=10, warmup=2, context=lambda coop: _insights_warmed(coop),
    ),
]


def _busiest_worker(coop: Cooperative):
    from django.db.models import Count

    from members.models import Worker

    return Worker.objects.filter(cooperative=coop).annotate(n=Count("hours_entries")).order_by("-n", "pk").first()


@contextmanager
def _insights_warmed(coop: Cooperative) -> Iterator[None]:
    from django.test.utils import override_settings

    from insights.tasks import warm_reports_task

    with override_settings(INSIGHTS_CACHE_SECONDS=300, INSIGHTS_WARM_SECONDS=240):
        warm_reports_task.apply(kwargs={"cooperative": coop.pk}).get()  # what the beat queues per co-op
        yield
