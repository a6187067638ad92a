import sys
import threading

from notifications.sms.backends.base import BaseSMSBackend


class SMSBackend(BaseSMSBackend):
    """Writes each message to stdout (or `stream`), like Django's console email backend."""

    def __init__(self, stream=None, **kwargs):
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS from {message.from_number or '-'} to {message.to}\n{message.body}\n{'-' * 40}\n")
            self.stream.flush()
        return len(messages)
