"""A worker's choices (per kind and channel, SMS number and consent), the one-click
unsubscribe, and the co-op's channel settings. Each use case is one transaction, audited."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from members.selectors import worker_by_uuid
from notifications.kinds import Channel, Kind
from notifications.models import NotificationPreference, NotificationProfile, NotificationSettings
from notifications.selectors import coop_settings
from notifications.tokens import read_unsubscribe_token

E164 = re.compile(r"\+[1-9]\d{7,14}")


def phone_normalise(raw: str) -> str:
    """A phone number as typed → E.164 ("+15105550100"). Ten digits (or eleven starting
    with 1) are taken as a North American number. Raises ValidationError otherwise."""
    number = re.sub(r"[\s().\-/]", "", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+") and re.fullmatch(r"1?\d{10}", number):
        number = "+1" + number[-10:]
    if not E164.fullmatch(number):
        raise ValidationError({"sms_phone": _("Enter a mobile number with its country code, like +1 510 555 0100.")})
    return number


@transaction.atomic
def preferences_update(*, worker, choices: dict[tuple[str, str], bool] | None = None, sms_phone: str | None = None,
                       sms_opt_in: bool | None = None, changed_by=None) -> None:
    """Set the worker's choices: `choices` {(kind, channel): on?} (others unchanged), their
    SMS number (blank removes it, and with it the consent) and consent (`sms_opt_in`).

    Raises ValidationError, writing nothing, for an unknown kind or channel, a number that
    is not one, or consent to SMS the co-op does not send or with no number."""
    choices = choices or {}
    unknown = [f"{k}/{c}" for k, c in choices if k not in Kind.values or c not in Channel.values]
    if unknown:
        raise ValidationError({"preferences": _("Unknown notification: %(names)s.") % {"names": ", ".join(unknown)}})
    profile, _created = NotificationProfile.objects.select_for_update().get_or_create(
        cooperative_id=worker.cooperative_id, worker=worker)
    before = {"sms_phone": profile.sms_phone, "sms_opted_in": profile.sms_opted_in}
    if sms_phone is not None:
        profile.sms_phone = phone_normalise(sms_phone) if sms_phone.strip() else ""
        if not profile.sms_phone:
            profile.sms_consented_at = None
    if sms_opt_in is not None and sms_opt_in != profile.sms_opted_in:
        if sms_opt_in:
            if not coop_settings(worker.cooperative_id).sms_enabled:
                raise ValidationError({"sms_opt_in": _("Your co-op does not send text messages.")})
            if not profile.sms_phone:
                raise ValidationError({"sms_phone": _("Enter the mobile number to send text messages to.")})
            profile.sms_consented_at = timezone.now()
        else:
            profile.sms_consented_at = None
    profile.save()
    current = {(k, c): on for k, c, on in NotificationPreference.objects.filter(worker=worker).values_list("kind", "channel", "enabled")}
    changed = {f"{k}/{c}": on for (k, c), on in choices.items() if current.get((k, c), True) != on}
    if choices:
        now = timezone.now()
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(cooperative_id=worker.cooperative_id, worker=worker, kind=k, channel=c, enabled=bool(on), updated_at=now)
             for (k, c), on in choices.items()],
            update_conflicts=True, unique_fields=["worker", "kind", "channel"], update_fields=["enabled", "updated_at"],
        )
    after = {"sms_phone": profile.sms_phone, "sms_opted_in": profile.sms_opted_in}
    if changed or after != before:
        # The number itself stays out of the trail (personal data): only that it changed.
        audit_log(cooperative=worker.cooperative, action="notifications.preferences.changed", user=changed_by, obj=worker,
                  data={"changed": changed, "sms_phone_changed": after["sms_phone"] != before["sms_phone"],
                        "sms_opted_in": after["sms_opted_in"]})


@transaction.atomic
def unsubscribe(*, cooperative: Cooperative, token: str) -> tuple:
    """Turn off the kind and channel the token names for its worker (the one-click link of
    an email; no sign-in). Returns (worker, kind, channel); doing it again changes nothing.
    Raises ValidationError for a token that is not genuine or is another co-op's."""
    found = unsubscribe_target(cooperative=cooperative, token=token)
    worker, kind, channel = found
    row = NotificationPreference.objects.select_for_update().filter(worker=worker, kind=kind, channel=channel).first()
    if row is None or row.enabled:
        NotificationPreference.objects.update_or_create(
            cooperative=cooperative, worker=worker, kind=kind, channel=channel,
            defaults={"enabled": False, "updated_at": timezone.now()},
        )
        audit_log(cooperative=cooperative, action="notifications.preferences.unsubscribed", obj=worker,
                  data={"kind": kind, "channel": channel, "via": "unsubscribe link"})
    return found


def unsubscribe_target(*, cooperative: Cooperative, token: str) -> tuple:
    """(worker, kind, channel) the token names in this co-op; ValidationError if none."""
    target = read_unsubscribe_token(token)
    worker = None
    if target and target.cooperative_id == cooperative.pk and target.kind in Kind.values and target.channel in Channel.values:
        worker = worker_by_uuid(cooperative, target.worker_uuid)
    if worker is None:
        raise ValidationError(_("This unsubscribe link is not valid."))
    return worker, target.kind, target.channel


SETTINGS_FIELDS = ("sms_enabled", "credential_notice_days", "open_shift_days")


@transaction.atomic
def settings_update(*, cooperative: Cooperative, changes: dict, updated_by) -> NotificationSettings:
    """Change the co-op's notification settings (`changes`: {field: value} among
    SETTINGS_FIELDS). Validates (field validators), writes and audits before/after.
    Raises ValidationError, writing nothing."""
    unknown = sorted(set(changes) - set(SETTINGS_FIELDS))
    if unknown:
        raise ValidationError({name: "Not a notification setting." for name in unknown})
    row, _created = NotificationSettings.objects.select_for_update().get_or_create(cooperative=cooperative)
    before = {name: getattr(row, name) for name in changes}
    for name, value in changes.items():
        setattr(row, name, value)
    row.full_clean(exclude=["cooperative", "updated_by"])
    after = {name: getattr(row, name) for name in changes}
    if after != before:
        row.updated_at, row.updated_by = timezone.now(), updated_by
        row.save()
        audit_log(cooperative=cooperative, action="notifications.settings.changed", user=updated_by, obj=row,
                  before={k: v for k, v in before.items() if after[k] != v}, after={k: v for k, v in after.items() if before[k] != v})
    return row
