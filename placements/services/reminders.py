"""Shift reminders: each worker with a confirmed assignment starting within the next 24 hours
gets one email with when (at the site, in its zone) and where. Beat runs this hourly per co-op
(placements.tasks.shift_reminder_task); `Assignment.reminded_at` makes it send-once."""

from datetime import timedelta

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from alliedup.i18n import language_for
from alliedup.models import Cooperative
from alliedup.sending import claim, send_or_release
from placements.models import Assignment, Shift

REMIND_AHEAD = timedelta(hours=24)


def reminders_claim(*, cooperative: Cooperative, now=None) -> list[Assignment]:
    """Claim the reminders due now: confirmed assignments of active shifts starting in
    (now, now + 24 h] that were not reminded yet. Returns them with the shift, client, site
    and worker loaded. Two queries for any number.

    The rows are locked while they are claimed and rows another run holds are skipped
    (SKIP LOCKED), so two overlapping runs never claim, and so never send, the same one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Assignment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(cooperative=cooperative, status=Assignment.Status.CONFIRMED, reminded_at=None,
                    starts_at__gt=now, starts_at__lte=now + REMIND_AHEAD)
            .exclude(shift__status=Shift.Status.CANCELLED)
            .select_related("worker__user", "shift__classification", "shift__job_order__contract__client", "shift__job_order__site")
            .order_by("starts_at", "id")
        )
        if due:
            claim(Assignment.objects.filter(pk__in=[a.pk for a in due]), "reminded_at")
    return due


def reminder_message(assignment: Assignment, *, cooperative: Cooperative, connection=None) -> EmailMessage:
    """The reminder email: the shift's day and times at the site (client's zone), the client,
    the site and the address to go to."""
    job_order = assignment.shift.job_order
    client, site = job_order.contract.client, job_order.site
    zone = client.zone
    starts, ends = assignment.starts_at.astimezone(zone), assignment.ends_at.astimezone(zone)
    context = {
        "cooperative": cooperative, "worker": assignment.worker, "assignment": assignment, "client": client, "site": site,
        "address": (site.address if site and site.address else client.address), "starts": starts, "ends": ends,
        "next_day": ends.date() != starts.date(), "zone": client.time_zone, "classification": assignment.shift.classification,
    }
    with translation.override(language_for(assignment.worker)):
        subject = _("%(coop)s: your shift at %(client)s on %(day)s at %(time)s") % {
            "coop": cooperative.name, "client": client.name, "day": dateformat.format(starts, _("D M j")),
            "time": dateformat.format(starts, "H:i"),
        }
        return EmailMessage(
            subject=subject, body=render_to_string("placements/email/shift_reminder.txt", context),
            to=[assignment.worker.email], connection=connection,
        )


def shift_reminders_send(*, cooperative: Cooperative, task, now=None) -> int:
    """Claim the due reminders and send them; returns how many were sent. A fixed number of
    queries (claim: two) however many assignments. If the mail server fails, the claims of
    the reminders not sent yet are released and `task` retries (celery.exceptions.Retry)."""
    due = reminders_claim(cooperative=cooperative, now=now)
    if not due:
        return 0
    with get_connection() as connection:  # one SMTP session for the batch
        for i, assignment in enumerate(due):
            unsent = Assignment.objects.filter(pk__in=[a.pk for a in due[i:]])
            send_or_release(task, reminder_message(assignment, cooperative=cooperative, connection=connection), unsent, "reminded_at")
    return len(due)
