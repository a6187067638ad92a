"""Work time: the co-op's holiday calendar. The hours arithmetic (workdays, workweeks,
overtime) is free of models, in worktime/overtime.py."""

from django.db import models
from django.utils import timezone

from alliedup.models import TenantModel


class Holiday(TenantModel):
    """A day of the co-op's holiday calendar: hours on that workday bill at the contract's
    holiday multiplier (placements.billing) and are paid the agreement's holiday premium
    (payroll.services.pay_lines). Moved from payroll (worktime migrations 0001–0002 keep the rows)."""

    day = models.DateField()
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "day"], name="one_holiday_a_day")]

    def __str__(self):
        return f"{self.name} ({self.day:%b %d, %Y})"
