"""Documents of placements (WeasyPrint): the client invoice."""

from itertools import groupby

from django.utils import timezone

from alliedup.documents import render_pdf
from alliedup.money import ZERO, rate_text
from placements.models import Invoice, InvoiceLine


def invoice_lines(invoice: Invoice) -> list[InvoiceLine]:
    """The invoice's lines in print order, each with `rate_text` (one query)."""
    lines = list(invoice.lines.select_related("classification", "corrects_invoice__client").order_by("workday", "worker_name", "kind", "id"))
    for line in lines:
        line.rate_text = rate_text(line.rate)
    return lines


def issued_on(invoice: Invoice):
    """The day the invoice was issued, in the co-op's zone (None for a draft)."""
    if invoice.issued_at is None:
        return None
    return timezone.localdate(invoice.issued_at, timezone=invoice.cooperative.zone)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as PDF bytes: the co-op's and the client's names and addresses, number and
    dates, the lines grouped by workday, and the total."""
    return render_pdf("placements/documents/invoice.html", invoice_context(invoice))


def invoice_context(invoice: Invoice) -> dict:
    lines = invoice_lines(invoice)
    return {
        "invoice": invoice,
        "client": invoice.client,
        "cooperative": invoice.cooperative,
        "days": [(day, list(rows)) for day, rows in groupby(lines, key=lambda line: line.workday)],
        "issued_on": issued_on(invoice),
        "hours": sum((line.hours for line in lines), ZERO),
    }


def invoice_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf" if invoice.number else f"draft-invoice-{invoice.period_start}-{invoice.period_end}.pdf"
