"""Tasks of the tenancy core, and the convention every app's tasks follow."""

from celery import current_app, shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from alliedup.celery import CooperativeTask
from alliedup.i18n import language_for
from alliedup.models import Cooperative, Invitation
from alliedup.sending import claim, send_or_release


def enqueue(task, *, cooperative: Cooperative, **kwargs) -> None:
    """Queue `task` for `cooperative` once the current transaction commits, so the worker
    never looks for rows that are not there yet."""
    transaction.on_commit(lambda: task.delay(cooperative=cooperative.pk, **kwargs))


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=30)
def invitation_send(self, *, cooperative: Cooperative, invitation_id: int) -> bool:
    """Email an invitation once. Returns False when it was already sent (a retry or a
    duplicate delivery) or withdrawn before it went out: the conditional update claims the send."""
    rows = Invitation.objects.filter(pk=invitation_id, cooperative=cooperative, revoked_at=None)
    if not claim(rows, "sent_at"):
        return False
    invitation = Invitation.objects.select_related("invited_by", "worker__user").get(pk=invitation_id)
    path = reverse(
        "invitation_accept", kwargs={"coop_slug": cooperative.slug, "token": invitation.token}
    )
    context = {
        "invitation": invitation,
        "cooperative": cooperative,
        "url": f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{settings.SITE_DOMAIN}{path}",
    }
    # A worker's invitation speaks the language of the account already linked, if any.
    with translation.override(language_for(invitation.worker)):
        message = EmailMessage(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("You are invited to %(coop)s") % {"coop": cooperative.name},
            body=render_to_string("alliedup/email/invitation.txt", context),
            to=[invitation.email],
        )
    send_or_release(self, message, rows, "sent_at")
    return True


@shared_task
def fan_out(task_name: str, **kwargs) -> int:
    """Beat entry point for per-cooperative jobs: queue `task_name` once per active co-op.

    Returns how many were queued. Spans tenants on purpose, so it says so.
    """
    task = current_app.tasks[task_name]
    with scopes_disabled():
        ids = list(Cooperative.objects.filter(is_active=True).values_list("pk", flat=True))
    for cooperative_id in ids:
        task.delay(cooperative=cooperative_id, **kwargs)
    return len(ids)
