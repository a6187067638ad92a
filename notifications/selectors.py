"""Reads of notifications used by services, pages and the API."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from alliedup.models import Cooperative
from notifications.kinds import Channel, Kind
from notifications.models import Delivery, NotificationPreference, NotificationProfile, NotificationSettings


def coop_settings(cooperative: Cooperative | int) -> NotificationSettings:
    """The co-op's settings row, or an unsaved one holding the defaults (one query)."""
    cooperative_id = getattr(cooperative, "pk", cooperative)
    return (NotificationSettings.objects.filter(cooperative_id=cooperative_id).first()
            or NotificationSettings(cooperative_id=cooperative_id))


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    email: bool
    sms: bool


@dataclass(frozen=True)
class WorkerPreferences:
    rows: list[PreferenceRow]  # every kind, in Kind's order
    sms_available: bool  # the co-op sends text messages
    sms_phone: str
    sms_opted_in: bool


def worker_preferences(worker, *, settings: NotificationSettings | None = None) -> WorkerPreferences:
    """Every kind with the worker's choice per channel (default: on), and their SMS number
    and consent. Three queries (two when the co-op's settings are given)."""
    settings = settings or coop_settings(worker.cooperative_id)
    chosen = dict(((kind, channel), enabled) for kind, channel, enabled in
                  NotificationPreference.objects.filter(worker=worker).values_list("kind", "channel", "enabled"))
    profile = NotificationProfile.objects.filter(worker=worker).first()
    rows = [PreferenceRow(kind, label, chosen.get((kind, Channel.EMAIL), True), chosen.get((kind, Channel.SMS), True))
            for kind, label in Kind.choices]
    return WorkerPreferences(rows, settings.sms_enabled, profile.sms_phone if profile else "",
                             bool(profile and profile.sms_opted_in))


def last_delivery_times(cooperative: Cooperative, kind: str, worker_ids, *, excluding_subject: str = "") -> dict[int, datetime]:
    """{worker id: when their latest `kind` delivery was created}, leaving out the deliveries
    about `excluding_subject` (e.g. today's digest, which a retry finds). One query."""
    rows = Delivery.objects.filter(cooperative=cooperative, kind=kind, worker_id__in=list(worker_ids))
    if excluding_subject:
        rows = rows.exclude(subject=excluding_subject)
    return dict(rows.values("worker_id").annotate(last=Max("created_at")).values_list("worker_id", "last"))
