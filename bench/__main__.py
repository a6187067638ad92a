"""`python -m bench [--quick] [--regenerate] [--cooperatives N --workers N --weeks N]`

Creates and migrates the bench database (`alliedup_bench`, see bench_database_url),
generates the data unless the same sizes are already there, then runs every benchmark on the
largest and the smallest generated cooperative and prints a table. See docs/benchmarks.md.
"""

import argparse
import os
import subprocess
import sys
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE = "alliedup_bench"
DEFAULT_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
SIZES = {"cooperatives": 20, "workers": 10_000, "weeks": 52}
QUICK_SIZES = {"cooperatives": 2, "workers": 200, "weeks": 4}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true", help="Small data: 2 co-ops, 200 workers, 4 weeks.")
    parser.add_argument("--cooperatives", type=int, help=f"Default {SIZES['cooperatives']}.")
    parser.add_argument("--workers", type=int, help=f"Default {SIZES['workers']:,}.")
    parser.add_argument("--weeks", type=int, help=f"Default {SIZES['weeks']}.")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--regenerate", action="store_true", help="Generate again even if the data is there.")
    parser.add_argument(
        "--recreate-db", action="store_true",
        help="Drop and create the bench database first (after a migration was rewritten, say).",
    )
    parser.add_argument("--requests", type=int, default=50, help="Measured requests per benchmark (50).")
    parser.add_argument("--warmup", type=int, default=5, help="Unmeasured requests first (5).")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="Run only benchmarks whose name contains NAME (repeatable).")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    for key, value in sizes.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def concurrent_args(args: argparse.Namespace) -> list[str]:
    """The arguments of `python -m bench.concurrent` as `make bench` runs it: the same data
    set (sizes and seed), 20 users each reading a page a second (`--think 1`), the cache warmed
    as the beat warms it (its defaults)."""
    return ["--think", "1", "--seed", str(args.seed), *(f"--{k}={getattr(args, k)}" for k in SIZES)]


def run_concurrent(args: argparse.Namespace) -> None:
    """bench.concurrent in its own process: gunicorn and the dashboards' shared Redis cache need
    settings this process (cache off, in-process requests) was not set up with."""
    print("\nInsights staff dashboard under 20 users against gunicorn, the cache warmed "
          f"(python -m bench.concurrent {' '.join(concurrent_args(args))}):", flush=True)
    code = subprocess.run([sys.executable, "-m", "bench.concurrent", *concurrent_args(args)],
                          cwd=Path(__file__).resolve().parent.parent).returncode
    if code:
        print(f"  bench.concurrent exited with {code}: see its output above.")


def bench_database_url(environ=os.environ) -> str:
    """BENCH_DATABASE_URL if set; else the PostgreSQL server of DATABASE_URL with the database
    `alliedup_bench` (scripts/test-services.sh always sets DATABASE_URL, to the tests' server,
    and the bench must neither fill nor reuse that database); else the local default.
    A SQLite DATABASE_URL is used as it is."""
    if environ.get("BENCH_DATABASE_URL"):
        return environ["BENCH_DATABASE_URL"]
    url = environ.get("DATABASE_URL")
    if not url:
        return DEFAULT_DATABASE_URL
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres") or parts.scheme == "pgsql":
        return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    return url


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliedup.settings.test")
    os.environ["DATABASE_URL"] = bench_database_url()
    started = time.perf_counter()

    from bench.database import ensure_database

    print(f"Database: {_without_password(os.environ['DATABASE_URL'])}")
    if message := ensure_database(os.environ["DATABASE_URL"], recreate=args.recreate_db):
        print(message)

    import django

    # WhiteNoise warns once that collectstatic has not run; irrelevant to what is measured.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    from bench import report
    from bench.benchmarks import BENCHMARKS
    from bench.runner import BenchmarkError, cooperatives_by_size, run

    step = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"Migrated in {time.perf_counter() - step:.1f} s.")

    report.prepare_data(args)
    # The heap as a gunicorn worker has it once alliedup/wsgi.py is loaded: what is there now stays
    # for the run, out of the collector's reach (alliedup/long_lived.py).
    from alliedup.long_lived import freeze_startup_heap

    freeze_startup_heap()

    benchmarks = [b for b in BENCHMARKS if not args.only or any(o.lower() in b.name.lower() for o in args.only)]
    ranked = cooperatives_by_size()
    targets = [ranked[0], ranked[-1]] if len(ranked) > 1 else ranked[:1]
    print(
        f"\nRunning {len(benchmarks)} benchmarks on the largest and smallest co-op "
        f"({args.warmup} warm-up + {args.requests} measured requests each)…"
    )
    results = []
    try:
        for benchmark in benchmarks:
            for cooperative, people in targets:
                results.append(run(benchmark, cooperative, people, requests=args.requests, warmup=args.warmup))
    except BenchmarkError as exc:
        print(f"\nBenchmark failed: {exc}", file=sys.stderr)
        return 1
    report.print_results(results)

    if not args.only or any("sweep" in o.lower() for o in args.only):
        from seeding.generate.core import generated_parameters
        from bench.sweep import print_sweep, run_sweep_benchmark

        # The last generated day: hours stop the day before `until`.
        last_day = datetime.fromisoformat(generated_parameters()["until"]).date() - timedelta(days=1)
        print_sweep(run_sweep_benchmark(last_day))
    if not args.only or any("pay" in o.lower() for o in args.only):
        from seeding.generate.core import generated_parameters
        from bench.payrun import QUICK_SIZES, SIZES, print_payrun, run_payrun_benchmark

        until = datetime.fromisoformat(generated_parameters()["until"])
        print_payrun(run_payrun_benchmark(until=until, seed=args.seed, sizes=QUICK_SIZES if args.quick else SIZES))
    if not args.only or any("patronage" in o.lower() for o in args.only):
        from seeding.generate.core import generated_parameters
        from bench.patronage import print_patronage, run_patronage_benchmark

        last_day = datetime.fromisoformat(generated_parameters()["until"]).date() - timedelta(days=1)
        print_patronage(run_patronage_benchmark([coop for coop, _ in targets], last_day))
    if not args.only or any("stv" in o.lower() for o in args.only):
        from bench.stv import print_stv, run_stv_benchmark

        print_stv(run_stv_benchmark(seed=args.seed))
    if not args.only or any("concurrent" in o.lower() for o in args.only):
        run_concurrent(args)
    print(f"\nTotal {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
