"""Text messages: only where the co-op turns SMS on and the worker gave a number and opted
in; per-kind opt-out on the SMS channel alone; the console, locmem and Twilio-compatible
backends (the last against a real HTTP server on a local port)."""

import io
import json
import threading
from base64 import b64decode
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications import sms
from notifications.models import Channel, Delivery, Kind
from notifications.services.preferences import preferences_update
from notifications.sms.backends.console import SMSBackend as ConsoleBackend
from notifications.sms.backends.twilio import SMSBackend as TwilioBackend
from placements.notices import shift_notice_send
from tests.notifications.conftest import FakeTask, book, opt_in_sms, sms_on

pytestmark = pytest.mark.today("2026-11-23")
SHIFT_DAY = date(2026, 11, 28)


def _confirm(contract, lvn, worker, capture, day=SHIFT_DAY):
    with capture(execute=True):
        return book(contract, lvn, worker, day)


def test_an_opted_in_worker_gets_a_short_text_once(alliedup, contract, lvn, nurse, mailoutbox, smsoutbox,
                                                   django_capture_on_commit_callbacks):
    sms_on(alliedup)
    opt_in_sms(nurse)
    assignment = _confirm(contract, lvn, nurse, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1 and len(smsoutbox) == 1
    text = smsoutbox[0]
    assert text.to == "+15105550100"
    assert text.body == "AlliedUP Cooperative: shift confirmed Sat Nov 28 07:00 at Eastbay Skilled Nursing."
    assert len(text.body) <= 160
    assert shift_notice_send(cooperative=alliedup, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk, task=FakeTask()) == 0
    assert len(smsoutbox) == 1
    assert set(Delivery.objects.values_list("channel", flat=True)) == {Channel.EMAIL, Channel.SMS}


def test_no_text_without_the_coops_sms_or_the_workers_consent(alliedup, contract, lvn, nurse, smsoutbox,
                                                              django_capture_on_commit_callbacks):
    opt_in_sms(nurse)  # consented, but the co-op does not send SMS
    _confirm(contract, lvn, nurse, django_capture_on_commit_callbacks)
    assert smsoutbox == []
    sms_on(alliedup)
    preferences_update(worker=nurse, sms_opt_in=False)  # now the co-op does, but the worker withdrew
    _confirm(contract, lvn, nurse, django_capture_on_commit_callbacks, day=date(2026, 11, 29))
    assert smsoutbox == []


def test_an_opt_out_of_a_kind_by_sms_keeps_its_email(alliedup, contract, lvn, nurse, mailoutbox, smsoutbox,
                                                     django_capture_on_commit_callbacks):
    sms_on(alliedup)
    opt_in_sms(nurse)
    preferences_update(worker=nurse, choices={(Kind.SHIFT_CONFIRMED, Channel.SMS): False})
    _confirm(contract, lvn, nurse, django_capture_on_commit_callbacks)
    assert smsoutbox == [] and len(mailoutbox) == 1


def test_the_console_backend_writes_to_stdout(capsys):
    assert ConsoleBackend().send_messages([sms.SMSMessage("+15105550100", "Hello there", from_number="+15005550006")]) == 1
    out = capsys.readouterr().out
    assert "SMS from +15005550006 to +15105550100" in out and "Hello there" in out
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages([sms.SMSMessage("+15105550100", "Second")])
    assert "Second" in stream.getvalue()


# --- the Twilio-compatible HTTP backend, against a real local server ------------------------------------


class FakeProvider(BaseHTTPRequestHandler):
    """Answers POST /2010-04-01/Accounts/<sid>/Messages.json as Twilio does; `status` per server."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.server.received.append({
            "path": self.path, "auth": self.headers.get("Authorization", ""),
            "form": {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()},
        })
        status = self.server.status
        body = {"sid": "SM123", "status": "queued"} if status == 201 else {"code": 21211, "message": "Invalid 'To' Phone Number"}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    server.received, server.status = [], 201
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "notifications.sms.backends.twilio.SMSBackend"
    settings.SMS_TWILIO_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SMS_TWILIO_ACCOUNT_SID, settings.SMS_TWILIO_AUTH_TOKEN = "AC0123", "secret-token"
    settings.SMS_FROM_NUMBER = "+15005550006"
    yield server
    server.shutdown()
    server.server_close()


def test_the_twilio_backend_posts_the_message(alliedup, contract, lvn, nurse, provider, django_capture_on_commit_callbacks):
    sms_on(alliedup)
    opt_in_sms(nurse)
    _confirm(contract, lvn, nurse, django_capture_on_commit_callbacks)
    [request] = provider.received
    assert request["path"] == "/2010-04-01/Accounts/AC0123/Messages.json"
    assert b64decode(request["auth"].removeprefix("Basic ")).decode() == "AC0123:secret-token"
    assert request["form"] == {"To": "+15105550100", "From": "+15005550006",
                               "Body": "AlliedUP Cooperative: shift confirmed Sat Nov 28 07:00 at Eastbay Skilled Nursing."}
    assert Delivery.objects.get(channel=Channel.SMS).sent_at is not None


def test_a_number_the_provider_refuses_is_marked_failed_and_not_retried(alliedup, contract, lvn, nurse, provider, mailoutbox):
    sms_on(alliedup)
    opt_in_sms(nurse)
    provider.status = 400
    assignment = book(contract, lvn, nurse, SHIFT_DAY)
    assert shift_notice_send(cooperative=alliedup, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk, task=FakeTask()) == 1
    row = Delivery.objects.get(channel=Channel.SMS)
    assert row.failed_at is not None and "Invalid 'To' Phone Number" in row.error
    assert len(mailoutbox) == 1  # the email went all the same
    assert shift_notice_send(cooperative=alliedup, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk, task=FakeTask()) == 0
    assert len(provider.received) == 1


def test_a_provider_down_releases_the_claim_and_the_retry_sends(alliedup, contract, lvn, nurse, provider, mailoutbox):
    sms_on(alliedup)
    opt_in_sms(nurse)
    preferences_update(worker=nurse, choices={(Kind.SHIFT_CONFIRMED, Channel.EMAIL): False})
    provider.status = 503
    assignment = book(contract, lvn, nurse, SHIFT_DAY)
    with pytest.raises(FakeTask.Retry):
        shift_notice_send(cooperative=alliedup, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk, task=FakeTask())
    assert Delivery.objects.get(channel=Channel.SMS).sent_at is None
    provider.status = 201
    assert shift_notice_send(cooperative=alliedup, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk, task=FakeTask()) == 1
    assert len(provider.received) == 2 and Delivery.objects.get(channel=Channel.SMS).sent_at is not None


def test_an_unreachable_provider_is_a_temporary_error(settings):
    backend = TwilioBackend(account_sid="AC1", auth_token="t", base_url="http://127.0.0.1:9", timeout=2)
    with pytest.raises(sms.SMSTemporaryError):
        backend.send_messages([sms.SMSMessage("+15105550100", "Hi", from_number="+15005550006")])


def test_the_twilio_backend_needs_its_credentials(settings):
    settings.SMS_TWILIO_ACCOUNT_SID = settings.SMS_TWILIO_AUTH_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        TwilioBackend()
