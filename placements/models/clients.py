"""Clients, their contacts and sites, contracts and bill rates."""

import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from alliedup.models import TenantModel, validate_time_zone


class Client(TenantModel):
    """A client facility (hospital, clinic, nursing home)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles", validators=[validate_time_zone])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "name"], name="unique_client_name")]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """The site's time zone: shifts are wall-clock times there."""
        return ZoneInfo(self.time_zone)


class ClientContact(TenantModel):
    """A person who acts for a client: posts job orders, approves timesheets, downloads
    invoices. Invited by email (role client): until they accept, `user` is empty and
    `invitation` is the open one; on acceptance the account is linked here, and the client
    portal shows only the clients a user is a linked contact of."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="client_contacts"
    )
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True, help_text="The address invited (the account's, once linked).")
    invitation = models.OneToOneField(
        "alliedup.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="client_contact"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["client", "user"], name="unique_client_contact"),
            models.UniqueConstraint(fields=["client", "email"], condition=~Q(email=""), name="unique_client_contact_email"),
        ]

    def __str__(self):
        return self.name or self.email or str(self.user)


class ClientSite(TenantModel):
    """A site or unit of a client (e.g. "Oakland campus, 3 West")."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["client", "name"], name="unique_site_name")]

    def __str__(self):
        return f"{self.client} · {self.name}"


class ClientContract(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "reference"], name="unique_contract_reference"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="contract_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.client} {self.reference}"


class BillRate(TenantModel):
    """What the client pays per hour for a classification, from a date (effective-dated:
    the rate in force on a day is the latest one whose effective_from is on or before it)."""

    contract = models.ForeignKey(ClientContract, on_delete=models.CASCADE, related_name="bill_rates")
    classification = models.ForeignKey("members.JobClassification", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField()
    regular_rate = models.DecimalField(max_digits=12, decimal_places=4)
    overtime_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))
    holiday_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))
    double_time_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("2.00"))

    class Meta:
        ordering = ["classification_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "classification", "effective_from"], name="unique_bill_rate_date"),
            models.CheckConstraint(condition=Q(regular_rate__gt=0), name="bill_rate_positive"),
            models.CheckConstraint(condition=Q(overtime_multiplier__gte=1, holiday_multiplier__gte=1, double_time_multiplier__gte=1), name="bill_multipliers_at_least_one"),
        ]
