"""What a worker is told, by which channel, and the record that each message went once.

- `NotificationSettings`: a co-op's channel settings (SMS on or off, how early credential
  and digest notices look ahead), one row per co-op, created on first use.
- `NotificationProfile`: a worker's SMS number and consent (opted in when consented).
- `NotificationPreference`: a worker's choice for one kind on one channel; no row means the
  default (on), so only opt-outs and explicit opt-ins are stored.
- `Delivery`: one message to one worker about one thing (`subject`, e.g. "assignment:12")
  on one channel. Unique, so a retry or a second run of a job finds the row and sends
  nothing twice; `sent_at` is claimed before sending (alliedup/sending.py).

Kinds and channels: notifications/kinds.py. Rules live in notifications/services/.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from alliedup.models import TenantModel
from notifications.kinds import Channel, Kind


class NotificationSettings(TenantModel):
    """A co-op's notification channels and look-ahead (staff page: notifications:settings)."""

    sms_enabled = models.BooleanField(
        default=False, help_text="Send text messages to workers who give a number and opt in.",
    )
    credential_notice_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days before a credential expires that its holder is told.",
    )
    open_shift_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="How far ahead the daily digest of new open shifts looks.",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name_plural = "notification settings"
        constraints = [
            models.UniqueConstraint(fields=["cooperative"], name="one_notification_settings_per_coop"),
            models.CheckConstraint(condition=Q(credential_notice_days__gte=1, open_shift_days__gte=1),
                                   name="notification_lookahead_positive"),
        ]

    def __str__(self):
        return "Notification settings"


class NotificationProfile(TenantModel):
    """A worker's text-message number and consent. SMS goes only with both."""

    worker = models.OneToOneField("members.Worker", on_delete=models.CASCADE, related_name="notification_profile")
    sms_phone = models.CharField(max_length=16, blank=True, help_text="E.164, e.g. +15105550100.")
    sms_consented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(sms_consented_at__isnull=True) | ~Q(sms_phone=""),
                                   name="sms_consent_needs_a_number"),
        ]

    @property
    def sms_opted_in(self) -> bool:
        return bool(self.sms_phone and self.sms_consented_at)


class NotificationPreference(TenantModel):
    worker = models.ForeignKey("members.Worker", on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    enabled = models.BooleanField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "kind", "channel"], name="one_preference_per_kind_and_channel"),
        ]


class Delivery(TenantModel):
    """One message, sent once. `sent_at` is the claim (set before sending, cleared again if
    the mail server or SMS provider fails for now); `failed_at` marks a message the provider
    refused for good (a bad number), which is not retried."""

    worker = models.ForeignKey("members.Worker", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    subject = models.CharField(max_length=80, help_text="What it is about: 'assignment:12', 'election:3', 'digest:2026-11-23'.")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=254, help_text="The email address or phone number it went to.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "worker", "kind", "subject", "channel"], name="one_delivery_per_subject"),
        ]
        indexes = [models.Index(fields=["cooperative", "kind", "worker", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.subject} → {self.address}"
