"""The one-click unsubscribe token: who (co-op, worker), what kind, which channel, signed
with SECRET_KEY so nobody can forge another's. No expiry: an old email's link keeps working
(RFC 8058 asks that it work without signing in); rotating SECRET_KEY (its fallbacks aside)
retires every link."""

from dataclasses import dataclass

from django.core import signing

SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    cooperative_id: int
    worker_uuid: str
    kind: str
    channel: str


def unsubscribe_token(*, worker, kind: str, channel: str) -> str:
    """A token naming `worker` (of their co-op), `kind` and `channel`."""
    return signing.dumps([worker.cooperative_id, worker.uuid.hex, kind, channel], salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """The token's contents, or None when it is not one of ours (tampered, truncated)."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 4 and isinstance(value[0], int)
            and all(isinstance(v, str) for v in value[1:])):
        return None
    return Unsubscribe(*value)
