"""Client invoices: lines and totals to the cent, hours billed once, the number sequence, the
life cycle (an issued invoice never changes), the PDF, the staff pages, the client portal and
the API.

Dates are in October 2026 (time already worked; Pacific daylight time all month). The co-op's
workday starts at midnight and its workweek on Sunday (Oct 4 is a Sunday).
"""

import re
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from alliedup.models import AuditEvent
from placements.billing import approved_timesheets, billed_segments
from placements.documents import invoice_pdf
from placements.models import BillRate, Client, ClientContact, Invoice, InvoiceLine, Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.invoices import (
    invoice_create,
    invoice_delete_draft,
    invoice_issue,
    invoice_mark_paid,
    invoice_void,
)
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_submit
from tests.conftest import OUTSIDER_MARKER
from tests.members.factories import JobClassificationFactory, WorkerFactory

LA = ZoneInfo("America/Los_Angeles")
MON, TUE, WED = date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7)
OCTOBER = {"period_start": date(2026, 10, 1), "period_end": date(2026, 10, 31)}


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LA)


def _approved(contract, classification, worker, day, clock_in, clock_out, break_minutes=0):
    """An approved timesheet of `worker` on `day` (clock times at the site, (hour, minute))."""
    order = job_order_create(contract=contract, classification=classification, starts_on=day, ends_on=day,
                             shift_start=time(*clock_in), shift_end=time(*clock_out))
    assignment = shift_assign(shift=Shift.objects.get(job_order=order), worker=worker)
    out_day = day if clock_out > clock_in else day + timedelta(days=1)
    timesheet = timesheet_submit(assignment=assignment, clock_in=_at(day, *clock_in), clock_out=_at(out_day, *clock_out),
                                 break_minutes=break_minutes)
    timesheet_approve(timesheet=timesheet, approved_by=None, on_behalf_of_client=True)
    return timesheet


@pytest.fixture
def eastbay(contract):
    """The conftest's client: LVN at $52.00/h, overtime ×1.50, double time ×2.00."""
    return contract.client


@pytest.fixture
def rosa(alliedup, lvn):
    return WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", classifications=[lvn])


@pytest.fixture
def three_shifts(contract, lvn, rosa):
    """8.5 h Monday, 12.5 h Tuesday, 8.5 h Wednesday, no breaks."""
    return [
        _approved(contract, lvn, rosa, MON, (7, 0), (15, 30)),
        _approved(contract, lvn, rosa, TUE, (7, 0), (19, 30)),
        _approved(contract, lvn, rosa, WED, (7, 0), (15, 30)),
    ]


