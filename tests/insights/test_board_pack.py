"""The board pack PDF: what it prints of a long finance table, and its query count."""

import io
from datetime import date, time
from decimal import Decimal

import pypdf
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliedup.models import Role
from insights.board_pack import PACK_DETAIL_ROWS, pack_sections
from insights.figure import Figure
from insights.reports import Section
from placements.models import Client, ClientContract, JobOrder
from tests.insights.test_views import _grow

PERIOD = "?start=2025-01-01&end=2026-12-31"


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def _finance(rows: list[dict]) -> Section:
    columns = [("quarter", "Quarter"), ("client", "Client"), ("billed", "Billed"), ("paid", "Wages paid"), ("margin", "Margin"),
               ("absorbed", "Absorbed differential"), ("billed_at_pay", "Billed at pay")]
    return Section(Figure("finance_by_client", "Finance", "definition", date(2025, 1, 1), date(2026, 12, 31), columns, rows), "<svg/>")


def _row(quarter: str, client: str, billed: str, paid: str) -> dict:
    billed_d, paid_d = Decimal(billed), Decimal(paid)
    return {"quarter": quarter, "client": client, "billed": billed_d, "paid": paid_d, "margin": billed_d - paid_d,
            "absorbed": Decimal("1.00"), "billed_at_pay": billed_d}


def test_a_finance_table_a_board_can_read_prints_as_it_is():
    section = _finance([_row("2025-Q1", f"Client {i}", "10.00", "8.00") for i in range(PACK_DETAIL_ROWS)])
    [pack] = pack_sections([section])
    assert [(t.caption, t.section) for t in pack.tables] == [("", section)]
    assert pack.chart_src.startswith("data:image/svg+xml;base64,")


def test_a_long_finance_table_prints_its_totals_by_quarter_and_by_client():
    rows = [_row(f"2025-Q{q}", name, billed, "8.00") for q in (1, 2, 3, 4)
            for name, billed in (("Alder Clinic", "10.00"), ("Birch Clinic", "30.00"))] * 8  # 64 rows
    [pack] = pack_sections([_finance(rows)])
    by_quarter, by_client = pack.tables
    assert "64 rows of client and quarter (2 clients)" in by_quarter.note
    assert [c for c, _ in by_quarter.section.figure.columns] == ["quarter", "billed", "paid", "margin", "absorbed", "billed_at_pay"]
    assert by_quarter.section.figure.rows[0] == {"quarter": "2025-Q1", "billed": Decimal("320.00"), "paid": Decimal("128.00"),
                                                 "margin": Decimal("192.00"), "absorbed": Decimal("16.00"), "billed_at_pay": Decimal("320.00")}
    assert by_quarter.section.figure.rows[-1]["quarter"] == "Period total"
    assert by_quarter.section.figure.rows[-1]["billed"] == sum(r["billed"] for r in rows) == Decimal("1280.00")
    assert [r["client"] for r in by_client.section.figure.rows] == ["Birch Clinic", "Alder Clinic"]  # largest billed first
    assert by_client.section.figure.rows[1]["margin"] == Decimal("64.00")
    assert by_client.section.display_rows[0][1] == ("$960.00", True)
    widths = [float(w.rstrip("%")) for w in by_quarter.column_widths]  # "Period total" and 5 amounts of 8 characters
    assert len(widths) == 6 and abs(sum(widths) - 100) < 0.5 and widths[0] > widths[1] == widths[5]


def test_a_table_too_wide_to_guess_is_left_to_weasyprint():
    wide = _finance([_row("2025-Q1", "A clinic with a long name", "1234567.00", "1.00")])
    assert pack_sections([wide])[0].tables[0].column_widths == []


def test_board_pack_pdf_of_many_clients_prints_the_totals(build, alliedup, alliedup_users, login):
    for i in range(8):  # the wages follow the timesheet's shift to its job order's client
        build.client = Client.objects.create(cooperative=alliedup, name=f"Clinic {i}")
        build.contract = ClientContract.objects.create(cooperative=alliedup, client=build.client, reference=f"C{i}",
                                                       starts_on=date(2025, 1, 1))
        build.order = JobOrder.objects.create(cooperative=alliedup, contract=build.contract, classification=build.ma,
                                              starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31), shift_start=time(7),
                                              shift_end=time(15))
        for quarter in range(8):
            build.pay(workday=date(2025 + quarter // 4, 1 + quarter % 4 * 3, 2), amount="100.00")
    response = login(alliedup_users[Role.BOARD]).get(f"/c/alliedup/insights/board-pack.pdf{PERIOD}")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "64 rows of client and quarter (8 clients) are too many to print" in text
    assert "By quarter, all clients" in text and "By client, whole period" in text
    assert "Period total $0.00 $6,400.00" in text  # nothing invoiced; 64 pay lines of $100
    assert "Clinic 7" in text and "2026-Q4" in text


def test_board_pack_pdf_queries_are_bounded_and_do_not_grow_with_data(build, alliedup_users, login,
                                                                      django_assert_max_num_queries):
    client = login(alliedup_users[Role.BOARD])
    url = f"/c/alliedup/insights/board-pack.pdf{PERIOD}"
    _grow(build, 2)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(build, 25, offset=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(small.captured_queries) <= 25
