"""Reads for the invoices page: approved hours corrected after an invoice billed them, so
staff know which client and period to draft again (the draft carries the adjustment,
services.invoices.invoice_create)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Max, Q

from placements.models import Invoice, TimesheetCorrection

LOOKBACK_DAYS = 180  # corrections older than this are not listed (a quarter's invoicing and then some)


@dataclass(frozen=True)
class CorrectionToAdjust:
    worker_name: str
    client_name: str
    client_uuid: str
    hours_before: object
    hours_after: object
    corrected_at: datetime
    reason: str
    invoice: Invoice  # the latest non-void invoice billing the timesheet: draft its period again

    @property
    def period(self) -> tuple[date, date]:
        return self.invoice.period_start, self.invoice.period_end


def corrections_to_adjust(cooperative, *, now: datetime) -> list[CorrectionToAdjust]:
    """The latest correction (of the last 180 days) of each timesheet billed on a non-void
    invoice made before the correction and on none made after it (a draft made after it
    holds the adjustment). Corrections that moved no hours (same hours, same day) are left
    out: a draft would find nothing to adjust. Oldest first; two queries."""
    billed = Q(timesheet__invoice_lines__is_void=False)
    rows = (
        TimesheetCorrection.objects.filter(cooperative=cooperative, corrected_at__gte=now - timedelta(days=LOOKBACK_DAYS))
        .annotate(last_billed=Max("timesheet__invoice_lines__invoice__created_at", filter=billed),
                  last_invoice=Max("timesheet__invoice_lines__invoice_id", filter=billed))
        .filter(last_billed__lt=F("corrected_at"))
        .select_related("timesheet__assignment__worker", "timesheet__assignment__shift__job_order__contract__client")
        .order_by("corrected_at", "id")
    )
    latest = {}
    for r in rows:
        if r.hours_before != r.hours_after or r.clock_in_before.date() != r.clock_in_after.date():
            latest[r.timesheet_id] = r
    invoices = Invoice.objects.in_bulk({r.last_invoice for r in latest.values()})
    out = []
    for r in sorted(latest.values(), key=lambda r: (r.corrected_at, r.pk)):
        client = r.timesheet.assignment.shift.job_order.contract.client
        out.append(CorrectionToAdjust(
            worker_name=r.timesheet.assignment.worker.full_name, client_name=client.name, client_uuid=str(client.uuid),
            hours_before=r.hours_before, hours_after=r.hours_after, corrected_at=r.corrected_at, reason=r.reason,
            invoice=invoices[r.last_invoice],
        ))
    return out
