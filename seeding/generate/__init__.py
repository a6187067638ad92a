"""Generated data at scale: `manage.py generate_data` and the benchmarks of `make bench`.

`generate()` fills the database with cooperatives `gen-coop-001`…, their people
(`w00001@gen-coop-001.example.com`…) and the history of a number of weeks, fast: the big tables
(audit events, shifts, assignments, timesheets) go in with COPY (`alliedup.bulk.copy_rows`), the rest
with `bulk_create(batch_size=5000)`, never one `save()` each, and every user shares one
password hash computed once (hashing 10,000 passwords alone would take minutes).

Reproducible: each generator draws from its own `random.Random` seeded with the run's seed
and the generator's name, so the same seed gives the same people and history, and a
generator added later changes nothing the earlier ones produce. Times are laid out over the
`weeks` ending at `until` (by default today's midnight UTC).

Later issues add their own kind of data: write `generate_<kind>(ctx) -> dict[str, int]`
(counts by name) in `seeding/generate/<app>.py`, reading the people from `ctx` and storing
what later generators need on it, and append it to `GENERATORS`. `reset()`
(`seeding.generate.core`) needs no change: it removes the rows of every model that points at a
generated cooperative.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django_scopes import scopes_disabled

from seeding.generate.core import (
    Context,
    GeneratedDataExists,
    analyze,
    default_until,
    generate_audit_events,
    generate_cooperatives,
    generate_roles,
    generate_users,
    generated_cooperatives,
    generated_users,
)
from seeding.generate.members import generate_members
from seeding.generate.payroll import generate_payroll
from seeding.generate.placements import generate_placements

GENERATORS: list[Callable[[Context], dict[str, int]]] = [
    generate_cooperatives,
    generate_users,
    generate_roles,
    generate_audit_events,
    generate_members,
    generate_placements,
    generate_payroll,
]


def generate(
    cooperatives: int,
    workers: int,
    weeks: int,
    seed: int = 42,
    *,
    until: datetime | None = None,
    progress: Callable[[str, dict[str, int], float], None] | None = None,
) -> dict[str, int]:
    """Create the generated data in one transaction; return the row counts by kind.

    `progress(generator_name, counts, seconds)` is called after each generator.
    Raises GeneratedDataExists when generated cooperatives or users are already there
    (call reset() first) and ValueError on sizes that make no co-op.
    """
    if cooperatives < 1 or cooperatives > 999 or workers < 0 or weeks < 1:
        raise ValueError("Need 1 to 999 cooperatives, at least 1 week and no negative worker count.")
    ctx = Context(seed=seed, cooperatives=cooperatives, workers=workers, weeks=weeks,
                  until=until or default_until())
    counts: dict[str, int] = {}
    with scopes_disabled(), transaction.atomic():
        n_coops, n_users = generated_cooperatives().count(), generated_users().count()
        if n_coops or n_users:
            raise GeneratedDataExists(
                f"{n_coops} generated cooperatives and {n_users} generated users are already in the database."
            )
        for generator in GENERATORS:
            started = time.perf_counter()
            made = generator(ctx)
            counts.update(made)
            if progress:
                progress(generator.__name__, made, time.perf_counter() - started)
    started = time.perf_counter()
    analyze()
    if progress:
        progress("analyze", {}, time.perf_counter() - started)
    return counts
