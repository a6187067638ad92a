"""Read by insights, the co-op's figures: aggregates in SQL, one query each."""

from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from placements.models import (
    Assignment,
    Invoice,
    InvoiceLine,
    Shift,
    Timesheet,
)


def placement_counts(cooperative, first: datetime, after: datetime, *, per: str) -> list[dict]:
    """Placements (assignments whose timesheet is approved) of the co-op's shifts starting in
    [first, after), counted by `per` ("month" or "year") of the shift's start in the co-op's
    zone: [{per: the period's first moment as the database gives it (a datetime in the co-op's
    zone, or a date), "n": count}]; a period without one is absent. One query."""
    trunc = {"month": TruncMonth, "year": TruncYear}[per]
    return list(
        Assignment.objects.filter(
            cooperative=cooperative, timesheet__status=Timesheet.Status.APPROVED,
            shift__starts_at__gte=first, shift__starts_at__lt=after,
            # The same co-op on every joined table (always true): PostgreSQL then reads the
            # co-op's shifts and timesheets by index instead of every co-op's (half the time).
            shift__cooperative=cooperative, timesheet__cooperative=cooperative,
        )
        .annotate(**{per: trunc("shift__starts_at", tzinfo=cooperative.zone)}).values(per).annotate(n=Count("id")).order_by()
    )


def shift_fill_counts(cooperative, first: datetime, after: datetime) -> list[dict]:
    """The co-op's shifts starting in [first, after), cancelled ones left out, by calendar
    month of their start in the co-op's zone: [{"month": its first moment as the database
    gives it, "requested": shifts, "filled": those filled or completed}]; a month without
    shifts is absent. One query."""
    filled = Q(status__in=[Shift.Status.FILLED, Shift.Status.COMPLETED])
    return list(
        Shift.objects.filter(cooperative=cooperative, starts_at__gte=first, starts_at__lt=after)
        .exclude(status=Shift.Status.CANCELLED)
        .annotate(month=TruncMonth("starts_at", tzinfo=cooperative.zone)).values("month")
        .annotate(requested=Count("id"), filled=Count("id", filter=filled)).order_by()
    )


def billed_by_client_and_quarter(cooperative, first_day: date, last_day: date) -> list[dict]:
    """What the co-op billed for workdays from `first_day` to `last_day`: the lines of issued
    or paid invoices (drafts and void invoices are not revenue) summed by calendar quarter of
    the workday and client: [{"quarter": its first day, "client_id", "client_name", "billed":
    the SQL sum}], unordered. One query."""
    return [
        {"quarter": r["quarter"], "client_id": r["invoice__client_id"], "client_name": r["invoice__client__name"],
         "billed": r["billed"]}
        for r in InvoiceLine.objects.filter(
            cooperative=cooperative, invoice__status__in=[Invoice.Status.ISSUED, Invoice.Status.PAID],
            workday__gte=first_day, workday__lte=last_day,
        )
        .annotate(quarter=TruncQuarter("workday")).values("quarter", "invoice__client_id", "invoice__client__name")
        .annotate(billed=Sum("amount")).order_by()
    ]
