"""Jobs of payroll (one-off emails; the beat jobs of pay runs live with patronage and members)."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from alliedup.celery import CooperativeTask
from alliedup.i18n import language_for
from alliedup.models import Cooperative
from alliedup.sending import claim, send_or_release
from payroll.models import PayRun, SickLeaveRequest
from payroll.services.runs_calculate import payrun_calculate_queued


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def sick_request_decided_notify(self, *, cooperative: Cooperative, request_id: int) -> bool:
    """Email the worker, once, the decision on their sick leave request. False when already
    sent (a retry or a duplicate delivery)."""
    rows = SickLeaveRequest.objects.filter(pk=request_id, cooperative=cooperative)
    if not claim(rows, "notified_at"):
        return False
    asked = rows.select_related("worker__user").get()
    with translation.override(language_for(asked.worker)):
        subject = _("%(coop)s: your sick leave of %(day)s is %(status)s") % {
            "coop": cooperative.name, "day": dateformat.format(asked.workday, _("M j")),
            "status": asked.get_status_display().lower(),
        }
        message = EmailMessage(
            subject=subject,
            body=render_to_string("payroll/email/sick_request_decided.txt", {"request": asked, "worker": asked.worker,
                                                                              "cooperative": cooperative}),
            to=[asked.worker.email],
        )
    send_or_release(self, message, rows, "notified_at")
    return True


@shared_task(base=CooperativeTask)
def payrun_calculate_task(*, cooperative: Cooperative, run_id: int, user_id: int | None = None) -> bool:
    """Calculate a pay run queued by staff (too big to make a web request wait); a refusal
    (a missing wage) is kept on the run for the run screen. False on a duplicate delivery."""
    run = PayRun.objects.get(pk=run_id, cooperative=cooperative)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return payrun_calculate_queued(run=run, calculated_by=user)
