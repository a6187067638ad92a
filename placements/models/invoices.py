"""Invoices to clients and their lines."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from alliedup.models import TenantModel


class Invoice(TenantModel):
    """What a client owes for a period: one line per approved timesheet segment and kind of
    hours (regular, overtime, double time) × the bill rate in force that day. A number is
    given when it is issued; an issued invoice never changes (void it and issue another)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey("placements.Client", on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=30, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_reference = models.CharField(max_length=80, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], condition=~Q(number=""), name="unique_invoice_number"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="invoice_period_in_order"),
        ]
        indexes = [models.Index(fields=["cooperative", "client", "status"])]

    def __str__(self):
        return self.number or f"Draft invoice for {self.client}"

    @property
    def is_credit(self) -> bool:
        """Adjustments took more off than the new hours add: the co-op owes the client."""
        return self.total < 0


class InvoiceLine(TenantModel):
    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular"
        OVERTIME = "overtime", "Overtime"
        DOUBLE_TIME = "double", "Double time"
        HOLIDAY = "holiday", "Holiday"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    timesheet = models.ForeignKey("placements.Timesheet", on_delete=models.PROTECT, related_name="invoice_lines")
    workday = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    classification = models.ForeignKey("members.JobClassification", on_delete=models.PROTECT, related_name="+")
    worker_name = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    rate = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # Copied from the invoice when it is voided, so the constraint below can free the hours.
    is_void = models.BooleanField(default=False)
    # An adjustment of hours billed before (a timesheet corrected, overtime moved onto billed
    # hours by a late approval, a holiday added): the difference between what the hours bill
    # now and what earlier lines billed, pointing at the latest invoice that billed them.
    corrects_invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["workday", "worker_name", "kind", "id"]
        constraints = [
            # The same hours are billed once (a void invoice releases them); adjustments add
            # differences to them.
            models.UniqueConstraint(
                fields=["timesheet", "workday", "kind"], condition=Q(is_void=False, corrects_invoice__isnull=True),
                name="hours_billed_once",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0) | Q(corrects_invoice__isnull=False), name="invoice_hours_positive"),
        ]

    @property
    def is_adjustment(self) -> bool:
        return self.corrects_invoice_id is not None