@pytest.fixture
def cna(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")


@pytest.fixture
def harbor(alliedup, cna):
    """A second client whose CNA rate does not divide evenly: $31.1250/h."""
    client = client_create(cooperative=alliedup, name="Harbor Clinic", address="1 Harbor Way, Oakland CA")
    contract = contract_create(client=client, reference="HC-2026", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=cna, effective_from=date(2026, 1, 1), regular_rate="31.1250")
    return client


def _lines(invoice):
    return [(line.workday, line.kind, line.hours, line.rate, line.amount) for line in invoice.lines.order_by("workday", "kind")]


# --- arithmetic -------------------------------------------------------------------------------


def test_lines_bill_regular_overtime_and_double_time_at_the_contracts_multipliers(eastbay, three_shifts):
    invoice = invoice_create(client=eastbay, **OCTOBER)

    # CA daily rule: over 8 h at ×1.5, over 12 h at ×2. $52.00 × 1.5 = $78.00, × 2 = $104.00.
    assert _lines(invoice) == [
        (MON, "overtime", Decimal("0.50"), Decimal("78.0000"), Decimal("39.00")),     # 0.5 × 78.00
        (MON, "regular", Decimal("8.00"), Decimal("52.0000"), Decimal("416.00")),     # 8 × 52.00
        (TUE, "double", Decimal("0.50"), Decimal("104.0000"), Decimal("52.00")),      # 0.5 × 104.00
        (TUE, "overtime", Decimal("4.00"), Decimal("78.0000"), Decimal("312.00")),    # 4 × 78.00
        (TUE, "regular", Decimal("8.00"), Decimal("52.0000"), Decimal("416.00")),     # 8 × 52.00
        (WED, "overtime", Decimal("0.50"), Decimal("78.0000"), Decimal("39.00")),     # 0.5 × 78.00
        (WED, "regular", Decimal("8.00"), Decimal("52.0000"), Decimal("416.00")),     # 8 × 52.00
    ]
    # 416 + 39 + 416 + 312 + 52 + 416 + 39
    assert invoice.total == Decimal("1690.00")
    assert invoice.total == sum(line.amount for line in invoice.lines.all())
    assert (invoice.status, invoice.number) == ("draft", "")
    assert {line.worker_name for line in invoice.lines.all()} == {"Rosa Delgado"}
    assert AuditEvent.objects.filter(action="placements.invoice.created", object_id=str(invoice.pk)).exists()


def test_a_holiday_bills_its_hours_at_the_larger_of_their_multiplier_and_the_holiday_multiplier(alliedup, eastbay,
                                                                                                 three_shifts):
    from worktime.services import holiday_add

    holiday_add(cooperative=alliedup, day=TUE, name="Founders' Day")
    invoice = invoice_create(client=eastbay, **OCTOBER)
    # The contract's holiday multiplier is ×1.50: Tuesday's 8 straight hours bill as holiday
    # hours at $52.00 × 1.5 = $78.00; its overtime at the larger of ×1.50 and ×1.50; its
    # double time at the larger of ×2.00 and ×1.50. Monday and Wednesday are ordinary days.
    tuesday = [line for line in _lines(invoice) if line[0] == TUE]
    assert tuesday == [
        (TUE, "double", Decimal("0.50"), Decimal("104.0000"), Decimal("52.00")),     # 0.5 × 104.00
        (TUE, "holiday", Decimal("8.00"), Decimal("78.0000"), Decimal("624.00")),    # 8 × 78.00
        (TUE, "overtime", Decimal("4.00"), Decimal("78.0000"), Decimal("312.00")),   # 4 × 78.00
    ]
    # 1690.00 without the holiday, plus Tuesday's 8 hours × $26.00 more
    assert invoice.total == Decimal("1690.00") + 8 * Decimal("26.00")


def test_each_line_rounds_half_up_and_the_total_is_the_sum_of_the_rounded_lines(alliedup, harbor, cna):
    contract = harbor.contracts.get()
    ana = WorkerFactory(cooperative=alliedup, first_name="Ana", last_name="Ruiz", classifications=[cna])
    ben = WorkerFactory(cooperative=alliedup, first_name="Ben", last_name="Okafor", classifications=[cna])
    _approved(contract, cna, ana, MON, (7, 0), (14, 20))   # 7 h 20 min = 7.33 h
    _approved(contract, cna, ben, MON, (7, 0), (14, 20))   # 7.33 h
    _approved(contract, cna, ana, TUE, (7, 0), (8, 0))     # 1.00 h

    invoice = invoice_create(client=harbor, **OCTOBER)

    amounts = sorted((line.worker_name, line.workday, line.hours, line.amount) for line in invoice.lines.all())
    assert amounts == [
        ("Ana Ruiz", MON, Decimal("7.33"), Decimal("228.15")),   # 7.33 × 31.1250 = 228.14625 → 228.15
        ("Ana Ruiz", TUE, Decimal("1.00"), Decimal("31.13")),    # 31.125 → 31.13 (half up, not half even)
        ("Ben Okafor", MON, Decimal("7.33"), Decimal("228.15")),
    ]
    assert invoice.total == Decimal("228.15") + Decimal("31.13") + Decimal("228.15") == Decimal("487.43")
    # Rounding the sum instead would give 15.66 × 31.125 = 487.4175 → 487.42: lines are what the client checks.
    assert invoice.total == sum(line.amount for line in invoice.lines.all())
    assert {line.rate for line in invoice.lines.all()} == {Decimal("31.1250")}


def test_a_night_shift_across_the_period_edge_bills_only_the_workday_inside_it(eastbay, lvn, rosa, contract):
    # 19:00 Oct 31 → 07:00 Nov 1 (the clocks fall back at 02:00): 5 h on Oct 31, 8 h on Nov 1.
    _approved(contract, lvn, rosa, date(2026, 10, 31), (19, 0), (7, 0))
    october = invoice_create(client=eastbay, **OCTOBER)
    november = invoice_create(client=eastbay, period_start=date(2026, 11, 1), period_end=date(2026, 11, 1))

    assert _lines(october) == [(date(2026, 10, 31), "regular", Decimal("5.00"), Decimal("52.0000"), Decimal("260.00"))]
    assert _lines(november) == [(date(2026, 11, 1), "regular", Decimal("8.00"), Decimal("52.0000"), Decimal("416.00"))]


# --- billed once ------------------------------------------------------------------------------


def test_hours_are_billed_once_and_again_after_a_void(eastbay, three_shifts):
    first = invoice_create(client=eastbay, period_start=MON, period_end=TUE)
    assert first.total == Decimal("1235.00")  # 416 + 39 + 416 + 312 + 52

    # An overlapping period bills only what is not billed yet: Wednesday.
    second = invoice_create(client=eastbay, **OCTOBER)
    assert [line[0] for line in _lines(second)] == [WED, WED] and second.total == Decimal("455.00")

    with pytest.raises(ValidationError, match="Nothing to bill"):
        invoice_create(client=eastbay, **OCTOBER)

    invoice_issue(invoice=first)
    invoice_void(invoice=first, reason="Wrong purchase order number")
    assert set(InvoiceLine.objects.filter(invoice=first).values_list("is_void", flat=True)) == {True}

    again = invoice_create(client=eastbay, **OCTOBER)
    assert again.total == first.total == Decimal("1235.00")
    assert Invoice.objects.get(pk=first.pk).total == Decimal("1235.00")  # the void invoice keeps its lines


def test_a_shift_approved_late_bills_its_hours_and_adjusts_the_overtime_it_moves_onto_billed_hours(eastbay, contract, lvn, rosa):
    # The afternoon shift is approved and billed first: 6 regular hours.
    _approved(contract, lvn, rosa, MON, (14, 0), (20, 0))
    first = invoice_create(client=eastbay, **OCTOBER)
    assert _lines(first) == [(MON, "regular", Decimal("6.00"), Decimal("52.0000"), Decimal("312.00"))]
    # The morning shift of the same day comes in late. Counted in time order the afternoon's
    # hours are now 2 regular + 4 overtime; its segment is billed already, so the morning is
    # billed and the afternoon only adjusted: 4 regular hours fewer, 4 overtime hours more.
    _approved(contract, lvn, rosa, MON, (7, 0), (13, 0))
    afternoon = billed_segments(eastbay.cooperative, approved_timesheets(eastbay.cooperative, MON, MON))[
        (first.lines.get().timesheet_id, MON)]
    assert (afternoon.split.regular, afternoon.split.overtime) == (Decimal("2.00"), Decimal("4.00"))
    second = invoice_create(client=eastbay, **OCTOBER)
    assert sorted(_lines(second)) == sorted([
        (MON, "regular", Decimal("6.00"), Decimal("52.0000"), Decimal("312.00")),     # the morning: 6 × 52.00
        (MON, "regular", Decimal("-4.00"), Decimal("52.0000"), Decimal("-208.00")),   # afternoon: −4 × 52.00
        (MON, "overtime", Decimal("4.00"), Decimal("78.0000"), Decimal("312.00")),    # afternoon: 4 × 78.00
    ])
    adjustments = second.lines.filter(corrects_invoice=first)
    assert adjustments.count() == 2
    # The client's non-void lines now bill Monday's 12 hours as 8 regular + 4 overtime:
    assert sum(InvoiceLine.objects.filter(is_void=False).values_list("hours", flat=True)) == Decimal("12.00")
    assert first.total + second.total == 8 * Decimal("52.00") + 4 * Decimal("78.00")
    # Nothing has changed since: a third draft finds nothing to bill.
    with pytest.raises(ValidationError, match="Nothing to bill"):
        invoice_create(client=eastbay, **OCTOBER)


def test_a_voided_draft_releases_its_hours_too_and_a_deleted_draft_leaves_nothing(eastbay, three_shifts):
    draft = invoice_create(client=eastbay, **OCTOBER)
    invoice_void(invoice=draft, reason="Duplicate")
    other = invoice_create(client=eastbay, **OCTOBER)
    invoice_delete_draft(invoice=other)
    assert not Invoice.objects.filter(pk=other.pk).exists()
    assert not InvoiceLine.objects.filter(invoice_id=other.pk).exists()
    assert invoice_create(client=eastbay, **OCTOBER).total == Decimal("1690.00")


def test_only_the_clients_own_hours_are_billed(alliedup, eastbay, harbor, cna, three_shifts):
    ana = WorkerFactory(cooperative=alliedup, first_name="Ana", last_name="Ruiz", classifications=[cna])
    _approved(harbor.contracts.get(), cna, ana, MON, (7, 0), (8, 0))
    assert invoice_create(client=eastbay, **OCTOBER).total == Decimal("1690.00")
    assert invoice_create(client=harbor, **OCTOBER).total == Decimal("31.13")


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("start, end, field, message", [
    (date(2026, 10, 31), date(2026, 10, 1), "period_end", "on or after"),
    (date(2026, 6, 30), date(2026, 10, 1), "period_end", "93 days"),  # 94 days, both ends counted
])
def test_bad_periods_are_refused(eastbay, three_shifts, start, end, field, message):
    with pytest.raises(ValidationError) as err:
        invoice_create(client=eastbay, period_start=start, period_end=end)
    assert message in " ".join(err.value.message_dict[field])
    assert not Invoice.objects.exists()


def test_a_period_of_exactly_93_days_is_allowed(eastbay, three_shifts):
    assert invoice_create(client=eastbay, period_start=date(2026, 7, 7), period_end=date(2026, 10, 7)).total == Decimal("1690.00")


def test_nothing_to_bill_is_refused(eastbay):
    with pytest.raises(ValidationError, match="Nothing to bill"):
        invoice_create(client=eastbay, **OCTOBER)
    assert not Invoice.objects.exists()


def test_hours_without_a_bill_rate_are_refused_naming_the_worker_and_day(eastbay, three_shifts, contract):
    # A rate can only be added, never removed, by the services; this stands for data fixed by hand.
    BillRate.objects.filter(contract=contract).delete()
    with pytest.raises(ValidationError) as err:
        invoice_create(client=eastbay, **OCTOBER)
    assert "Rosa Delgado on Oct 5, 2026" in err.value.messages[0]
    assert "Rosa Delgado on Oct 7, 2026" in err.value.messages[0]
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


# --- life cycle ---------------------------------------------------------------------------------


def test_issue_numbers_per_cooperative_and_year_and_sets_the_due_date(alliedup, eastbay, harbor, cna, three_shifts, alliedup_users):
    ana = WorkerFactory(cooperative=alliedup, classifications=[cna])
    _approved(harbor.contracts.get(), cna, ana, MON, (7, 0), (8, 0))
    # Last year's sequence does not continue into this one.
    Invoice.objects.create(cooperative=alliedup, client=eastbay, number="INV-2025-00041", period_start=date(2025, 12, 1),
                           period_end=date(2025, 12, 31), status="paid")
    today = alliedup.today()

    first = invoice_issue(invoice=invoice_create(client=eastbay, **OCTOBER), issued_by=alliedup_users["payroll"])
    second = invoice_issue(invoice=invoice_create(client=harbor, **OCTOBER))

    assert (first.number, second.number) == (f"INV-{today.year}-00001", f"INV-{today.year}-00002")
    assert first.status == "issued" and first.issued_by == alliedup_users["payroll"]
    assert first.due_on == today + timedelta(days=30)
    assert AuditEvent.objects.filter(action="placements.invoice.issued", object_id=str(first.pk)).count() == 1

    # A void invoice keeps its number: the next one never reuses it.
    invoice_void(invoice=second, reason="Sent to the wrong client")
    third = invoice_issue(invoice=invoice_create(client=harbor, **OCTOBER))
    assert third.number == f"INV-{today.year}-00003"


def test_an_issued_invoice_never_changes(eastbay, three_shifts):
    invoice = invoice_issue(invoice=invoice_create(client=eastbay, **OCTOBER))
    lines = _lines(invoice)
    with pytest.raises(ValidationError, match="Only a draft can be issued"):
        invoice_issue(invoice=invoice)
    with pytest.raises(ValidationError, match="Only a draft can be deleted"):
        invoice_delete_draft(invoice=invoice)
    with pytest.raises(ValidationError, match="Nothing to bill"):
        invoice_create(client=eastbay, **OCTOBER)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.total, _lines(invoice)) == ("issued", Decimal("1690.00"), lines)


