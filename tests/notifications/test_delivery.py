"""The send-once machinery (notifications/services/delivery.py) when a channel fails: a mail
server down after one message releases the rest for the retry; a misconfigured SMS backend
holds back no email and leaves nothing claimed. Exercised through a vote's and a shift's
notices (governance.notices, placements.notices)."""

from datetime import date

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from governance.notices import voting_opened_send
from governance.services.voting import resolution_create, voting_open
from notifications.models import Channel, Delivery, Kind
from placements.notices import shift_notice_send
from tests.governance.conftest import make_owner
from tests.governance.helpers import live_windows
from tests.notifications.conftest import FakeTask, book, opt_in_sms, sms_on

pytestmark = pytest.mark.today("2026-11-23")
SHIFT_DAY = date(2026, 11, 28)


class FlakyBackend(LocmemBackend):
    """A mail server that takes one message and then goes down."""

    taken = 0

    def send_messages(self, messages):
        if FlakyBackend.taken >= 1:
            raise ConnectionRefusedError("mail server down")
        FlakyBackend.taken += 1
        return super().send_messages(messages)


def test_a_mail_failure_releases_the_unsent_and_the_retry_sends_only_those(alliedup, settings, mailoutbox):
    owners = [make_owner(alliedup) for _ in range(3)]
    windows = {k: v for k, v in live_windows().items() if not k.startswith("nominations")}
    resolution = voting_open(vote=resolution_create(cooperative=alliedup, title="Budget", text="Resolved.", **windows))
    FlakyBackend.taken = 0
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.FlakyBackend"
    with pytest.raises(FakeTask.Retry):
        voting_opened_send(cooperative=alliedup, vote_kind="resolution", vote_id=resolution.pk, task=FakeTask())
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 1 and len(mailoutbox) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert voting_opened_send(cooperative=alliedup, vote_kind="resolution", vote_id=resolution.pk, task=FakeTask()) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.email for o in owners)


def test_a_misconfigured_sms_backend_holds_back_no_email(alliedup, contract, lvn, nurse, settings, mailoutbox):
    sms_on(alliedup)
    opt_in_sms(nurse)
    settings.SMS_BACKEND = "notifications.sms.backends.twilio.SMSBackend"
    settings.SMS_TWILIO_ACCOUNT_SID = settings.SMS_TWILIO_AUTH_TOKEN = ""
    assignment = book(contract, lvn, nurse, SHIFT_DAY)
    with pytest.raises(Exception, match="SMS_TWILIO"):
        shift_notice_send(cooperative=alliedup, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk, task=FakeTask())
    assert len(mailoutbox) == 1
    assert Delivery.objects.get(channel=Channel.SMS).sent_at is None  # not stuck as claimed: a fixed setting sends it
