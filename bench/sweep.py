"""The nightly eligibility sweep against the bare SQL aggregate it is built on (issue 4).

For every generated co-op, on the last generated day: the bare
`SUM(hours) GROUP BY worker, classification` over the 365-day window, and the whole
`eligibility_sweep` service (its aggregate with the threshold and the employees-without-a-
candidacy filter, plus opening candidacies for whoever is newly eligible). One unmeasured
sweep first catches up (generated history already holds the earlier candidacies), so the
measured runs are the steady state of a nightly job. Printed, never asserted.
"""

import statistics
import time

from django.db import connection
from django_scopes import scope

from members.models import HoursEntry
from members.selectors import candidacy_window
from members.services.candidacy import eligibility_sweep
from seeding.generate.core import generated_cooperatives

BARE_SQL = (
    f"SELECT worker_id, classification_id, SUM(hours) FROM {HoursEntry._meta.db_table} "
    "WHERE cooperative_id = %s AND workday >= %s AND workday <= %s GROUP BY worker_id, classification_id"
)


def _bare(cooperative, check_date) -> int:
    start, end = candidacy_window(cooperative, check_date)
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [cooperative.pk, start, end])
        return len(cursor.fetchall())


def run_sweep_benchmark(check_date, repeats: int = 5) -> dict:
    coops = list(generated_cooperatives().order_by("slug"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {HoursEntry._meta.db_table}")
        ledger_rows = cursor.fetchone()[0]
    caught_up = 0
    for coop in coops:
        with scope(cooperative=coop):
            caught_up += len(eligibility_sweep(cooperative=coop, check_date=check_date))
    bare_runs, sweep_runs, groups = [], [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        groups = sum(_bare(coop, check_date) for coop in coops)
        bare_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        opened = 0
        for coop in coops:
            with scope(cooperative=coop):
                opened += len(eligibility_sweep(cooperative=coop, check_date=check_date))
        sweep_runs.append(time.perf_counter() - started)
    bare, sweep = statistics.median(bare_runs), statistics.median(sweep_runs)
    return {
        "cooperatives": len(coops), "ledger rows": ledger_rows, "groups": groups, "caught up": caught_up,
        "bare ms": bare * 1000, "sweep ms": sweep * 1000, "ratio": sweep / bare if bare else float("nan"),
    }


def print_sweep(result: dict) -> None:
    print(
        f"\nEligibility sweep over {result['cooperatives']} co-ops, {result['ledger rows']:,} ledger rows "
        f"({result['groups']:,} worker × classification groups in the window; the catch-up run opened "
        f"{result['caught up']}):\n"
        f"  bare SQL aggregate   {result['bare ms']:8.1f} ms (median of the runs, all co-ops)\n"
        f"  eligibility_sweep    {result['sweep ms']:8.1f} ms\n"
        f"  ratio                {result['ratio']:8.2f}x   (target: at most 2x)"
    )
