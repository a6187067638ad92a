import time

from django.core.management.base import BaseCommand, CommandError

from seeding.generate import core, generate


class Command(BaseCommand):
    help = (
        "Fill the database with reproducible generated data at scale: cooperatives gen-coop-001…, "
        "their staff and workers (…@gen-coop-NNN.example.com, password "
        f"{core.PASSWORD!r}) and weeks of history. --reset first removes earlier generated data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cooperatives", type=int, default=2, help="Co-ops to create (default 2).")
        parser.add_argument("--workers", type=int, default=200, help="Workers over all co-ops (default 200).")
        parser.add_argument("--weeks", type=int, default=4, help="Weeks of history up to today (default 4).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed; the same seed gives the same data.")
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete the generated co-ops (gen-coop-*), their rows and the generated users first.",
        )

    def handle(self, *args, cooperatives, workers, weeks, seed, reset, **options):
        started = time.perf_counter()
        if reset:
            deleted = core.reset()
            total = sum(deleted.values())
            self.stdout.write(f"Deleted {total} generated rows in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        try:
            counts = generate(
                cooperatives=cooperatives, workers=workers, weeks=weeks, seed=seed, progress=self._progress
            )
        except core.GeneratedDataExists as exc:
            raise CommandError(f"{exc} Run again with --reset to replace it.") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Generated {sum(counts.values()):,} rows in {elapsed:.1f} s."))

    def _progress(self, generator: str, counts: dict[str, int], seconds: float) -> None:
        made = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
        self.stdout.write(f"  {generator:<24} {seconds:6.1f} s  {made}")
