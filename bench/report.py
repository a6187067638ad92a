"""Preparing the data and printing what was measured."""

import time

from seeding.generate import generate
from seeding.generate.core import generated_counts, generated_parameters, reset

# Issue 17: "the generator: the full data set in < 3 minutes".
GENERATION_LIMIT_S = 180


def prepare_data(args) -> None:
    """Reuse the generated data if it has the requested sizes and seed, else (re)generate it."""
    wanted = {"cooperatives": args.cooperatives, "workers": args.workers, "weeks": args.weeks, "seed": args.seed}
    found = generated_parameters() or {}
    if not args.regenerate and all(found.get(k) == v for k, v in wanted.items()):
        print(f"\nReusing the generated data (generated up to {found.get('until', '?')}); --regenerate to redo it.")
    else:
        counts = generated_counts()
        if any(counts.values()):
            step = time.perf_counter()
            deleted = reset()
            print(f"\nDeleted {sum(deleted.values()):,} earlier generated rows in {time.perf_counter() - step:.1f} s.")
        sizes = ", ".join(f"{k} {v:,}" for k, v in wanted.items())
        print(f"\nGenerating: {sizes}")
        step = time.perf_counter()
        generate(**wanted, progress=_progress)
        seconds = time.perf_counter() - step
        over = "  <- over the limit" if seconds > GENERATION_LIMIT_S else ""
        print(f"Generated in {seconds:.1f} s (limit {GENERATION_LIMIT_S} s at the default sizes).{over}")
    print("\nRows:")
    for kind, n in generated_counts().items():
        if n:
            print(f"  {kind:<28} {n:>12,}")


def _progress(generator: str, counts: dict[str, int], seconds: float) -> None:
    made = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
    print(f"  {generator:<28} {seconds:7.1f} s  {made}", flush=True)


def print_results(results) -> None:
    header = (
        f"{'Benchmark':<22} {'Co-op (people)':<24} {'Requests':>8} {'p50 ms':>9} {'p95 ms':>9} {'limit p95':>9} "
        f"{'Queries/req':>12}"
    )
    print("\n" + header)
    print("-" * len(header))
    for r in results:
        coop = f"{r.cooperative.slug} ({r.people:,})"
        print(
            f"{r.benchmark.name:<22} {coop:<24} {len(r.times):>8} {r.p50_ms:>9.1f} {r.p95_ms:>9.1f} "
            f"{r.benchmark.limit_ms:>9.0f} {r.queries_label:>12}{'  <- over the limit' if r.p95_ms > r.benchmark.limit_ms else ''}"
        )

    by_name: dict[str, list] = {}
    for r in results:
        by_name.setdefault(r.benchmark.name, []).append(r)
    print("\nQueries per request, largest co-op / smallest co-op (1.00: no growth with data):")
    for name, rs in by_name.items():
        largest, smallest = max(rs, key=lambda r: r.people), min(rs, key=lambda r: r.people)
        big, small = max(largest.queries), max(smallest.queries)
        ratio = big / small if small else float("inf")
        note = "" if ratio <= 1 else "  <- grows with the data"
        print(f"  {name:<22} {big:>4} / {small:<4} = {ratio:.2f}{note}")
