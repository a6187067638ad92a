"""Tenant-aware tasks: through the real Redis broker to a real worker, and idempotent."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django_scopes import scopes_disabled

from alliedup import services
from alliedup.celery import app
from alliedup.models import Invitation, Role
from alliedup.tasks import fan_out, invitation_send
from alliedup.tenancy import cooperative_scope
from tests.factories import InvitationFactory


@pytest.fixture
def redis_worker(settings):
    """A real Celery worker thread consuming a queue of its own on the real Redis broker."""
    assert app.conf.broker_url.startswith("redis://"), "this test needs the real Redis broker"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=10):
            yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_invitation_email_goes_through_redis_to_a_real_worker(redis_worker, alliedup, alliedup_users):
    mail.outbox.clear()
    with cooperative_scope(alliedup):
        invitation = services.invitation_create(
            cooperative=alliedup, email="new.nurse@example.com", role=Role.WORKER,
            invited_by=alliedup_users["admin"],
        )
    with scopes_disabled():
        sent = _wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None)
    assert sent, "the worker never sent the invitation"
    assert _wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["new.nurse@example.com"]
    assert f"/c/alliedup/invitations/{invitation.token}/" in mail.outbox[0].body

    # A duplicate delivery through the broker sends nothing twice.
    again = invitation_send.delay(cooperative=alliedup.pk, invitation_id=invitation.pk)
    assert again.get(timeout=20) is False
    assert len(mail.outbox) == 1


def test_task_runs_inside_its_cooperatives_scope_and_runs_once(alliedup, nursescan):
    mail.outbox.clear()
    invitation = InvitationFactory(cooperative=alliedup)
    assert invitation_send.delay(cooperative=alliedup.pk, invitation_id=invitation.pk).get() is True
    assert invitation_send.delay(cooperative=alliedup.pk, invitation_id=invitation.pk).get() is False
    assert len(mail.outbox) == 1


def test_task_for_another_cooperative_cannot_touch_the_row(alliedup, nursescan):
    mail.outbox.clear()
    invitation = InvitationFactory(cooperative=nursescan)
    assert invitation_send.delay(cooperative=alliedup.pk, invitation_id=invitation.pk).get() is False
    assert mail.outbox == []
    with scopes_disabled():
        assert Invitation.objects.get(pk=invitation.pk).sent_at is None


def test_fan_out_queues_the_task_once_per_active_cooperative(alliedup, nursescan):
    mail.outbox.clear()
    invitation = InvitationFactory(cooperative=alliedup)
    # Both co-ops get the task; only alliedup owns the invitation, so one email goes out.
    assert fan_out.delay("alliedup.tasks.invitation_send", invitation_id=invitation.pk).get() == 2
    assert len(mail.outbox) == 1

    nursescan.is_active = False
    nursescan.save()
    assert fan_out.delay("alliedup.tasks.invitation_send", invitation_id=invitation.pk).get() == 1
    assert len(mail.outbox) == 1  # already sent: the second round is a no-op


class RefusingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failed_send_releases_the_claim_so_a_retry_can_send(alliedup, settings):
    invitation = InvitationFactory(cooperative=alliedup)
    settings.EMAIL_BACKEND = "tests.alliedup.test_tasks.RefusingBackend"
    with pytest.raises(Exception):  # eager mode retries, then gives up with the error
        invitation_send.delay(cooperative=alliedup.pk, invitation_id=invitation.pk).get()
    with scopes_disabled():
        assert Invitation.objects.get(pk=invitation.pk).sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert invitation_send.delay(cooperative=alliedup.pk, invitation_id=invitation.pk).get() is True
    assert len(mail.outbox) == 1
