"""Notification jobs: each loads by id, opens the co-op's scope (CooperativeTask) and calls
one service. `notify_task` is queued on commit by services/triggers.py; the others run from
beat through alliedup.tasks.fan_out (settings.CELERY_BEAT_SCHEDULE). All send once."""

from celery import shared_task

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from notifications.services import events, sweeps


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def notify_task(self, *, cooperative: Cooperative, kind: str, subject: str) -> int:
    """Tell the workers concerned about one event; returns how many messages went out."""
    return events.event_send(cooperative=cooperative, kind=kind, subject=subject, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=300)
def open_shift_digest_task(self, *, cooperative: Cooperative) -> int:
    return sweeps.open_shift_digest_send(cooperative=cooperative, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=300)
def credential_expiring_task(self, *, cooperative: Cooperative) -> int:
    return sweeps.credential_expiring_send(cooperative=cooperative, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=120)
def voting_closing_task(self, *, cooperative: Cooperative) -> int:
    return sweeps.voting_closing_send(cooperative=cooperative, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=300)
def candidacy_steps_task(self, *, cooperative: Cooperative) -> int:
    return sweeps.candidacy_steps_send(cooperative=cooperative, task=self)
