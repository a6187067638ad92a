"""The Celery app: Redis broker when REDIS_URL is set, eager in-process otherwise."""

import os

from celery import Celery, Task
from celery.signals import worker_process_init

from alliedup.long_lived import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliedup.settings.base")

app = Celery("alliedup")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each app's notices to workers (e.g. placements/notices.py) hold their own tasks, beside the
# hooks its services call (docs/notifications.md).
app.autodiscover_tasks(related_name="notices")


@worker_process_init.connect
def _freeze_startup_heap(**kwargs):
    """Each prefork child, once set up, keeps what it loaded for its life (alliedup/long_lived.py)."""
    freeze_startup_heap()


class CooperativeTask(Task):
    """Base for tenant-aware tasks.

    Callers pass `cooperative=<id>` (ids cross the broker, never objects); the task loads the
    cooperative, opens its scope and calls the body with `cooperative=<Cooperative>`. The body
    then calls one service.
    """

    def __call__(self, *args, cooperative, **kwargs):
        # cycle: alliedup/__init__ loads this module before the app registry; tenancy imports models
        from alliedup.tenancy import cooperative_scope  # noqa: PLC0415

        with cooperative_scope(cooperative) as coop:
            return super().__call__(*args, cooperative=coop, **kwargs)
