"""Jobs of placements; beat runs them per co-op through alliedup.tasks.fan_out."""

from celery import shared_task
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from alliedup.celery import CooperativeTask
from alliedup.i18n import language_for
from alliedup.models import Cooperative
from alliedup.sending import claim, send_or_release
from placements.models import TimesheetCorrection
from placements.services.credentials import credential_expiry_sweep
from placements.services.reminders import shift_reminders_send


@shared_task(base=CooperativeTask)
def credential_expiry_task(*, cooperative: Cooperative) -> int:
    """Nightly: flag confirmed future assignments lacking a valid credential; returns how many were new."""
    return len(credential_expiry_sweep(cooperative=cooperative))


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def shift_reminder_task(self, *, cooperative: Cooperative) -> int:
    """Hourly: email each worker once about a confirmed shift starting within 24 hours;
    returns how many reminders went out."""
    return shift_reminders_send(cooperative=cooperative, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def timesheet_correction_notify(self, *, cooperative: Cooperative, correction_id: int) -> bool:
    """Email the worker, once, that staff corrected their approved hours: before, after, why,
    and when the pay follows. False when already sent (a retry or a duplicate delivery)."""
    rows = TimesheetCorrection.objects.filter(pk=correction_id, cooperative=cooperative)
    if not claim(rows, "notified_at"):
        return False
    correction = rows.select_related("timesheet__assignment__worker__user",
                                     "timesheet__assignment__shift__job_order__contract__client").get()
    worker = correction.timesheet.assignment.worker
    client = correction.timesheet.assignment.shift.job_order.contract.client
    with translation.override(language_for(worker)):
        day = dateformat.format(correction.clock_in_before.astimezone(client.zone), _("M j"))
        message = EmailMessage(
            subject=_("%(coop)s: your hours of %(day)s were corrected") % {"coop": cooperative.name, "day": day},
            body=render_to_string("placements/email/timesheet_corrected.txt", {
                "worker": worker, "client": client, "correction": correction, "zone": client.zone, "cooperative": cooperative,
            }),
            to=[worker.email],
        )
    send_or_release(self, message, rows, "notified_at")
    return True
