"""Jobs of the ownership path. Each loads by id inside its cooperative's scope and calls
one service; beat runs them per co-op through alliedup.tasks.fan_out."""

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
from members.models import Candidacy
from members.services import candidacy as candidacy_services


@shared_task(base=CooperativeTask)
def eligibility_sweep_task(*, cooperative: Cooperative, check_date: str | None = None) -> int:
    """Nightly: open candidacies for the newly eligible; returns how many were opened."""
    from datetime import date

    day = date.fromisoformat(check_date) if check_date else cooperative.today()
    return len(candidacy_services.eligibility_sweep(cooperative=cooperative, check_date=day))


@shared_task(base=CooperativeTask)
def candidacy_expiry_task(*, cooperative: Cooperative) -> int:
    """Daily: lapse candidacies past their deadline; returns how many lapsed."""
    return len(candidacy_services.candidacy_expiry_sweep(cooperative=cooperative, today=cooperative.today()))


@shared_task(base=CooperativeTask, bind=True, max_retries=5, default_retry_delay=60)
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


@shared_task(base=CooperativeTask)
def retention_check_task(*, cooperative: Cooperative) -> int:
    """Daily: lapse owners whose membership year ended yesterday short of the hours."""
    from members.services.retention import retention_check

    return len(retention_check(cooperative=cooperative, today=cooperative.today()))


@shared_task(base=CooperativeTask)
def retention_warning_task(*, cooperative: Cooperative) -> int:
    """Daily: warn owners behind pace within the warning period (once a year each)."""
    from members.services.retention import retention_warning_sweep

    return len(retention_warning_sweep(cooperative=cooperative, today=cooperative.today()))


@shared_task(base=CooperativeTask, bind=True, max_retries=5, default_retry_delay=60)
def retention_notice_send(self, *, cooperative: Cooperative, notice_id: int) -> bool:
    """Email a warning or lapse notice once (a lapse notice carries its PDF)."""
    from members.models import RetentionNotice

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


@shared_task(base=CooperativeTask)
def installment_reminder_task(*, cooperative: Cooperative, days_ahead: int = 7) -> int:
    """Daily: remind workers of an equity installment due within `days_ahead` days and not
    yet covered by their payments; each installment is reminded once."""
    from members.services.equity import installment_reminders_send

    return installment_reminders_send(cooperative=cooperative, today=cooperative.today(), days_ahead=days_ahead)
