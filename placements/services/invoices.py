"""Client invoices: a draft per client and period from approved timesheets × bill rates,
then issued (numbered, immutable), paid, or void.

The arithmetic (workday segments, overtime at the client, amounts rounded half up per line)
is placements.billing's; this module decides what goes on an invoice and its life cycle.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from alliedup.money import ZERO
from placements.billing import BilledSegment, approved_timesheets, billed_segments
from placements.models import Client, Invoice, InvoiceLine

MAX_PERIOD_DAYS = 93  # a quarter at most: longer periods are a mistake in the dates, not a billing cycle
PAYMENT_TERMS_DAYS = 30  # net 30 from the issue date
NUMBER_PREFIX = "INV"
RATE_PLACES = Decimal("0.0001")


def _kinds(billed: BilledSegment):
    """(kind, hours, multiplier, amount) of each kind of hours of a segment (on a holiday the
    straight hours are holiday hours)."""
    split = billed.split
    regular = InvoiceLine.Kind.HOLIDAY if billed.holiday else InvoiceLine.Kind.REGULAR
    yield regular, split.regular, billed.regular_multiplier, billed.regular_amount
    yield InvoiceLine.Kind.OVERTIME, split.overtime, billed.overtime_rate_multiplier, billed.overtime_amount
    yield InvoiceLine.Kind.DOUBLE_TIME, split.double_time, billed.double_time_rate_multiplier, billed.double_time_amount


def _day(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


@transaction.atomic
def invoice_create(*, client: Client, period_start: date, period_end: date, created_by=None) -> Invoice:
    """A draft invoice for `client`: one line per workday segment and kind of hours
    (regular or, on a holiday, holiday; overtime; double time) of the client's approved
    timesheets with workdays in [period_start, period_end] that no other non-void invoice
    bills yet, and an adjustment line (`corrects_invoice`) for each segment and kind billed
    before that bills differently now (a corrected timesheet, overtime moved onto billed
    hours by a late approval, a holiday added): the difference, positive or negative, so
    the client's non-void lines always sum to what its hours bill. A negative total is a
    credit.

    Returns the draft (total = the exact sum of its lines). Raises ValidationError, writing
    nothing, when the dates are out of order or span more than 93 days, when there is nothing
    to bill, or when hours to bill have no bill rate in force (naming each worker and day).
    """
    if period_end < period_start:
        raise ValidationError({"period_end": "The period must end on or after its first day."})
    if (period_end - period_start).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError({"period_end": f"An invoice covers at most {MAX_PERIOD_DAYS} days."})
    cooperative = client.cooperative
    # One invoice run per client at a time: two drafts built side by side would both find
    # the same hours unbilled (the hours_billed_once constraint would then fail the second
    # with an IntegrityError instead of a message).
    client = Client.objects.select_for_update().get(pk=client.pk)

    timesheets = approved_timesheets(cooperative, period_start, period_end, client_ids=[client.pk])
    segments = billed_segments(cooperative, timesheets)
    # What non-void invoices already bill for the client's workdays of the period, per
    # (timesheet, workday, kind): a segment billed before is not billed again, only the
    # difference from what it bills now (an adjustment line), when there is one.
    billed: dict[tuple, dict] = {}
    last_invoice: dict[tuple, int] = {}  # (timesheet, workday) → the latest invoice billing it
    for row in (
        InvoiceLine.objects.filter(invoice__client=client, is_void=False, workday__gte=period_start, workday__lte=period_end)
        .values("timesheet_id", "workday", "kind").annotate(hours=Sum("hours"), amount=Sum("amount"), invoice_id=Max("invoice_id"),
                                                             classification_id=Max("classification_id"), worker_name=Max("worker_name"))
    ):
        billed[(row["timesheet_id"], row["workday"], row["kind"])] = row
        segment = (row["timesheet_id"], row["workday"])
        last_invoice[segment] = max(last_invoice.get(segment, 0), row["invoice_id"])
    billed_segments_keys = set(last_invoice)
    lines, missing_rate, bad_hours = [], [], []
    for (timesheet_id, workday), billed_now in sorted(segments.items(), key=lambda kv: (kv[0][1], kv[1].timesheet.worker_name, kv[0][0])):
        if not period_start <= workday <= period_end:
            continue  # outside: the other workday of a night shift across the period's edge
        worked = billed_now.timesheet
        before = (timesheet_id, workday) in billed_segments_keys
        for kind, hours, multiplier, amount in _kinds(billed_now):
            if hours < 0:
                bad_hours.append(f"{worked.worker_name} on {_day(workday)}")
                continue
            if before:  # bill the difference only
                earlier = billed.pop((timesheet_id, workday, kind), None)
                if earlier is not None:
                    hours, amount = hours - earlier["hours"], amount - earlier["amount"]
            if not hours and not amount:
                continue
            if billed_now.bill_rate is None:
                missing_rate.append(f"{worked.worker_name} on {_day(workday)}")
                break  # one message per segment, whatever its kinds of hours
            lines.append(InvoiceLine(
                cooperative=cooperative, timesheet_id=timesheet_id, workday=workday, kind=kind,
                classification_id=worked.classification_id, worker_name=worked.worker_name[:200], hours=hours,
                # The rate the client reads on the line: the bill rate times the kind's multiplier.
                rate=(billed_now.bill_rate * multiplier).quantize(RATE_PLACES), amount=amount,
                corrects_invoice_id=last_invoice[(timesheet_id, workday)] if before else None,
            ))
    # Kinds billed before that the hours no longer have (a timesheet moved to another day,
    # a holiday's hours now regular, overtime gone): credited in full.
    for (timesheet_id, workday, kind), earlier in sorted(billed.items(), key=lambda kv: (kv[0][1], kv[1]["worker_name"], kv[0][0])):
        if earlier["hours"] or earlier["amount"]:
            lines.append(InvoiceLine(
                cooperative=cooperative, timesheet_id=timesheet_id, workday=workday, kind=kind,
                classification_id=earlier["classification_id"], worker_name=earlier["worker_name"], hours=-earlier["hours"],
                rate=(earlier["amount"] / earlier["hours"]).quantize(RATE_PLACES) if earlier["hours"] else Decimal("0"),
                amount=-earlier["amount"], corrects_invoice_id=last_invoice[(timesheet_id, workday)],
            ))
    if missing_rate:
        raise ValidationError(
            "No bill rate is in force for these hours; set the contract's rate for the classification first: "
            + "; ".join(dict.fromkeys(missing_rate)) + "."
        )
    if bad_hours:
        raise ValidationError(
            # A guard: worktime.overtime never gives a part negative hours, but a bill must not net them off.
            "These hours come out negative on a workday; correct the timesheets first: " + "; ".join(dict.fromkeys(bad_hours)) + "."
        )
    if not lines:
        raise ValidationError(
            f"Nothing to bill for {client} from {_day(period_start)} to {_day(period_end)}: no approved hours "
            "that are not on another invoice already, and nothing billed before has changed."
        )
    invoice = Invoice.objects.create(
        cooperative=cooperative, client=client, period_start=period_start, period_end=period_end,
        total=sum((line.amount for line in lines), ZERO), created_by=created_by,
    )
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    audit_log(cooperative=cooperative, action="placements.invoice.created", user=created_by, obj=invoice,
              after={"client": client.name, "period_start": period_start, "period_end": period_end,
                     "lines": len(lines), "total": invoice.total})
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update(of=("self",)).select_related("client").get(pk=invoice.pk)


@transaction.atomic
def invoice_issue(*, invoice: Invoice, issued_by=None) -> Invoice:
    """Give a draft its number (INV-<year>-<5-digit sequence of the co-op and year>), the
    issue date and a due date 30 days later. Returns the issued invoice; raises
    ValidationError unless it is a draft. From here on its lines never change."""
    # The co-op row is the lock of its number sequence: two issues at once would otherwise
    # both read the same highest number and the second would fail on unique_invoice_number.
    cooperative = Cooperative.objects.select_for_update().get(pk=invoice.cooperative_id)
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise ValidationError(f"Only a draft can be issued; this invoice is {invoice.get_status_display().lower()}.")
    issued_on = cooperative.today()
    prefix = f"{NUMBER_PREFIX}-{issued_on.year}-"
    # Zero-padded, so the text order is the number order (up to 99,999 a year).
    last = (
        Invoice.objects.filter(cooperative=cooperative, number__startswith=prefix)
        .order_by("-number").values_list("number", flat=True).first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    invoice.number = f"{prefix}{sequence:05d}"
    invoice.status = Invoice.Status.ISSUED
    invoice.issued_at, invoice.issued_by = timezone.now(), issued_by
    invoice.due_on = issued_on + timedelta(days=PAYMENT_TERMS_DAYS)
    invoice.save(update_fields=["number", "status", "issued_at", "issued_by", "due_on"])
    audit_log(cooperative=cooperative, action="placements.invoice.issued", user=issued_by, obj=invoice,
              before={"status": Invoice.Status.DRAFT},
              after={"status": invoice.status, "number": invoice.number, "total": invoice.total, "due_on": invoice.due_on})
    return invoice


@transaction.atomic
def invoice_mark_paid(*, invoice: Invoice, paid_on: date, reference: str = "", marked_by=None) -> Invoice:
    """Record the client's payment of an issued invoice (the day it arrived and, say, the
    check number). Raises ValidationError unless it is issued, or for a day in the future or
    before the invoice was issued."""
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.ISSUED:
        raise ValidationError(f"Only an issued invoice can be marked paid; this one is {invoice.get_status_display().lower()}.")
    today = invoice.cooperative.today()
    issued_on = timezone.localdate(invoice.issued_at, timezone=invoice.cooperative.zone)
    if paid_on > today:
        raise ValidationError({"paid_on": "A payment is recorded once it has arrived: the date cannot be in the future."})
    if paid_on < issued_on:
        raise ValidationError({"paid_on": f"The invoice was issued on {_day(issued_on)}; it cannot have been paid before."})
    reference = reference.strip()
    if len(reference) > Invoice._meta.get_field("paid_reference").max_length:
        raise ValidationError({"reference": "At most 80 characters."})
    invoice.status, invoice.paid_on, invoice.paid_reference = Invoice.Status.PAID, paid_on, reference
    invoice.save(update_fields=["status", "paid_on", "paid_reference"])
    audit_log(cooperative=invoice.cooperative, action="placements.invoice.paid", user=marked_by, obj=invoice,
              before={"status": Invoice.Status.ISSUED}, after={"status": invoice.status, "paid_on": paid_on, "reference": reference})
    return invoice


@transaction.atomic
def invoice_void(*, invoice: Invoice, reason: str, voided_by=None) -> Invoice:
    """Void a draft or issued invoice with a reason: its lines are flagged void, so their
    hours can be billed again on a new invoice (an issued invoice keeps its number). Raises
    ValidationError without a reason or for a paid or void invoice."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the invoice is void."})
    if len(reason) > Invoice._meta.get_field("void_reason").max_length:
        raise ValidationError({"reason": "At most 300 characters."})
    invoice = _locked(invoice)
    if invoice.status not in (Invoice.Status.DRAFT, Invoice.Status.ISSUED):
        raise ValidationError(f"Only a draft or issued invoice can be voided; this one is {invoice.get_status_display().lower()}.")
    before = invoice.status
    invoice.status, invoice.voided_at, invoice.void_reason = Invoice.Status.VOID, timezone.now(), reason
    invoice.save(update_fields=["status", "voided_at", "void_reason"])
    invoice.lines.update(is_void=True)
    audit_log(cooperative=invoice.cooperative, action="placements.invoice.voided", user=voided_by, obj=invoice,
              before={"status": before}, after={"status": invoice.status}, data={"reason": reason})
    return invoice


@transaction.atomic
def invoice_delete_draft(*, invoice: Invoice, deleted_by=None) -> None:
    """Delete a draft and its lines (it never had a number, so no gap is left). Raises
    ValidationError for an issued, paid or void invoice: those stay on record."""
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise ValidationError("Only a draft can be deleted; void an issued invoice instead.")
    # An adjustment (on another invoice, void or not) is the difference from this draft's
    # lines: deleting them would leave it standing alone (and corrects_invoice protects them).
    adjusting = InvoiceLine.objects.filter(corrects_invoice=invoice).exclude(invoice=invoice).select_related("invoice").first()
    if adjusting is not None:
        raise ValidationError(f"{adjusting.invoice} adjusts the hours of this draft, so it cannot be deleted: void it instead "
                              "(or delete that draft first).")
    audit_log(cooperative=invoice.cooperative, action="placements.invoice.deleted", user=deleted_by, obj=invoice,
              before={"client": invoice.client.name, "period_start": invoice.period_start, "period_end": invoice.period_end,
                      "total": invoice.total})
    invoice.delete()
