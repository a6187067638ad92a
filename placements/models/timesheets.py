"""Timesheets (approved by the client) and corrections of approved ones."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.models import TenantModel


class Timesheet(TenantModel):
    """Clock-in/out and unpaid breaks for one assignment, submitted by the worker and
    approved or disputed by the client (or staff on the client's behalf). Approved is final
    for the worker and the client; staff correct it with a TimesheetCorrection (the record
    of what changed and why, a reversing ledger entry and a new one, and a pay correction in
    the next pay run)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        DISPUTED = "disputed", _("Disputed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.OneToOneField("placements.Assignment", on_delete=models.PROTECT, related_name="timesheet")
    clock_in = models.DateTimeField()
    clock_out = models.DateTimeField()
    break_minutes = models.PositiveSmallIntegerField(default=0, help_text="Unpaid meal breaks: not hours worked.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_on_behalf_of_client = models.BooleanField(default=False)
    dispute_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(clock_out__gt=F("clock_in")), name="clock_out_after_clock_in"),
        ]
        indexes = [
            # The timesheet queue reads the few submitted ones among a co-op's whole history.
            models.Index(fields=["cooperative", "submitted_at", "id"], condition=Q(status="submitted"), name="timesheets_awaiting"),
        ]


class TimesheetCorrection(TenantModel):
    """Staff's correction of an approved timesheet: what it said, what it says now, and why.
    Append-only. The next pay run settles it (`paid_in_run`): it recomputes the timesheet's
    workweek and pays the difference from what an approved run paid."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    timesheet = models.ForeignKey(Timesheet, on_delete=models.PROTECT, related_name="corrections")
    clock_in_before = models.DateTimeField()
    clock_out_before = models.DateTimeField()
    break_minutes_before = models.PositiveSmallIntegerField()
    hours_before = models.DecimalField(max_digits=5, decimal_places=2)
    clock_in_after = models.DateTimeField()
    clock_out_after = models.DateTimeField()
    break_minutes_after = models.PositiveSmallIntegerField()
    hours_after = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.CharField(max_length=300)
    corrected_at = models.DateTimeField(default=timezone.now)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set by the pay run that pays the difference; final once that run is approved.
    paid_in_run = models.ForeignKey("payroll.PayRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the worker was emailed about it (once).")

    class Meta:
        ordering = ["corrected_at", "id"]

    @property
    def hours_change(self):
        return self.hours_after - self.hours_before
