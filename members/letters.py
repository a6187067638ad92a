"""The letters members sends a worker itself, each a job run once on commit: the welcome letter
when a candidacy opens (members.services.candidacy) and the retention warning or lapse notice
(members.services.retention). The services enqueue them, so this module imports no service;
Celery finds them through members/tasks.py, under that module's names like every app's jobs."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from alliedup.celery import CooperativeTask
from alliedup.i18n import language_for
from alliedup.models import Cooperative
from alliedup.sending import claim, send_or_release
from members import documents
from members.models import Candidacy, RetentionNotice


@shared_task(name="members.tasks.welcome_letter_send", base=CooperativeTask, bind=True, max_retries=5, default_retry_delay=60)
def welcome_letter_send(self, *, cooperative: Cooperative, candidacy_id: int) -> bool:
    """Render the welcome letter, keep it on the candidacy and email it, once.

    The conditional update claims the send, so a retry or a duplicate delivery sends no
    second letter; a mail failure releases the claim and retries. Returns whether it sent.
    """
    rows = Candidacy.objects.filter(pk=candidacy_id)
    if not claim(rows, "welcome_letter_sent_at"):
        return False
    candidacy = Candidacy.objects.select_related("worker__user", "classification", "cooperative").get(pk=candidacy_id)
    with translation.override(language_for(candidacy.worker)):
        pdf = documents.welcome_letter_pdf(candidacy)
        if not candidacy.welcome_letter:
            candidacy.welcome_letter.save(f"welcome-{candidacy.uuid}.pdf", ContentFile(pdf), save=False)
            Candidacy.objects.filter(pk=candidacy.pk).update(welcome_letter=candidacy.welcome_letter.name)
        message = EmailMessage(
            subject=_("Welcome to candidacy at %(coop)s") % {"coop": cooperative.name},
            body=render_to_string("members/email/welcome_letter.txt", documents.welcome_letter_context(candidacy)),
            to=[candidacy.worker.email],
        )
    message.attach(f"welcome-letter-{candidacy.opened_on}.pdf", pdf, "application/pdf")
    send_or_release(self, message, rows, "welcome_letter_sent_at")
    return True


@shared_task(name="members.tasks.retention_notice_send", base=CooperativeTask, bind=True, max_retries=5, default_retry_delay=60)
def retention_notice_send(self, *, cooperative: Cooperative, notice_id: int) -> bool:
    """Email a warning or lapse notice once (a lapse notice carries its PDF)."""
    rows = RetentionNotice.objects.filter(pk=notice_id)
    if not claim(rows, "sent_at"):
        return False
    notice = RetentionNotice.objects.select_related("worker__owner_classification", "worker__user", "cooperative").get(pk=notice_id)
    context = documents.retention_notice_context(notice)
    lapse = notice.kind == RetentionNotice.Kind.LAPSE
    with translation.override(language_for(notice.worker)):
        what = _("your worker-owner status has lapsed") if lapse else _("your hours this membership year")
        message = EmailMessage(
            subject=f"{cooperative.name}: {what}",
            body=render_to_string("members/email/retention_notice.txt", context),
            to=[notice.worker.email],
        )
        if lapse:
            pdf = documents.retention_notice_pdf(notice)
            if not notice.pdf:
                notice.pdf.save(f"lapse-{notice.pk}.pdf", ContentFile(pdf), save=False)
                RetentionNotice.objects.filter(pk=notice.pk).update(pdf=notice.pdf.name)
            message.attach(f"lapse-notice-{notice.year_end}.pdf", pdf, "application/pdf")
    send_or_release(self, message, rows, "sent_at")
    return True
