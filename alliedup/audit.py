"""The audit trail: one helper every state change calls inside its own transaction."""

from django.db import models

from alliedup.models import AuditEvent, Cooperative

SECRET_MARKERS = ("password", "secret", "token", "key", "otp", "totp")
MASK = "********"


def _masked(value):
    if isinstance(value, dict):
        return {
            k: (MASK if any(m in str(k).lower() for m in SECRET_MARKERS) else _masked(v))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_masked(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # Decimal, dates, UUIDs: stored as text, exact


def audit_log(
    *,
    cooperative: Cooperative,
    action: str,
    user=None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Record `action` (namespaced: "members.candidacy.opened") on `obj` by `user`.

    Secret-looking keys in before/after/data are masked. Returns the saved AuditEvent.
    """
    if "." not in action:
        raise ValueError("Audit actions are namespaced: '<app>.<entity>.<verb>'")
    return AuditEvent.objects.create(
        cooperative=cooperative,
        action=action,
        actor=user if getattr(user, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_masked(before or {}),
        after=_masked(after or {}),
        data=_masked(data or {}),
    )
