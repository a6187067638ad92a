class BaseSMSBackend:
    """A provider: `send_messages(messages)` returns how many it accepted, raising
    SMSTemporaryError or SMSRejected (notifications.sms) when it accepted none."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages) -> int:
        raise NotImplementedError
