"""A pay run for full-time workers' two weeks against the bare SQL read of its timesheets.

Issue: "A pay run for 2,000 workers' two weeks (about 20,000 shifts) uses a number of queries
that does not grow with the workers and takes at most 3× the bare SQL read of the same
timesheet rows in the same run; print both and the ratio."

Each size has its own generated co-op, `gen-payroll-00500` and `gen-payroll-02000` (outside
the `gen-coop-*` data, so the page benchmarks and `--reset` leave it alone; made again when
its parameters change): 10 clients with contracts and bill rates (one under the CBA wage for
a medical assistant), the synthetic CBA of seeding.generate.payroll, the workers (steps 1–5)
and one biweekly pay period aligned to the co-op's workweek, ending at least 5 days before `until`,
whose shifts are all worked and approved: 60 % of the workers work 5 eight-hour days a
week, 20 % 5 ten-hour days (daily overtime), 20 % 4 twelve-hour nights (overtime, double
time past 12 h, the night differential, workdays cut at midnight); a tenth of them work at
two clients. Rows go in with COPY (seeding.generate.placements.write_shifts).

Measured, for each size, in that co-op's scope:
- bare SQL: the SELECT `placements.billing.approved_timesheets` makes for the period (the
  same queryset, compiled), run with cursor.execute + fetchall;
- `payrun_calculate` on the draft run, inside a transaction rolled back after each repetition,
  so every repetition calculates a fresh run (foreign keys checked immediately, as the
  commit would check them) (a recalculation also deletes the earlier lines:
  measured once, separately); one unmeasured run first warms the caches;
- its queries (CaptureQueriesContext), by kind, with the SQL time of each kind, so what is
  Python (reading rows into objects, computing) shows apart from the writes;
- the write floor: the run's own lines, computed beforehand, put back with one INSERT …
  SELECT inside the database, into PayLine and into a bare table with only a primary key:
  what the writing costs before any computing (see docs/benchmarks.md, "the write floor");
- a cProfile of one run of the largest size: where the time goes.
Printed, never asserted.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import statistics
import time
from collections import Counter, defaultdict
from datetime import datetime, time as dtime, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from alliedup.models import AuditEvent, Cooperative
from seeding.generate.core import FIRST_NAMES, LAST_NAMES, analyze, delete_cooperatives

PREFIX = "gen-payroll-"
SIZES = (500, 2000)
QUICK_SIZES = (100, 400)
VERSION = 1  # bump when the generated co-op changes shape: it is then made again
# (share of workers, start, hours, shifts a week)
PATTERNS = ((0.6, dtime(7, 0), 8, 5), (0.2, dtime(7, 0), 10, 5), (0.2, dtime(19, 0), 12, 4))


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
    from placements.billing import WORKED_COLUMNS, approved_between

    return approved_between(coop, period.starts_on, period.ends_on).values(*WORKED_COLUMNS)


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


def _write_floor(run) -> dict:
    """What writing the run's lines costs by itself, with no computing: a first calculation
    (unmeasured) leaves its lines; they are copied aside, deleted, and put back with one
    INSERT … SELECT inside the database (no rows travel to Python, nothing is parsed), into
    PayLine as it is (its keys, foreign keys checked immediately, indexes) and into a bare
    copy of the table with only a primary key. Median of 3, rolled back."""
    from payroll.models import PayLine
    from payroll.services.runs_calculate import payrun_calculate

    columns = ", ".join(f.column for f in PayLine._meta.concrete_fields if not f.primary_key)
    table = PayLine._meta.db_table
    timings = {"payline": [], "bare table": []}
    with transaction.atomic():
        _immediate_constraints()
        payrun_calculate(run=run)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE bench_lines ON COMMIT DROP AS SELECT {columns} FROM {table} WHERE run_id = %s",
                           [run.pk])
            cursor.execute(f"DELETE FROM {table} WHERE run_id = %s", [run.pk])
            # A regular (logged) table like PayLine's, made inside the rolled-back transaction.
            cursor.execute(f"CREATE TABLE bench_bare (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)")
            cursor.execute("ALTER TABLE bench_bare ADD PRIMARY KEY (id)")
            cursor.execute("SELECT count(*) FROM bench_lines")
            lines = cursor.fetchone()[0]
            for _ in range(3):
                for label, target in (("payline", table), ("bare table", "bench_bare")):
                    with transaction.atomic():
                        started = time.perf_counter()
                        cursor.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM bench_lines")
                        timings[label].append(time.perf_counter() - started)
                        transaction.set_rollback(True)
        transaction.set_rollback(True)
    return {"lines": lines, **{label: statistics.median(values) for label, values in timings.items()}}


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


def _vacuum() -> None:
    """Every repetition inserts a run's lines and rolls them back, which leaves dead rows and
    index entries behind; vacuum the tables a run writes first, so one `make bench` after
    another measures the same thing (it drifted by a quarter without)."""
    from payroll.models import PayDeduction, PayLine, PayStatement

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (PayLine, PayStatement, PayDeduction):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def run_payrun_benchmark(*, until: datetime, seed: int, sizes=SIZES, repeats: int = 3, profile: bool = True) -> dict:
    results = []
    for workers in sizes:
        coop, run, generated = ensure_payroll_cooperative(workers, seed=seed, until=until)
        _vacuum()
        with scope(cooperative=coop):
            run.refresh_from_db()
            period = run.period
            sql, params = _timesheet_rows(coop, period).query.sql_with_params()
            rows = _bare(sql, params)  # warm-up
            _calculate(run)  # warm-up
            bare_runs, calc_runs = [], []
            for _ in range(repeats):
                started = time.perf_counter()
                _bare(sql, params)
                bare_runs.append(time.perf_counter() - started)
                calc_runs.append(_calculate(run))
            recalc = _calculate(run, recalculate=True)
            queries = _queries(run)
            floor = _write_floor(run)
        bare, calc = statistics.median(bare_runs), statistics.median(calc_runs)
        results.append({
            "workers": workers, "slug": coop.slug, "generated s": generated, "period": f"{period.starts_on} – {period.ends_on}",
            "timesheets": rows, "bare ms": bare * 1000, "calculate ms": calc * 1000, "recalculate ms": recalc * 1000,
            "ratio": calc / bare if bare else float("nan"), "queries": queries, "write floor": floor,
        })
    profile_text = None
    largest = results[-1]
    if profile:
        with scopes_disabled():
            coop = Cooperative.objects.get(slug=largest["slug"])
        from payroll.models import PayRun

        with scope(cooperative=coop):
            run = PayRun.objects.get()
            profiler = cProfile.Profile()
            with transaction.atomic():
                from payroll.services.runs_calculate import payrun_calculate

                _immediate_constraints()
                profiler.enable()
                payrun_calculate(run=run)
                profiler.disable()
                transaction.set_rollback(True)
        profile_text = _profile_summary(profiler)
    return {"sizes": results, "profile": profile_text, "repeats": repeats}


# Functions whose inclusive time says where a run's time goes: (file suffix, name, label).
PROFILED = (
    ("payroll/services/runs_calculate.py", "payrun_calculate", "payrun_calculate (all)"),
    ("placements/billing.py", "approved_timesheets", "approved_timesheets (each call)"),
    ("worktime/overtime.py", "split_into_workdays", "  split_into_workdays"),
    ("django/db/models/query.py", "_fetch_all", "  ORM reads (every queryset evaluated)"),
    ("placements/billing.py", "billed_segments", "billed_segments (incl. its 2nd approved_timesheets)"),
    ("worktime/overtime.py", "split_overtime", "split_overtime (pay and billing)"),
    ("payroll/services/pay_lines.py", "compute_lines", "compute_lines (pay lines)"),
    ("worktime/overtime.py", "window_hours", "  window_hours (differentials)"),
    ("payroll/services/pay_lines.py", "_floor", "  _floor (wage floor)"),
    ("alliedup/money.py", "to_cents", "  to_cents"),
    ("django/db/models/query.py", "bulk_create", "bulk_create (PayLine, PayDeduction, PayStatement)"),
    ("django/db/models/sql/compiler.py", "as_sql", "  SQL compiling (all queries)"),
    ("django/db/models/base.py", "__init__", "  model __init__ (PayLine etc.)"),
    ("payroll/services/pay_lines.py", "statements_and_deductions", "statements_and_deductions"),
    ("django/db/models/query.py", "delete", "delete (earlier lines)"),
    ("alliedup/audit.py", "audit_log", "audit_log"),
)


def _profile_summary(profiler: cProfile.Profile) -> str:
    stats = pstats.Stats(profiler)
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
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(15)
    top = [ln for ln in buffer.getvalue().splitlines() if ln.strip()][-16:]
    return "\n".join(out) + "\n\n  Top 15 by own time (cProfile, which roughly doubles Python time):\n" + "\n".join("  " + ln for ln in top)


def print_payrun(result: dict) -> None:
    print(f"\nPay run vs the bare SQL read of its timesheets (median of {result['repeats']} runs after one warm-up; "
          "each run rolled back):")
    for r in result["sizes"]:
        q, floor = r["queries"], r["write floor"]
        made = "reused" if r["generated s"] is None else f"generated in {r['generated s']:.1f} s"
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(q["by kind"].items()))
        sql_s = q["sql seconds"]
        write = sum(sql_s.get(k, 0.0) for k in ("INSERT", "DELETE", "UPDATE"))
        read = sum(v for k, v in sql_s.items() if k == "SELECT")
        print(
            f"\n  {r['slug']} ({r['workers']:,} workers, {made}), period {r['period']}: {r['timesheets']:,} approved timesheets, "
            f"{q['lines']:,} pay lines\n"
            f"    bare SQL read          {r['bare ms']:9.1f} ms\n"
            f"    payrun_calculate       {r['calculate ms']:9.1f} ms   (recalculation over its own lines: {r['recalculate ms']:.0f} ms)\n"
            f"    ratio                  {r['ratio']:9.2f}x   (target: at most 3x)\n"
            f"    queries                {q['total']:9d}   ({kinds})\n"
            f"    SQL time in the run    {1000 * (read + write):9.1f} ms   (SELECT {1000 * read:.0f} ms, writes {1000 * write:.0f} ms; "
            f"the rest is Python; COPY is not captured)\n"
            f"    write floor            {1000 * floor['payline']:9.1f} ms   = {floor['payline'] / r['bare ms'] * 1000:.2f}x the read: "
            f"INSERT … SELECT of the run's {floor['lines']:,} lines, computed beforehand, into PayLine "
            f"(keys checked, indexes); into a table with only a primary key: {1000 * floor['bare table']:.0f} ms "
            f"= {floor['bare table'] / r['bare ms'] * 1000:.2f}x"
        )
    sizes = result["sizes"]
    if len(sizes) > 1:
        small, large = sizes[0]["queries"], sizes[-1]["queries"]
        other = lambda q: q["total"] - q["by kind"].get("INSERT", 0)  # noqa: E731
        print(
            f"\n  Queries, {sizes[-1]['workers']:,} workers / {sizes[0]['workers']:,}: {large['total']} / {small['total']}; "
            f"without the INSERT batches (bulk_create, 5,000 rows each): {other(large)} / {other(small)}"
        )
    if result["profile"]:
        print(f"\n  Profile of one payrun_calculate, {sizes[-1]['workers']:,} workers (inclusive times overlap):\n{result['profile']}")
