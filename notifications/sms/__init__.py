"""Text messages behind a provider interface, like Django's email backends.

`settings.SMS_BACKEND` names the backend class (dotted path):
- `notifications.sms.backends.console.SMSBackend` (default): writes each message to stdout;
- `notifications.sms.backends.locmem.SMSBackend` (tests): appends to `notifications.sms.outbox`;
- `notifications.sms.backends.twilio.SMSBackend`: Twilio's Messages API (or any service
  speaking it) at `SMS_TWILIO_BASE_URL`, with `SMS_TWILIO_ACCOUNT_SID`/`SMS_TWILIO_AUTH_TOKEN`
  and `SMS_FROM_NUMBER`.

A backend raises `SMSTemporaryError` (an OSError, so alliedup.sending releases the claim and
the task retries) when the provider may accept later, `SMSRejected` when it never will.
"""

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list = []  # the locmem backend's messages (tests)


class SMSTemporaryError(OSError):
    """The provider could not take the message now (network, 5xx, 429): retry later."""


class SMSRejected(Exception):
    """The provider refused the message for good (a bad number, an unsubscribed handset)."""


def get_connection(backend: str | None = None, **kwargs):
    return import_string(backend or settings.SMS_BACKEND)(**kwargs)


class SMSMessage:
    """One text message; `send()` as EmailMessage does (so alliedup.sending can send it)."""

    def __init__(self, to: str, body: str, *, from_number: str | None = None, connection=None):
        self.to, self.body, self.connection = to, body, connection
        self.from_number = from_number if from_number is not None else settings.SMS_FROM_NUMBER

    def send(self) -> int:
        return (self.connection or get_connection()).send_messages([self])

    def __repr__(self):
        return f"SMSMessage(to={self.to!r}, body={self.body!r})"


def send_sms(to: str, body: str) -> int:
    return SMSMessage(to, body).send()
