"""Send-once delivery: for each notice, the channels its worker wants, a Delivery row per
(worker, kind, subject, channel), the claim, and the message rendered in the worker's
language. Every kind goes through `deliver`.

A second run (a retry, a duplicate task, the beat firing twice) finds the rows already
there and claimed, and sends nothing more; a mail or SMS failure for now releases the
claims not sent yet and retries the task (alliedup.sending).
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail import get_connection as mail_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from alliedup.i18n import language_for
from alliedup.models import Cooperative
from alliedup.sending import claim, send_or_release
from notifications import sms
from notifications.kinds import Channel
from notifications.models import Delivery, NotificationPreference, NotificationProfile
from notifications.selectors import coop_settings
from notifications.tokens import unsubscribe_token

# Two SMS segments at most; the templates aim for one (160 characters).
SMS_MAX_CHARS = 320


@dataclass
class Notice:
    """One thing to tell one worker: `subject` names it for send-once ("assignment:12"),
    `context` feeds the kind's templates. `worker` is a members Worker with its user loaded
    (their language)."""

    worker: Any
    subject: str
    context: dict = field(default_factory=dict)


def absolute_url(path: str) -> str:
    """`path` as a link in a message: the site's protocol and domain (settings.SITE_DOMAIN)."""
    return f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{settings.SITE_DOMAIN}{path}"


def channels_for(cooperative: Cooperative, kind: str, workers: list) -> dict[int, list[tuple[str, str]]]:
    """{worker id: [(channel, address), …]} each worker wants `kind` by: email unless they
    opted out of it; SMS when the co-op sends SMS, they gave a number and consented, and did
    not opt out of the kind by SMS. Three queries at most, whatever the number of workers."""
    ids = [w.pk for w in workers]
    chosen = {(worker_id, channel): enabled for worker_id, channel, enabled in
              NotificationPreference.objects.filter(worker_id__in=ids, kind=kind).values_list("worker_id", "channel", "enabled")}
    phones = {}
    if coop_settings(cooperative).sms_enabled:
        phones = dict(NotificationProfile.objects.filter(worker_id__in=ids, sms_consented_at__isnull=False)
                      .exclude(sms_phone="").values_list("worker_id", "sms_phone"))
    wanted = {}
    for worker in workers:
        channels = []
        if worker.email and chosen.get((worker.pk, Channel.EMAIL), True):
            channels.append((Channel.EMAIL, worker.email))
        if worker.pk in phones and chosen.get((worker.pk, Channel.SMS), True):
            channels.append((Channel.SMS, phones[worker.pk]))
        wanted[worker.pk] = channels
    return wanted


def _claim_due(cooperative: Cooperative, kind: str, keys: dict, now) -> list[Delivery]:
    """Create the missing rows and claim the unsent ones among `keys` ({(worker id, subject,
    channel): address}). Rows another run holds are skipped (SKIP LOCKED), so two
    overlapping runs never claim, and so never send, the same one."""
    Delivery.objects.bulk_create(
        [Delivery(cooperative=cooperative, worker_id=w, kind=kind, subject=s, channel=ch, address=address, created_at=now)
         for (w, s, ch), address in keys.items()],
        ignore_conflicts=True,
    )
    with transaction.atomic():
        rows = (Delivery.objects.select_for_update(skip_locked=True)
                .filter(cooperative=cooperative, kind=kind, sent_at=None, failed_at=None,
                        worker_id__in={w for w, _, _ in keys}, subject__in={s for _, s, _ in keys})
                .order_by("id"))
        due = [row for row in rows if (row.worker_id, row.subject, row.channel) in keys]
        if due:
            claim(Delivery.objects.filter(pk__in=[row.pk for row in due]), "sent_at")
    return due


def deliver(*, cooperative: Cooperative, kind: str, notices: list[Notice], task, now=None) -> int:
    """Send each notice once on each channel its worker wants; returns how many messages
    went out. A fixed number of queries however many notices (rendering uses what the
    notices carry). Raises celery.exceptions.Retry (through `task`) when the mail server or
    the SMS provider fails for now, having released the claims not sent; a message the SMS
    provider refuses for good is marked failed and not retried."""
    if not notices:
        return 0
    now = now or timezone.now()
    by_key = {(n.worker.pk, n.subject): n for n in notices}
    workers = list({n.worker.pk: n.worker for n in notices}.values())
    wanted = channels_for(cooperative, kind, workers)
    keys = {(w, s, channel): address for (w, s) in by_key for channel, address in wanted[w]}
    if not keys:
        return 0
    due = _claim_due(cooperative, kind, keys, now)
    finished: set[int] = set()  # sent, or refused for good
    sent = 0
    try:
        with mail_connection() as mail:  # one SMTP session for the batch
            text = None  # the SMS backend, built when a text is due: its misconfiguration must not hold back email
            for i, row in enumerate(due):
                notice = by_key[(row.worker_id, row.subject)]
                message = render(cooperative, kind, notice, row.channel, keys[(row.worker_id, row.subject, row.channel)],
                                 connection=mail if row.channel == Channel.EMAIL else (text := text or sms.get_connection()))
                try:
                    send_or_release(task, message, Delivery.objects.filter(pk__in=[r.pk for r in due[i:]]), "sent_at")
                    sent += 1
                except sms.SMSRejected as exc:
                    Delivery.objects.filter(pk=row.pk).update(failed_at=timezone.now(), error=str(exc)[:300])
                finished.add(row.pk)
    except OSError as exc:  # the mail server refused the connection itself
        Delivery.objects.filter(pk__in=[r.pk for r in due if r.pk not in finished]).update(sent_at=None)
        raise task.retry(exc=exc)
    except Exception:
        # The retry raised above, a misconfigured backend, a template error: nothing may stay
        # claimed unsent.
        Delivery.objects.filter(pk__in=[r.pk for r in due if r.pk not in finished]).update(sent_at=None)
        raise
    return sent


def render(cooperative: Cooperative, kind: str, notice: Notice, channel: str, address: str, *, connection=None):
    """The email (with its unsubscribe link and List-Unsubscribe headers) or the SMS for
    `notice`, in the worker's language: templates notifications/email/<kind>.txt and
    <kind>_subject.txt, notifications/sms/<kind>.txt."""
    worker = notice.worker
    slug = cooperative.slug
    with translation.override(language_for(worker)):
        context = {**notice.context, "cooperative": cooperative, "worker": worker,
                   "preferences_url": absolute_url(reverse("notifications:preferences", args=[slug]))}
        if channel == Channel.SMS:
            body = " ".join(render_to_string(f"notifications/sms/{kind}.txt", context).split())
            return sms.SMSMessage(address, body[:SMS_MAX_CHARS], connection=connection)
        unsubscribe = absolute_url(reverse("notifications:unsubscribe", args=[
            slug, unsubscribe_token(worker=worker, kind=kind, channel=Channel.EMAIL)]))
        context["unsubscribe_url"] = unsubscribe
        subject = " ".join(render_to_string(f"notifications/email/{kind}_subject.txt", context).split())
        return EmailMessage(
            subject=f"{cooperative.name}: {subject}",
            body=render_to_string(f"notifications/email/{kind}.txt", context),
            to=[address], connection=connection,
            # RFC 2369 and RFC 8058: mail apps offer "unsubscribe", and a POST to the link does it.
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
