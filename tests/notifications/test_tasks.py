"""Through the real Redis broker to a real Celery worker: an app's on-commit hook queues its
notice task (here placements.notices), the worker sends once; and the beat entries name the
notification jobs wherever they live."""

import subprocess
import sys
from datetime import date

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from notifications.models import Delivery, Kind
from placements.notices import shift_notice_task
from tests.alliedup.test_tasks import _wait_for, redis_worker  # noqa: F401 (the fixture)
from tests.conftest import clock_at
from tests.notifications.conftest import book


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_goes_through_redis_to_a_real_worker_once(redis_worker, alliedup, contract, lvn, nurse):  # noqa: F811
    mail.outbox.clear()
    with clock_at("2026-11-23"):
        assignment = book(contract, lvn, nurse, date(2026, 11, 28))  # autocommit: the hook's on_commit fires at once
        with scopes_disabled():
            assert _wait_for(lambda: Delivery.objects.filter(sent_at__isnull=False).exists()), "the worker never sent it"
        assert _wait_for(lambda: len(mail.outbox) == 1)
        again = shift_notice_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk)
        assert again.get(timeout=20) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [nurse.email]


def test_beat_runs_the_notification_jobs_for_every_cooperative(settings):
    jobs = {entry["args"][0]: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if name.startswith("notifications-")}
    assert set(jobs) == {"placements.notices.open_shift_digest_task", "notifications.tasks.credential_expiring_task",
                         "notifications.tasks.candidacy_steps_task", "governance.notices.voting_closing_task"}
    assert all(entry["task"] == "alliedup.tasks.fan_out" for entry in jobs.values())
    assert jobs["governance.notices.voting_closing_task"]["schedule"].hour == set(range(24))


def test_every_notice_task_is_registered_with_the_worker():
    """A worker process finds each app's notices.py (alliedup/celery.py), so fan_out and the
    broker reach their tasks; in a fresh process, as a worker starts, not this test run's."""
    script = ("import django; django.setup(); from alliedup.celery import app; "
              "app.loader.import_default_modules(); print(' '.join(sorted(app.tasks)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60).stdout.split()
    assert {"placements.notices.shift_notice_task", "placements.notices.open_shift_digest_task",
            "payroll.notices.pay_statement_task", "governance.notices.voting_opened_task",
            "governance.notices.voting_closing_task", "notifications.tasks.credential_expiring_task",
            "notifications.tasks.candidacy_steps_task"} <= set(out)
