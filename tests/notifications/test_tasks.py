"""Through the real Redis broker to a real Celery worker: the on-commit hook queues the task,
the worker sends once, and the beat entries name the notification jobs."""

from datetime import date

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from notifications.models import Delivery, Kind
from notifications.tasks import notify_task
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
        again = notify_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, subject=f"assignment:{assignment.pk}")
        assert again.get(timeout=20) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [nurse.email]


def test_beat_runs_the_notification_jobs_for_every_cooperative(settings):
    jobs = {entry["args"][0]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["args"][0].startswith("notifications.")}
    assert set(jobs) == {"notifications.tasks.open_shift_digest_task", "notifications.tasks.credential_expiring_task",
                         "notifications.tasks.candidacy_steps_task", "notifications.tasks.voting_closing_task"}
    assert all(entry["task"] == "alliedup.tasks.fan_out" for entry in jobs.values())
    assert jobs["notifications.tasks.voting_closing_task"]["schedule"].hour == set(range(24))
