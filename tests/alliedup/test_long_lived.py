"""A server process puts what it loaded at startup out of the garbage collector's reach
(alliedup/long_lived.py): a gunicorn worker importing alliedup.wsgi, a Celery prefork child once
set up. Each in a fresh interpreter, as the server starts it."""

import os
import subprocess
import sys

REPORT = "import gc; print(gc.get_freeze_count(), len(gc.get_objects()))"


def _run(code: str) -> tuple[int, int]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliedup.settings.test"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    frozen, tracked = (int(n) for n in done.stdout.split()[-2:])
    return frozen, tracked


def test_a_fresh_interpreter_freezes_nothing():
    assert _run("import django; django.setup(); " + REPORT)[0] == 0


def test_loading_the_wsgi_application_freezes_the_startup_heap():
    frozen, tracked = _run("import alliedup.wsgi; " + REPORT)
    # Django, the apps, their models and URLs: tens of thousands of objects a full collection
    # no longer walks; what it still walks is a small part.
    assert frozen > 20_000
    assert tracked < frozen / 5


def test_a_celery_worker_child_freezes_its_heap_once_set_up():
    frozen, tracked = _run(
        "import django; django.setup(); import alliedup.celery; from celery.signals import worker_process_init; "
        "worker_process_init.send(sender=None); " + REPORT
    )
    assert frozen > 20_000
    assert tracked < frozen / 5
