"""What a long-lived server process does once Django is loaded (alliedup/wsgi.py, alliedup/celery.py)."""

import gc


def freeze_startup_heap() -> None:
    """Put the objects loaded at startup out of the garbage collector's reach.

    Modules, models, URL patterns and settings (about 160,000 objects) live as long as the
    process, yet every full collection walks them all: 75–100 ms on 2 cores, landing on about
    one request in seven of the insights dashboard and making its p95 twice its p50
    (docs/benchmarks.md, "A full collection in one request in seven"). Frozen, a full collection
    walks only what came after (about 1 ms); what requests and tasks leave behind is still
    collected. Frozen after a collection, so no garbage is kept for good.
    """
    gc.collect()
    gc.freeze()
