"""Notification jobs reading only members: each loads by id, opens the co-op's scope
(CooperativeTask) and calls one service; beat runs them through alliedup.tasks.fan_out
(settings.CELERY_BEAT_SCHEDULE). All send once. The notice tasks of other apps live in their
`notices.py` (placements, payroll, governance)."""

from celery import shared_task

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from notifications.services import sweeps


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=300)
def credential_expiring_task(self, *, cooperative: Cooperative) -> int:
    return sweeps.credential_expiring_send(cooperative=cooperative, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=300)
def candidacy_steps_task(self, *, cooperative: Cooperative) -> int:
    return sweeps.candidacy_steps_send(cooperative=cooperative, task=self)
