"""Jobs of placements; beat runs them per co-op through alliedup.tasks.fan_out."""

from celery import shared_task

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative


@shared_task(base=CooperativeTask)
def credential_expiry_task(*, cooperative: Cooperative) -> int:
    """Nightly: flag confirmed future assignments lacking a valid credential; returns how many were new."""
    from placements.services.credentials import credential_expiry_sweep

    return len(credential_expiry_sweep(cooperative=cooperative))


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def shift_reminder_task(self, *, cooperative: Cooperative) -> int:
    """Hourly: email each worker once about a confirmed shift starting within 24 hours;
    returns how many reminders went out."""
    from placements.services.reminders import shift_reminders_send

    return shift_reminders_send(cooperative=cooperative, task=self)
