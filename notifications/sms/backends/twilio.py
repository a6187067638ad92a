"""Twilio's Messages API: POST {base}/2010-04-01/Accounts/{sid}/Messages.json with To, From
and Body (form-encoded, HTTP basic auth with the account SID and auth token). Any service
speaking the same API works by pointing SMS_TWILIO_BASE_URL at it."""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from notifications.sms import SMSRejected, SMSTemporaryError
from notifications.sms.backends.base import BaseSMSBackend


class SMSBackend(BaseSMSBackend):
    def __init__(self, *, account_sid=None, auth_token=None, base_url=None, timeout=None, **kwargs):
        super().__init__(**kwargs)
        self.account_sid = account_sid or settings.SMS_TWILIO_ACCOUNT_SID
        self.auth_token = auth_token or settings.SMS_TWILIO_AUTH_TOKEN
        self.base_url = (base_url or settings.SMS_TWILIO_BASE_URL).rstrip("/")
        self.timeout = timeout or settings.SMS_TIMEOUT_SECONDS
        if not (self.account_sid and self.auth_token):
            raise ImproperlyConfigured("The Twilio SMS backend needs SMS_TWILIO_ACCOUNT_SID and SMS_TWILIO_AUTH_TOKEN.")

    @property
    def url(self) -> str:
        return f"{self.base_url}/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json"

    def send_messages(self, messages) -> int:
        for message in messages:
            self._send(message)
        return len(messages)

    def _send(self, message) -> str:
        """POST one message; returns the provider's message SID."""
        if not message.from_number:
            raise ImproperlyConfigured("SMS_FROM_NUMBER is not set.")
        data = urllib.parse.urlencode({"To": message.to, "From": message.from_number, "Body": message.body}).encode()
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Authorization": f"Basic {credentials}", "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}").get("sid", "")
        except urllib.error.HTTPError as exc:
            detail = _detail(exc)
            # 429 and 5xx may pass later; any other 4xx (a bad number, a blocked handset) never will.
            if exc.code == 429 or exc.code >= 500:
                raise SMSTemporaryError(f"SMS provider answered {exc.code}: {detail}") from exc
            raise SMSRejected(f"SMS provider refused the message ({exc.code}): {detail}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise SMSTemporaryError(f"SMS provider unreachable: {exc}") from exc


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        return exc.reason or ""
    return str(body.get("message") or exc.reason or "")[:200]
