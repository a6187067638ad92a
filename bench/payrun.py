"""A pay run for full-time workers' two weeks against its own floor: the bare SQL read of its
timesheets plus writing its lines.

Issue 5 asked for at most 3× the bare read; the run's own writes already cost 5× the read
(docs/benchmarks.md, "The write floor"), so issue 17 set the target: keep every foreign key and
the per-workday lines, and take **at most 1.5× the run's floor** = the bare read + writing the
same lines into PayLine with one INSERT … SELECT; 10,000 workers' two weeks in **under 30 s**
on this 2-core machine; queries constant in workers; peak memory **under 500 MiB**.

Each size has its own generated co-op, `gen-payroll-02000` and `gen-payroll-10000` (outside
the `gen-coop-*` data, so the page benchmarks and `--reset` leave it alone; generated once,
reused while seed, `until` and VERSION stay the same): 10 clients with contracts and bill rates
(one under the CBA wage for a medical assistant), the synthetic CBA of seeding.generate.payroll,
the workers (steps 1–5) and one biweekly pay period aligned to the co-op's workweek, ending at
least 5 days before `until`, whose shifts are all worked and approved: 60 % of the workers work
5 eight-hour days a week, 20 % 5 ten-hour days (daily overtime), 20 % 4 twelve-hour nights
(overtime, double time past 12 h, the night differential, workdays cut at midnight); a tenth of
them work at two clients. Rows go in with COPY (seeding.generate.placements.write_shifts).

Measured, for each size, in that co-op's scope (one unmeasured run first warms the caches and
counts the queries):
- bare read: the SELECT `placements.billing.approved_timesheets` makes for the period (the
  same queryset, compiled), run with cursor.execute + fetchall;
- write floor: the run's own lines, computed beforehand, put back with one INSERT … SELECT
  inside the database (no row travels to Python, nothing is parsed) into PayLine as it is
  (6 foreign keys checked immediately, indexes); also into a bare table with only a primary
  key, for comparison; floor = bare read + write floor;
- `payrun_calculate` on the draft run, inside a transaction rolled back after each repetition,
  so every repetition calculates a fresh run (foreign keys checked immediately, as the commit
  would check them); median of `repeats_for(workers)`; its ratio to the floor (limit 1.5×) and, for the
  history, to the bare read; a recalculation over its own lines, once;
- its queries (CaptureQueriesContext), by kind;
- peak memory of one more, unmeasured run: the tracemalloc peak (Python objects allocated
  during the run, above what was held before it; limit 500 MiB), and the process's peak RSS;
- a cProfile of one run of the largest size: where the time goes.
Printed, never asserted.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import resource
import statistics
import threading
import time
import tracemalloc
from collections import Counter, defaultdict
from datetime import datetime, time as dtime, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from alliedup.models import AuditEvent, Cooperative
from seeding.generate.core import FIRST_NAMES, LAST_NAMES, analyze, delete_cooperatives

PREFIX = "gen-payroll-"
SIZES = (2000, 10000)
QUICK_SIZES = (100, 400)
RATIO_LIMIT = 1.5  # × the floor (issue 17)
SECONDS_LIMIT, TIME_LIMIT_WORKERS = 30, 10_000  # 10,000 workers' two weeks in under 30 s
MEMORY_LIMIT_MIB = 500
VERSION = 1  # bump when the generated co-op changes shape: it is then made again
# (share of workers, start, hours, shifts a week)
PATTERNS = ((0.6, dtime(7, 0), 8, 5), (0.2, dtime(7, 0), 10, 5), (0.2, dtime(19, 0), 12, 4))


def repeats_for(workers: int) -> int:
    """Measured repetitions of a size. The small run's write floor swung from 1.4 to 2.4 s
    within one run on a machine of uneven write speed (docs/benchmarks.md), so its median takes
    7; a repetition of 10,000 workers (floor and calculation) takes about 25 s, so 3 of it."""
    return 7 if workers <= 2000 else 3


def payroll_slug(workers: int) -> str:
    return f"{PREFIX}{workers:05d}"


def ensure_payroll_cooperative(workers: int, *, seed: int, until: datetime):
    """The pay-run co-op of this size, generated unless there with the same parameters.
    Returns (cooperative, pay run, seconds spent generating or None when reused)."""
    from payroll.models import PayRun

    params = {"workers": workers, "seed": seed, "until": until.isoformat(), "version": VERSION}
    slug = payroll_slug(workers)
    with scopes_disabled():
        coop = Cooperative.objects.filter(slug=slug).first()
        if coop is not None:
            event = AuditEvent.objects.filter(cooperative=coop, action="alliedup.cooperative.created").first()
            if event is not None and (event.data or {}).get("generated") == params:
                return coop, PayRun.objects.get(cooperative=coop), None
            with transaction.atomic():
                delete_cooperatives([coop.pk])
        started = time.perf_counter()
        with transaction.atomic():
            coop, run = _generate(workers, params, seed=seed, until=until)
        analyze()
        return coop, run, time.perf_counter() - started


def _generate(workers: int, params: dict, *, seed: int, until: datetime):
    from members.models import JobClassification, Worker, WorkerClassification
    from members.services.workers import DEFAULT_CLASSIFICATIONS
    from payroll.services.periods import pay_period_create
    from seeding.generate.members import CLASSIFICATION_WEIGHTS
    from seeding.generate.payroll import create_agreement
    from seeding.generate.placements import create_clients, new_uuid, worked_shift, write_shifts

    rng = random.Random(f"{seed}:payroll-bench:{workers}")
    slug = payroll_slug(workers)
    coop = Cooperative.objects.create(slug=slug, name=f"Pay run benchmark, {workers:,} workers (generated)",
                                      time_zone="America/Los_Angeles")
    AuditEvent.objects.create(cooperative=coop, action="alliedup.cooperative.created", object_type="alliedup.cooperative",
                              object_id=str(coop.pk), object_repr=coop.name, data={"generated": params}, created_at=until)
    JobClassification.objects.bulk_create([JobClassification(cooperative=coop, code=c, name=n) for c, n in DEFAULT_CLASSIFICATIONS])
    classes = {c.code: c for c in JobClassification.objects.filter(cooperative=coop)}

    # The last whole period ending 5 days before `until` or earlier: every shift of it is
    # approved by then (worked_shift decides within two days of the shift's end).
    last = until.date() - timedelta(days=5)
    ends_on = last - timedelta(days=(last.weekday() - (coop.workweek_start - 1)) % 7)
    starts_on = ends_on - timedelta(days=13)
    with scope(cooperative=coop):
        period = pay_period_create(cooperative=coop, starts_on=starts_on)
    create_agreement(coop, list(classes.values()), starts_on=starts_on - timedelta(days=365), ends_on=ends_on + timedelta(days=730))
    # A bill-rate raise in the middle of the period: the rate is looked up by day.
    contracts = create_clients(coop, classes, rng, 10, contracts_from=starts_on - timedelta(days=30),
                               raise_from=starts_on + timedelta(days=7))

    codes, weights = zip(*CLASSIFICATION_WEIGHTS.items())
    rows = []
    for n in range(1, workers + 1):
        rows.append(Worker(cooperative=coop, uuid=new_uuid(rng), first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                           email=f"w{n:05d}@{slug}.example.com", hire_date=starts_on - timedelta(days=rng.randrange(30, 2000))))
    Worker.objects.bulk_create(rows, batch_size=5000)
    held, planned = [], []
    zone = coop.zone
    for worker in rows:
        classification = classes[rng.choices(codes, weights)[0]]
        held.append(WorkerClassification(cooperative=coop, worker=worker, classification=classification,
                                         wage_step=rng.randint(1, 5), since=worker.hire_date))
        _, start, hours, per_week = rng.choices(PATTERNS, [p[0] for p in PATTERNS])[0]
        places = rng.sample(contracts, 2 if rng.random() < 0.1 else 1)
        for week in range(2):
            week_start = starts_on + timedelta(days=7 * week)
            for offset in sorted(rng.sample(range(7), per_week)):
                day = week_start + timedelta(days=offset)
                planned.append(worked_shift(
                    rng.choice(places).pk, classification.pk, datetime.combine(day, start, tzinfo=zone), hours,
                    worker_id=worker.pk, user_id=None, until=until, rng=rng,
                ))
    WorkerClassification.objects.bulk_create(held, batch_size=5000)
    write_shifts(coop, planned, rng, created_by_ids=[None], created_at=datetime.combine(starts_on, dtime(0), tzinfo=zone))
    return coop, period.run


def _timesheet_rows(coop, period):
    """The queryset placements.billing.approved_timesheets reads for the period (the same
    function's filters, the same columns)."""
    from placements.billing import approved_between, worked_rows

    return worked_rows(approved_between(coop, period.starts_on, period.ends_on))


def _bare(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


def _immediate_constraints() -> None:
    """Foreign keys are checked at commit (Django makes them DEFERRABLE INITIALLY DEFERRED),
    and a rolled-back run never commits: check them as rows go in, so the measured time
    includes what a commit would cost."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _calculate(run, *, recalculate: bool = False) -> float:
    """Seconds one payrun_calculate takes, in a transaction rolled back afterwards (a
    recalculation: over the lines of a first, unmeasured calculation)."""
    from payroll.services.runs_calculate import payrun_calculate

    with transaction.atomic():
        _immediate_constraints()
        if recalculate:
            payrun_calculate(run=run)
        started = time.perf_counter()
        payrun_calculate(run=run)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def _measured(run, sql: str, params, repeats: int) -> dict:
    """The bare read, the write floor and payrun_calculate, measured in turn in each
    repetition (the order of the last two alternating), so all three see the same load and
    the same state of the tables (every rolled-back insert leaves dead rows and index entries
    behind; a floor measured after all the calculations drifted by 2× under load).

    The write floor: the lines of a first calculation (unmeasured, rolled back) are kept in a
    temporary table of the session, and put back in each repetition with one INSERT … SELECT
    inside the database (no rows travel to Python, nothing is parsed), into PayLine as it is
    (its keys, foreign keys checked immediately, indexes) and into a bare copy of the table
    with only a primary key; each in its own transaction, rolled back, as each calculation is.
    Returns {"lines", "runs": {step: [seconds]}, step: median seconds}."""
    from payroll.models import PayLine
    from payroll.services.runs_calculate import payrun_calculate

    columns = ", ".join(f.column for f in PayLine._meta.concrete_fields if not f.primary_key)
    table = PayLine._meta.db_table
    timings = {"bare": [], "payline": [], "bare table": [], "calculate": []}
    lines = io.StringIO()
    with transaction.atomic(), connection.cursor() as cursor:
        payrun_calculate(run=run)
        cursor.copy_expert(f"COPY (SELECT {columns} FROM {table} WHERE run_id = {int(run.pk)}) TO STDOUT", lines)
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_lines AS SELECT {columns} FROM {table} WITH NO DATA")
        lines.seek(0)
        cursor.copy_expert(f"COPY bench_lines FROM STDIN", lines)
        cursor.execute("SELECT count(*) FROM bench_lines")
        count = cursor.fetchone()[0]

    def floor():
        with transaction.atomic(), connection.cursor() as cursor:
            _immediate_constraints()
            # A regular (logged) table like PayLine's, made inside the rolled-back transaction.
            cursor.execute(f"CREATE TABLE bench_bare (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)")
            cursor.execute("ALTER TABLE bench_bare ADD PRIMARY KEY (id)")
            for label, target in (("payline", table), ("bare table", "bench_bare")):
                started = time.perf_counter()
                cursor.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM bench_lines")
                timings[label].append(time.perf_counter() - started)
            transaction.set_rollback(True)

    def calculate():
        with transaction.atomic():
            _immediate_constraints()
            started = time.perf_counter()
            payrun_calculate(run=run)
            timings["calculate"].append(time.perf_counter() - started)
            transaction.set_rollback(True)

    try:
        for repetition in range(repeats):
            started = time.perf_counter()
            _bare(sql, params)
            timings["bare"].append(time.perf_counter() - started)
            for step in ((floor, calculate) if repetition % 2 == 0 else (calculate, floor)):
                step()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_lines")
    return {"lines": count, "runs": timings, **{label: statistics.median(values) for label, values in timings.items()}}


def _queries(run) -> dict:
    from payroll.models import PayLine

    with transaction.atomic():
        _immediate_constraints()
        with CaptureQueriesContext(connection) as captured:
            from payroll.services.runs_calculate import payrun_calculate

            payrun_calculate(run=run)
        lines = PayLine.objects.filter(run=run).count()
        transaction.set_rollback(True)
    kinds, seconds = Counter(), defaultdict(float)
    for q in captured.captured_queries:
        verb = q["sql"].lstrip().split(None, 1)[0].upper()
        if verb in ("SAVEPOINT", "RELEASE"):
            verb = "SAVEPOINT"
        kinds[verb] += 1
        seconds[verb] += float(q["time"])
    return {"total": len(captured), "by kind": dict(kinds), "sql seconds": dict(seconds), "lines": lines}


def _memory(run) -> dict:
    """Peak memory of one payrun_calculate (rolled back): the tracemalloc peak, i.e. the most
    Python memory held at once during the run above what was held before it (tracemalloc
    slows the run down, so this repetition is not timed), and the process's peak RSS so far
    (an upper bound: it also holds Django, the earlier repetitions' garbage and libpq's buffers)."""
    from payroll.services.runs_calculate import payrun_calculate

    with transaction.atomic():
        _immediate_constraints()
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            before, _ = tracemalloc.get_traced_memory()
            payrun_calculate(run=run)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        transaction.set_rollback(True)
    return {"tracemalloc MiB": (peak - before) / 2**20,
            "peak RSS MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _vacuum() -> None:
    """Every repetition inserts a run's lines and rolls them back, which leaves dead rows and
    index entries behind; vacuum the tables a run writes first, so one `make bench` after
    another measures the same thing (it drifted by a quarter without)."""
    from payroll.models import PayDeduction, PayLine, PayStatement

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (PayLine, PayStatement, PayDeduction):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def run_payrun_benchmark(*, until: datetime, seed: int, sizes=SIZES, repeats: int | None = None, profile: bool = True) -> dict:
    results = []
    for workers in sizes:
        coop, run, generated = ensure_payroll_cooperative(workers, seed=seed, until=until)
        _vacuum()
        with scope(cooperative=coop):
            run.refresh_from_db()
            period = run.period
            sql, params = _timesheet_rows(coop, period).query.sql_with_params()
            rows = _bare(sql, params)  # warm-up
            queries = _queries(run)  # also the calculation's warm-up
            floor = _measured(run, sql, params, repeats or repeats_for(workers))
            recalc = _calculate(run, recalculate=True)
            memory = _memory(run)
        bare, calc, calc_runs = floor["bare"], floor["calculate"], floor["runs"]["calculate"]
        own_floor = bare + floor["payline"]
        results.append({
            "workers": workers, "slug": coop.slug, "generated s": generated, "period": f"{period.starts_on} – {period.ends_on}",
            "timesheets": rows, "bare ms": bare * 1000, "calculate ms": calc * 1000, "recalculate ms": recalc * 1000,
            "calculate runs ms": [t * 1000 for t in calc_runs], "floor ms": own_floor * 1000,
            "ratio to floor": calc / own_floor if own_floor else float("nan"),
            "ratio": calc / bare if bare else float("nan"), "queries": queries, "write floor": floor, "memory": memory,
            "repeats": len(calc_runs),
        })
    profile_text = None
    largest = results[-1]
    if profile:
        with scopes_disabled():
            coop = Cooperative.objects.get(slug=largest["slug"])
        from payroll.models import PayRun

        with scope(cooperative=coop):
            run = PayRun.objects.get()
            with transaction.atomic():
                from payroll.services.runs_calculate import payrun_calculate

                _immediate_constraints()
                stats = _profiled(lambda: payrun_calculate(run=run))
                transaction.set_rollback(True)
        profile_text = _profile_summary(stats)
    return {"sizes": results, "profile": profile_text}


# Functions whose inclusive time says where a run's time goes: (file suffix, name, label).
PROFILED = (
    ("payroll/services/runs_calculate.py", "payrun_calculate", "payrun_calculate (all)"),
    ("placements/billing.py", "approved_timesheets", "approved_timesheets (read, cut into workdays)"),
    ("worktime/overtime.py", "split_into_workdays", "  split_into_workdays"),
    ("django/db/models/query.py", "_fetch_all", "  ORM reads (every queryset evaluated)"),
    ("payroll/services/pay_lines.py", "_priced_lines", "pricing the lines (copy_pieces' thread, beside the COPYs)"),
    ("placements/billing.py", "billed_for", "  billed_for (billing's overtime per client and worker)"),
    ("worktime/overtime.py", "split_overtime", "  split_overtime (pay and billing)"),
    ("worktime/overtime.py", "window_hours", "  window_hours (differentials)"),
    ("payroll/services/pay_lines.py", "_floor", "  _floor (wage floor)"),
    ("alliedup/bulk.py", "copy_pieces", "copy_pieces (PayLine, a COPY per piece, the next priced beside it)"),
    ("alliedup/bulk.py", "copy_rows", "copy_rows (PayDeduction, PayStatement, sick lines)"),
    ("payroll/services/pay_lines.py", "statements_and_deductions", "statements_and_deductions"),
    ("django/db/models/sql/compiler.py", "as_sql", "  SQL compiling (all queries)"),
    ("django/db/models/query.py", "delete", "delete (earlier lines)"),
    ("alliedup/audit.py", "audit_log", "audit_log"),
)


def _profiled(fn) -> pstats.Stats:
    """fn() under cProfile, with the threads it starts (copy_pieces prices a run's lines in one)."""
    main, others = cProfile.Profile(), []

    def in_thread(*_):  # a new thread's first event: profile the rest of it
        others.append(profiler := cProfile.Profile())
        profiler.enable()

    threading.setprofile(in_thread)
    main.enable()
    try:
        fn()
    finally:
        main.disable()
        threading.setprofile(None)
    stats = pstats.Stats(main)
    for profiler in others:
        stats.add(profiler)
    return stats


def _profile_summary(stats: pstats.Stats) -> str:
    total = max((ct for (f, _, name), (_, _, _, ct, _) in stats.stats.items() if name == "payrun_calculate"), default=0.0)
    out = [f"  {'function':<52} {'calls':>9} {'incl. s':>8} {'share':>6}"]
    for suffix, name, label in PROFILED:
        calls = ct = 0.0
        for (filename, _, fname), (_, nc, _, cum, _) in stats.stats.items():
            if fname == name and filename.replace("\\", "/").endswith(suffix):
                calls, ct = calls + nc, ct + cum
        if calls:
            out.append(f"  {label:<52} {int(calls):>9,} {ct:>8.2f} {100 * ct / total if total else 0:>5.0f}%")
    buffer = io.StringIO()
    stats.stream = buffer
    stats.sort_stats("tottime").print_stats(15)
    top = [ln for ln in buffer.getvalue().splitlines() if ln.strip()][-16:]
    return "\n".join(out) + "\n\n  Top 15 by own time (cProfile, which roughly doubles Python time):\n" + "\n".join("  " + ln for ln in top)


def print_payrun(result: dict) -> None:
    print(f"\nPay run vs its floor (the bare read of its timesheets + INSERT … SELECT of its lines into PayLine); "
          f"the median of each size's runs after one warm-up, each rolled back, foreign keys checked immediately:")
    for r in result["sizes"]:
        q, floor, memory = r["queries"], r["write floor"], r["memory"]
        made = "reused" if r["generated s"] is None else f"generated in {r['generated s']:.1f} s"
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(q["by kind"].items()))
        runs = ", ".join(f"{t:.0f}" for t in r["calculate runs ms"])
        floor_runs = ", ".join(f"{1000 * t:.0f}" for t in floor["runs"]["payline"])
        seconds = r["calculate ms"] / 1000
        time_limit = (f"\n    {r['workers']:,} workers' two weeks {seconds:7.1f} s     (limit: under {SECONDS_LIMIT} s: "
                      f"{'met' if seconds < SECONDS_LIMIT else 'NOT MET'})") if r["workers"] == TIME_LIMIT_WORKERS else ""
        print(
            f"\n  {r['slug']} ({r['workers']:,} workers, {made}), period {r['period']}: {r['timesheets']:,} approved timesheets, "
            f"{q['lines']:,} pay lines; median of {r['repeats']} runs\n"
            f"    bare read              {r['bare ms']:9.1f} ms\n"
            f"    write floor            {1000 * floor['payline']:9.1f} ms   (INSERT … SELECT of the run's {floor['lines']:,} lines into "
            f"PayLine, runs: {floor_runs}; into a table with only a primary key: "
            f"{1000 * floor['bare table']:.0f} ms)\n"
            f"    floor                  {r['floor ms']:9.1f} ms   (bare read + write floor)\n"
            f"    payrun_calculate       {r['calculate ms']:9.1f} ms   (runs: {runs}; a recalculation over its own lines: "
            f"{r['recalculate ms']:.0f} ms)\n"
            f"    ratio to the floor     {r['ratio to floor']:9.2f}x   (limit: at most {RATIO_LIMIT}x: "
            f"{'met' if r['ratio to floor'] <= RATIO_LIMIT else 'NOT MET'})\n"
            f"    ratio to the bare read {r['ratio']:9.2f}x   (for the history: issue 5's 3x)\n"
            f"    queries                {q['total']:9d}   ({kinds})\n"
            f"    peak memory            {memory['tracemalloc MiB']:9.1f} MiB  (tracemalloc peak of one more run; limit: under "
            f"{MEMORY_LIMIT_MIB} MiB: {'met' if memory['tracemalloc MiB'] < MEMORY_LIMIT_MIB else 'NOT MET'}; "
            f"the process's peak RSS so far: {memory['peak RSS MiB']:.0f} MiB)"
            + time_limit
        )
    sizes = result["sizes"]
    if len(sizes) > 1:
        counts = " / ".join(str(r["queries"]["total"]) for r in sizes)
        workers = " / ".join(f"{r['workers']:,}" for r in sizes)
        same = len({r["queries"]["total"] for r in sizes}) == 1
        print(f"\n  Queries for {workers} workers: {counts} ({'constant in workers' if same else 'NOT constant'})")
    if result["profile"]:
        print(f"\n  Profile of one payrun_calculate, {sizes[-1]['workers']:,} workers (inclusive times overlap):\n{result['profile']}")
