"""The one-click unsubscribe link of every email: GET asks, POST (the button or a mail app's
RFC 8058 one-click POST) stops that kind by email, no sign-in; a token is good only for its
own worker in its own co-op."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client

from alliedup.models import AuditEvent
from notifications.models import Channel, Kind, NotificationPreference
from notifications.tokens import SALT, unsubscribe_token
from tests.notifications.conftest import book, worker_with_login

pytestmark = pytest.mark.today("2026-11-23")


def _link(message) -> str:
    return urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path


@pytest.fixture
def first_email(alliedup, contract, lvn, nurse, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(contract, lvn, nurse, date(2026, 11, 28))
    return mailoutbox[0]


def _opted_out(worker, kind=Kind.SHIFT_CONFIRMED, channel=Channel.EMAIL) -> bool:
    return NotificationPreference.objects.filter(worker=worker, kind=kind, channel=channel, enabled=False).exists()


def test_get_shows_a_confirm_page_and_changes_nothing(first_email, nurse):
    response = Client().get(_link(first_email))
    assert response.status_code == 200
    assert b"Shift confirmed" in response.content and b"<form method=\"post\"" in response.content
    assert not _opted_out(nurse)


def test_the_confirm_button_unsubscribes_without_signing_in(first_email, nurse, contract, lvn, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    response = Client(enforce_csrf_checks=True).post(_link(first_email))
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    assert _opted_out(nurse)
    assert not _opted_out(nurse, kind=Kind.SHIFT_CANCELLED)  # only the kind of that email
    with django_capture_on_commit_callbacks(execute=True):
        book(contract, lvn, nurse, date(2026, 11, 29))
    assert len(mailoutbox) == 1  # no second confirmation
    assert AuditEvent.objects.filter(action="notifications.preferences.unsubscribed").count() == 1


def test_one_click_post_from_a_mail_app_unsubscribes_once(first_email, nurse):
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = client.post(_link(first_email), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    assert _opted_out(nurse)
    assert AuditEvent.objects.filter(action="notifications.preferences.unsubscribed").count() == 1  # the second changed nothing


def test_a_token_works_only_in_its_own_cooperative(alliedup, nursescan, first_email, nurse, unscoped):
    path = _link(first_email)
    assert "/c/alliedup/" in path
    other = Client().post(path.replace("/c/alliedup/", "/c/nursescan/"))
    assert other.status_code == 404
    assert not _opted_out(nurse)
    # nursescan's own worker's token does nothing in alliedup either.
    with unscoped():
        outsider = worker_with_login(nursescan)
        token = unsubscribe_token(worker=outsider, kind=Kind.SHIFT_CONFIRMED, channel=Channel.EMAIL)
    assert Client().post(f"/c/alliedup/notifications/unsubscribe/{token}/").status_code == 404
    assert Client().get(f"/c/alliedup/notifications/unsubscribe/{token}/").status_code == 404
    with unscoped():
        assert not NotificationPreference.objects.exists()


def test_a_forged_or_damaged_token_is_a_404(alliedup, nurse):
    forged = signing.dumps([alliedup.pk, nurse.uuid.hex, Kind.SHIFT_CONFIRMED, Channel.EMAIL], salt="another-salt")
    damaged = unsubscribe_token(worker=nurse, kind=Kind.SHIFT_CONFIRMED, channel=Channel.EMAIL)[:-2] + "xx"
    unknown_kind = signing.dumps([alliedup.pk, nurse.uuid.hex, "everything", Channel.EMAIL], salt=SALT, compress=True)
    for token in (forged, damaged, unknown_kind, "not-a-token"):
        assert Client().post(f"/c/alliedup/notifications/unsubscribe/{token}/").status_code == 404
    assert not NotificationPreference.objects.exists()
