"""Reads for the invoices page: approved hours corrected after an invoice billed them, and
approved hours no invoice bills yet in periods already invoiced, so staff know which client
and period to draft again (the draft bills them and carries the adjustments,
services.invoices.invoice_create)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F, Max, Q

from alliedup.money import ZERO

from placements.models import Invoice, Timesheet, TimesheetCorrection
from worktime.overtime import split_into_workdays, worked_hours

LOOKBACK_DAYS = 180  # corrections older than this are not listed (a quarter's invoicing and then some)


@dataclass(frozen=True)
class CorrectionToAdjust:
    worker_name: str
    hours_before: object
    hours_after: object
    corrected_at: datetime
    reason: str
    # The latest non-void invoice billing the timesheet (its client is the timesheet's):
    # draft its client's period again.
    invoice: Invoice


def _workday_hours(correction, cooperative, side: str) -> list[tuple[date, object]]:
    """[(workday, hours)] of the timesheet's times before or after the correction: in the
    co-op's workdays (not UTC dates), as billing cuts them."""
    return [(s.workday, s.hours) for s in split_into_workdays(
        key=correction.timesheet_id, clock_in=getattr(correction, f"clock_in_{side}"),
        clock_out=getattr(correction, f"clock_out_{side}"), break_minutes=getattr(correction, f"break_minutes_{side}"),
        zone=cooperative.zone, workday_start=cooperative.workday_start)]


def corrections_to_adjust(cooperative, *, now: datetime) -> list[CorrectionToAdjust]:
    """The latest correction (of the last 180 days) of each timesheet billed on a non-void
    invoice made before the correction and on none made after it (a draft made after it
    holds the adjustment). Corrections that moved no hours (the same hours on the same
    workdays of the co-op) are left out: a draft would find nothing to adjust. Oldest first; two queries."""
    billed = Q(timesheet__invoice_lines__is_void=False)
    rows = (
        TimesheetCorrection.objects.filter(cooperative=cooperative, corrected_at__gte=now - timedelta(days=LOOKBACK_DAYS))
        .annotate(last_billed=Max("timesheet__invoice_lines__invoice__created_at", filter=billed),
                  last_invoice=Max("timesheet__invoice_lines__invoice_id", filter=billed))
        .filter(last_billed__lt=F("corrected_at"))
        .select_related("timesheet__assignment__worker").order_by("corrected_at", "id")
    )
    latest = {}
    for r in rows:
        if _workday_hours(r, cooperative, "before") != _workday_hours(r, cooperative, "after"):
            latest[r.timesheet_id] = r
    invoices = Invoice.objects.select_related("client").in_bulk({r.last_invoice for r in latest.values()})
    return [
        CorrectionToAdjust(worker_name=r.timesheet.assignment.worker.full_name, hours_before=r.hours_before,
                           hours_after=r.hours_after, corrected_at=r.corrected_at, reason=r.reason,
                           invoice=invoices[r.last_invoice])
        for r in sorted(latest.values(), key=lambda r: (r.corrected_at, r.pk))
    ]


@dataclass(frozen=True)
class LateHours:
    """Approved hours no invoice bills yet, on workdays of a period a client was already
    invoiced for: approved after that invoice was drafted. Draft the period again to bill
    them (and to adjust the overtime they move onto hours billed before)."""

    invoice: Invoice  # the latest non-void invoice of the client whose period holds the workday
    timesheets: int
    hours: Decimal

    @property
    def client(self):
        return self.invoice.client


def late_hours_to_bill(cooperative, *, now: datetime) -> list[LateHours]:
    """Per invoice period: approved timesheets of the last 180 days with no non-void invoice
    line whose first workday (the clock-in's date in the co-op's zone) falls in the period of a
    non-void invoice of their client. Driven by the invoices (a co-op has few), so the scan is
    only of their clients' timesheets in their periods; two queries, one when nothing was
    invoiced. About 80 ms on the largest generated co-op with a month invoiced (17,000
    timesheets to check), so it is on the invoices page, not on the staff home."""
    since = now - timedelta(days=LOOKBACK_DAYS)
    invoices = list(
        Invoice.objects.filter(cooperative=cooperative, period_end__gte=since.date()).exclude(status=Invoice.Status.VOID)
        .select_related("client").order_by("-id")
    )
    if not invoices:
        return []
    by_client: dict[int, list[Invoice]] = {}
    for invoice in invoices:  # newest first: the latest invoice of a period wins
        by_client.setdefault(invoice.client_id, []).append(invoice)
    zone = cooperative.zone
    first = min(i.period_start for i in invoices)
    last = max(i.period_end for i in invoices)
    rows = (
        Timesheet.objects.filter(
            cooperative=cooperative, status=Timesheet.Status.APPROVED,
            clock_in__gte=max(since, datetime.combine(first, time.min, tzinfo=zone)),
            clock_in__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
            assignment__shift__job_order__contract__client_id__in=list(by_client),
        )
        .exclude(invoice_lines__is_void=False)
        .values_list("assignment__shift__job_order__contract__client_id", "clock_in", "clock_out", "break_minutes")
    )
    found: dict[int, list] = {}
    for client_id, clock_in, clock_out, break_minutes in rows:
        day = clock_in.astimezone(zone).date()
        invoice = next((i for i in by_client[client_id] if i.period_start <= day <= i.period_end), None)
        if invoice is None:
            continue  # a day of no invoiced period: the next draft bills it
        entry = found.setdefault(invoice.pk, [invoice, 0, ZERO])
        entry[1] += 1
        entry[2] += worked_hours(clock_in, clock_out, break_minutes)
    return sorted((LateHours(invoice, n, hours) for invoice, n, hours in found.values()),
                  key=lambda late: (late.invoice.period_start, late.invoice.client.name))