def test_mark_paid_then_no_void(alliedup, eastbay, three_shifts):
    draft = invoice_create(client=eastbay, **OCTOBER)
    with pytest.raises(ValidationError, match="Only an issued invoice"):
        invoice_mark_paid(invoice=draft, paid_on=alliedup.today())
    invoice = invoice_issue(invoice=draft)
    with pytest.raises(ValidationError) as err:
        invoice_mark_paid(invoice=invoice, paid_on=alliedup.today() + timedelta(days=1))
    assert "paid_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        invoice_mark_paid(invoice=invoice, paid_on=alliedup.today() - timedelta(days=1))
    assert "paid_on" in err.value.message_dict

    paid = invoice_mark_paid(invoice=invoice, paid_on=alliedup.today(), reference=" Check 10442 ")
    assert (paid.status, paid.paid_on, paid.paid_reference) == ("paid", alliedup.today(), "Check 10442")
    with pytest.raises(ValidationError, match="draft or issued"):
        invoice_void(invoice=paid, reason="Oops")
    with pytest.raises(ValidationError) as err:
        invoice_void(invoice=paid, reason="  ")
    assert "reason" in err.value.message_dict


# --- PDF --------------------------------------------------------------------------------------


def _pdf_texts(pdf: bytes) -> str:
    """Text a PDF carries where a test can read it: with pypdf if installed, else the
    document's title (WeasyPrint writes the HTML <title> into a compressed object stream as
    UTF-16 hex)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        pass
    else:
        import io

        reader = PdfReader(io.BytesIO(pdf))
        return (reader.metadata.title or "") + "\n".join(page.extract_text() for page in reader.pages)
    texts = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            data = zlib.decompressobj().decompress(pdf[match.end():])
        except zlib.error:
            continue
        for hexed in re.findall(rb"/Title <([0-9a-fA-F]+)>", data):
            texts.append(bytes.fromhex(hexed.decode()).decode("utf-16"))
    return "\n".join(texts)


def test_the_pdf_is_a_real_pdf_with_the_number(eastbay, three_shifts):
    invoice = invoice_issue(invoice=invoice_create(client=eastbay, **OCTOBER))
    pdf = invoice_pdf(invoice)
    assert pdf.startswith(b"%PDF-")
    assert invoice.number in _pdf_texts(pdf)


# --- staff pages ----------------------------------------------------------------------------------


def url(name, **kwargs):
    return reverse(f"placements:{name}", kwargs={"coop_slug": "alliedup", **kwargs})


def test_staff_draft_issue_pay_and_download_through_the_pages(login, alliedup_users, eastbay, three_shifts):
    page = login(alliedup_users["payroll"])
    response = page.post(url("invoice_create"), {"client": eastbay.uuid, "period_start": "2026-10-01", "period_end": "2026-10-31"})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == url("invoice_detail", invoice_uuid=invoice.uuid)

    detail = page.get(url("invoice_detail", invoice_uuid=invoice.uuid))
    assert detail.status_code == 200
    assert b"$1,690.00" in detail.content and b"Rosa Delgado" in detail.content and b"Issue invoice" in detail.content

    assert page.post(url("invoice_issue", invoice_uuid=invoice.uuid)).status_code == 302
    invoice.refresh_from_db()
    assert invoice.number.startswith("INV-")
    bad = page.post(url("invoice_mark_paid", invoice_uuid=invoice.uuid), {"paid_on": "2099-01-01"})
    assert bad.status_code == 400 and b"future" in bad.content
    page.post(url("invoice_mark_paid", invoice_uuid=invoice.uuid), {"paid_on": invoice.issued_at.astimezone(LA).date().isoformat(),
                                                                    "reference": "ACH 77"})
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.paid_reference == "ACH 77"

    pdf = page.get(url("invoice_pdf", invoice_uuid=invoice.uuid))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert f'filename="{invoice.number}.pdf"' in pdf["Content-Disposition"]

    listing = page.get(url("invoices"), {"status": "paid", "client": eastbay.uuid})
    assert invoice.number.encode() in listing.content
    assert invoice.number.encode() not in page.get(url("invoices"), {"status": "draft"}).content


def test_a_refused_draft_shows_the_reason_on_the_form(login, alliedup_users, eastbay):
    response = login(alliedup_users["coordinator"]).post(
        url("invoice_create"), {"client": eastbay.uuid, "period_start": "2026-10-01", "period_end": "2026-10-31"})
    assert response.status_code == 400 and b"Nothing to bill" in response.content
    assert not Invoice.objects.exists()


def test_void_through_the_page_needs_a_reason(login, alliedup_users, eastbay, three_shifts):
    invoice = invoice_create(client=eastbay, **OCTOBER)
    page = login(alliedup_users["admin"])
    assert page.post(url("invoice_void", invoice_uuid=invoice.uuid), {"reason": ""}).status_code == 400
    assert page.post(url("invoice_void", invoice_uuid=invoice.uuid), {"reason": "Duplicate"}).status_code == 302
    assert Invoice.objects.get().status == "void"


@pytest.mark.parametrize("role", ["worker", "client"])
def test_invoice_pages_are_for_staff(login, alliedup_users, eastbay, three_shifts, role):
    invoice = invoice_create(client=eastbay, **OCTOBER)
    page = login(alliedup_users[role])
    assert page.get(url("invoices")).status_code == 403
    assert page.get(url("invoice_pdf", invoice_uuid=invoice.uuid)).status_code == 403
    assert page.post(url("invoice_issue", invoice_uuid=invoice.uuid)).status_code == 403


def _invoices(alliedup, client, count):
    start = Invoice.objects.count()
    for i in range(start, start + count):
        Invoice.objects.create(cooperative=alliedup, client=client, number=f"INV-2026-{90000 + i}", status="issued",
                               period_start=date(2026, 9, 1), period_end=date(2026, 9, 30), total="10.00")


def test_the_list_page_takes_the_same_few_queries_for_any_number_of_invoices(
    login, alliedup, alliedup_users, eastbay, harbor, django_assert_max_num_queries
):
    page = login(alliedup_users["coordinator"])
    _invoices(alliedup, eastbay, 1)
    with CaptureQueriesContext(connection) as one:
        assert page.get(url("invoices")).status_code == 200
    _invoices(alliedup, harbor, 30)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = page.get(url("invoices"))
    assert response.status_code == 200 and response.content.count(b'id="invoice-') == 31


def test_another_cooperatives_invoice_is_a_404(login, alliedup_users, nursescan):
    with scopes_disabled():
        client = Client.objects.create(cooperative=nursescan, name=OUTSIDER_MARKER)
        theirs = Invoice.objects.create(cooperative=nursescan, client=client, number=OUTSIDER_MARKER, status="issued",
                                        period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    page = login(alliedup_users["admin"])
    for name in ("invoice_detail", "invoice_pdf"):
        assert page.get(url(name, invoice_uuid=theirs.uuid)).status_code == 404
    assert page.post(url("invoice_issue", invoice_uuid=theirs.uuid)).status_code == 404
    assert OUTSIDER_MARKER.encode() not in page.get(url("invoices")).content


# --- client portal ----------------------------------------------------------------------------------


def test_a_client_sees_and_downloads_only_its_own_issued_invoices(login, alliedup, alliedup_users, eastbay, harbor, cna, three_shifts):
    ClientContact.objects.create(cooperative=alliedup, client=eastbay, user=alliedup_users["client"])
    ana = WorkerFactory(cooperative=alliedup, classifications=[cna])
    _approved(harbor.contracts.get(), cna, ana, MON, (7, 0), (8, 0))
    own = invoice_issue(invoice=invoice_create(client=eastbay, period_start=MON, period_end=TUE))
    draft = invoice_create(client=eastbay, period_start=WED, period_end=WED)
    other = invoice_issue(invoice=invoice_create(client=harbor, **OCTOBER))

    page = login(alliedup_users["client"])
    listing = page.get(url("client_invoices"))
    assert listing.status_code == 200
    assert own.number.encode() in listing.content and b"$1,235.00" in listing.content
    assert other.number.encode() not in listing.content and b"$455.00" not in listing.content  # the draft's total

    pdf = page.get(url("client_invoice_pdf", invoice_uuid=own.uuid))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert page.get(url("client_invoice_pdf", invoice_uuid=draft.uuid)).status_code == 404
    assert page.get(url("client_invoice_pdf", invoice_uuid=other.uuid)).status_code == 404
    invoice_void(invoice=own, reason="Reissued")
    assert page.get(url("client_invoice_pdf", invoice_uuid=own.uuid)).status_code == 404


# --- API ---------------------------------------------------------------------------------------------

API = "/api/v1/c/alliedup/placements"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_drafts_issues_pays_and_downloads(alliedup, alliedup_users, eastbay, three_shifts):
    staff = _api(alliedup_users["payroll"])
    created = staff.post(f"{API}/invoices/", {"client": str(eastbay.uuid), "period_start": "2026-10-01",
                                              "period_end": "2026-10-31"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["number"], body["total"], body["client_name"]) == ("draft", "", "1690.00", eastbay.name)
    assert body["lines"][0] == {
        "workday": "2026-10-05", "worker_name": "Rosa Delgado", "classification": "lvn", "kind": "overtime",
        "hours": "0.50", "rate": "78.0000", "amount": "39.00", "timesheet": str(three_shifts[0].uuid),
        "corrects_invoice": None,
    }
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(body["total"])
    uuid = body["uuid"]

    again = staff.post(f"{API}/invoices/", {"client": str(eastbay.uuid), "period_start": "2026-10-01",
                                            "period_end": "2026-10-31"}, format="json")
    assert again.status_code == 400 and "Nothing to bill" in str(again.json())

    issued = staff.post(f"{API}/invoices/{uuid}/issue/")
    assert issued.status_code == 200 and issued.json()["number"].startswith("INV-")
    assert staff.post(f"{API}/invoices/{uuid}/issue/").status_code == 400
    assert staff.delete(f"{API}/invoices/{uuid}/").status_code == 400

    listing = staff.get(f"{API}/invoices/", {"status": "issued"}).json()
    assert [row["uuid"] for row in listing["results"]] == [uuid]
    assert staff.get(f"{API}/invoices/", {"status": "nonsense"}).status_code == 400

    paid = staff.post(f"{API}/invoices/{uuid}/paid/", {"paid_on": alliedup.today().isoformat(), "reference": "Check 1"}, format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert staff.post(f"{API}/invoices/{uuid}/void/", {"reason": "x"}, format="json").status_code == 400

    pdf = staff.get(f"{API}/invoices/{uuid}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")

    # The client contact sees it through its own routes; staff routes are closed to it.
    ClientContact.objects.create(cooperative=alliedup, client=eastbay, user=alliedup_users["client"])
    client = _api(alliedup_users["client"])
    assert [row["uuid"] for row in client.get(f"{API}/client/invoices/").json()["results"]] == [uuid]
    assert client.get(f"{API}/client/invoices/{uuid}/pdf/").status_code == 200
    assert client.get(f"{API}/invoices/").status_code == 403


def test_the_api_voids_and_deletes_drafts(alliedup_users, eastbay, three_shifts):
    staff = _api(alliedup_users["coordinator"])
    draft = invoice_create(client=eastbay, **OCTOBER)
    assert staff.post(f"{API}/invoices/{draft.uuid}/void/", {"reason": ""}, format="json").status_code == 400
    voided = staff.post(f"{API}/invoices/{draft.uuid}/void/", {"reason": "Duplicate"}, format="json")
    assert voided.status_code == 200 and voided.json()["status"] == "void" and voided.json()["void_reason"] == "Duplicate"
    other = invoice_create(client=eastbay, **OCTOBER)
    assert staff.delete(f"{API}/invoices/{other.uuid}/").status_code == 204
    assert not Invoice.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_invoices_issued_at_the_same_moment_get_different_numbers(alliedup, eastbay, three_shifts, monkeypatch):
    """Staff issue three drafts at once: the co-op row lock makes each wait for the one
    before to commit its number, so none reads the same highest number (no IntegrityError)."""
    import threading
    import time as clock
    from types import SimpleNamespace

    from django.db import connections
    from django.utils import timezone
    from django_scopes import scope

    # Widen the window between reading the highest number and saving the new one.
    slow_now = SimpleNamespace(now=lambda: clock.sleep(0.3) or timezone.now(), localdate=timezone.localdate)
    monkeypatch.setattr("placements.services.invoices.timezone", slow_now)

    drafts = [invoice_create(client=eastbay, period_start=day, period_end=day) for day in (MON, TUE, WED)]
    barrier, numbers, errors = threading.Barrier(len(drafts)), [], []

    def issue(draft):
        try:
            with scope(cooperative=alliedup):
                barrier.wait()
                numbers.append(invoice_issue(invoice=draft).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    year = alliedup.today().year
    assert errors == []
    assert sorted(numbers) == [f"INV-{year}-00001", f"INV-{year}-00002", f"INV-{year}-00003"]


@pytest.mark.today("2026-11-10")  # the page lists late hours as of today
def test_hours_approved_after_their_period_was_invoiced_are_listed_until_drafted_again(alliedup, alliedup_users, login, eastbay,
                                                                                         contract, lvn, rosa, three_shifts):
    from placements.selectors.invoices import late_hours_to_bill

    october = invoice_issue(invoice=invoice_create(client=eastbay, **OCTOBER))
    now = datetime(2026, 11, 10, 12, tzinfo=LA)
    assert late_hours_to_bill(alliedup, now=now) == []
    # Thursday's shift (7.5 h) is approved only now, after October was invoiced.
    _approved(contract, lvn, rosa, date(2026, 10, 8), (7, 0), (14, 30))
    [late] = late_hours_to_bill(alliedup, now=now)
    assert (late.invoice, late.timesheets, late.hours) == (october, 1, Decimal("7.50"))
    page = login(alliedup_users["payroll"])
    text = page.get(url("invoices")).content.decode()
    assert "Approved hours not billed yet, in periods already invoiced" in text and october.number in text
    # The one-click draft of October bills it: 7.5 h at $52.00 (no overtime moves: the day is
    # under 8 h and the week's regular hours, 8 + 8 + 8 + 7.5, under 40).
    done = page.post(url("invoice_create"), {"client": str(eastbay.uuid), "period_start": "2026-10-01", "period_end": "2026-10-31"})
    assert done.status_code == 302
    again = Invoice.objects.exclude(pk=october.pk).get()
    assert again.total == Decimal("7.50") * Decimal("52.00")
    assert late_hours_to_bill(alliedup, now=now) == []
