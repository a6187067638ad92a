"""Every money and hours figure on pages, PDFs and CSV files is quantized and formatted by one
rule (alliedup.money): two places, half up; "$1,234.50" and "1,234.50" hours on pages and
PDFs; "1234.50" in CSV files. Hourly rates keep up to four places where they have them.

The page test seeds a co-op the way staff would (a CBA and a bill rate with four places, a
week of overtime for two worker-owners, an issued invoice, a patronage allocation with odd
cents, equity paid in), renders every page, PDF and CSV export that shows money or hours, and
reads their visible text for any figure printed another way. PostgreSQL keeps a column's
scale in SUM, so here the pages mostly differ by their thousands separators; SQLite (the
demo mode with no DATABASE_URL) sums in floating point and used to print "$269.060000000000":
the same test run there (DATABASE_URL=sqlite:///…) catches that too."""

import csv
import io
import re
from datetime import date, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.urls import reverse

from alliedup.money import csv_amount, hours_text, money_text, rate_text, sum_to_cents
from insights.reports import HOURS_COLUMNS, MONEY_COLUMNS
from members.models import EquityAccount
from members.services.equity import equity_account_open, equity_payment_record
from payroll.models import PayLine, PayStatement, WageStep
from patronage.services.allocations import allocation_approve, allocation_issue_request, fiscal_year_create
from payroll.services.periods import pay_period_create
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.wages import agreement_create, wage_table_set
from placements.models import BillRate, ClientContact, InvoiceLine, Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.invoices import invoice_create, invoice_issue
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_approve, timesheet_submit
from tests.conftest import clock_at
from tests.members.factories import JobClassificationFactory
from tests.patronage.test_patronage import YEAR, draft, hours, owner

D = Decimal
LA = ZoneInfo("America/Los_Angeles")
TODAY = date(2026, 11, 20)  # the pay run's period (Nov 1–14, 2026) is approved; Q4 2026


# The helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, money, hours_, in_csv", [
    (D("269.060000000000"), "$269.06", "269.06", "269.06"),  # what SQLite's float SUM gave back
    (D("8.10000000000000"), "$8.10", "8.10", "8.10"),
    (D("1234.5"), "$1,234.50", "1,234.50", "1234.50"),
    (D("1234567.005"), "$1,234,567.01", "1,234,567.01", "1234567.01"),  # half up
    (D("-440"), "-$440.00", "-440.00", "-440.00"),
    (D("-0.004"), "$0.00", "0.00", "0.00"),  # never "-0.00"
    (0, "$0.00", "0.00", "0.00"),
    (None, "", "", ""),
])
def test_one_rule_prints_money_and_hours(value, money, hours_, in_csv):
    assert (money_text(value), hours_text(value), csv_amount(value)) == (money, hours_, in_csv)


def test_rates_keep_the_four_places_they_have():
    assert [rate_text(D(r)) for r in ("33.0000", "46.6875", "28.3750", "17.26190000")] == ["33.00", "46.6875", "28.375", "17.2619"]


def test_a_float_sum_of_two_place_columns_comes_back_exact():
    assert sum_to_cents(D("269.060000000000")) == D("269.06") and sum_to_cents(None) == D("0.00")


def test_the_filters_use_the_same_rule():
    from django.template import Context, Template

    text = Template("{% load figures %}{{ a|money }} {{ h|hours }} h ${{ r|rate }}").render(
        Context({"a": D("2650.060000000"), "h": D("1200"), "r": D("46.6875")}))
    assert text == "$2,650.06 1,200.00 h $46.6875"


# The pages -----------------------------------------------------------------------------------------

LONG_DECIMAL = re.compile(r"(\$?)(-?\d[\d,]*\.\d{3,})")
MONEY = re.compile(r"-?\$-?[\d,]*\d(?:\.\d+)?")
BARE_THOUSANDS = re.compile(r"(?<![\d,.$\-])\d{4,}\.\d{2}(?!\d)")  # 1200.00 h: a separator is missing
TWO_PLACES_MONEY = re.compile(r"-?\$\d{1,3}(?:,\d{3})*\.\d{2}")


class _Text(HTMLParser):
    """The text a reader sees: text nodes only (no attributes, so no UUIDs in links), without
    scripts and styles, nor <pre>/<code> (the audit trail's raw record of stored values, action
    names); SVG <title>s stay (they are a chart's tooltips)."""

    SKIP = ("script", "style", "pre", "code")

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def figure_problems(text: str, rates: set[str]) -> list[str]:
    """Figures of a page or PDF not printed by the rule. A number with more than two places
    passes only as "$" + an hourly rate the data really has (rate_text of a stored rate)."""
    problems = []
    for m in LONG_DECIMAL.finditer(text):
        if not (m.group(1) == "$" and m.group(2) in rates):
            problems.append(f"more than two places: {text[max(m.start() - 40, 0):m.end() + 10]!r}")
    for m in MONEY.finditer(text):
        figure = m.group(0)
        if figure.lstrip("-$") in rates:
            continue
        if not TWO_PLACES_MONEY.fullmatch(figure):
            problems.append(f"money not as $1,234.50: {text[max(m.start() - 40, 0):m.end() + 10]!r}")
    for m in BARE_THOUSANDS.finditer(text):
        problems.append(f"no thousands separator: {text[max(m.start() - 40, 0):m.end() + 10]!r}")
    return problems


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


PLAIN_TWO_PLACES = re.compile(r"-?\d+\.\d{2}")


def csv_problems(rows: list[list[str]], columns: set[str]) -> list[str]:
    """Money and hours cells (by header) hold exactly two places, no separators; no other
    cell holds more than two places. A blank row starts a new block with its own header."""
    problems, header = [], None
    for row in rows:
        if not row:
            header = None
            continue
        if header is None:
            header = row
            continue
        for key, cell in zip(header, row):
            if key in columns and cell and not PLAIN_TWO_PLACES.fullmatch(cell):
                problems.append(f"{key}={cell!r} in {row}")
            elif re.search(r"\d\.\d{3,}", cell):
                problems.append(f"{key}={cell!r} (more than two places) in {row}")
    return problems


@pytest.fixture
def books(alliedup, alliedup_users, in_scope, django_capture_on_commit_callbacks):
    """A co-op with a bit of everything, as of Friday 2026-11-20 (see the module docstring)."""
    with clock_at("2026-11-20"), in_scope(alliedup):
        users = alliedup_users
        ma = JobClassificationFactory(cooperative=alliedup, code="ma", name="Medical Assistant")
        cba = agreement_create(cooperative=alliedup, name="CBA 2026–2027", union="SEIU-UHW", starts_on=date(2026, 1, 1),
                               ends_on=date(2027, 6, 30), dues_kind="percent", dues_percent="1.50")
        wage_table_set(agreement=cba, classification=ma, effective_from=date(2026, 1, 1), steps={1: D("33.1250"), 2: D("34.1175")})
        client = client_create(cooperative=alliedup, name="Valley Clinic")
        contract = contract_create(client=client, reference="VC-2026", starts_on=date(2026, 1, 1))
        bill_rate_set(contract=contract, classification=ma, effective_from=date(2026, 1, 1), regular_rate="28.3750")
        ClientContact.objects.create(cooperative=alliedup, client=client, user=users["client"])

        # Two worker-owners since 2024 (Rosa is the worker-role user's record), with their 2025
        # hours for patronage and equity paid in.
        rosa = owner(alliedup, date(2024, 1, 1), first_name="Rosa", last_name="Diaz", hire_date=date(2023, 6, 5),
                     user=users["worker"], classifications=[ma], owner_classification=ma)
        li = owner(alliedup, date(2024, 1, 1), first_name="Li", last_name="Chen", hire_date=date(2023, 6, 5),
                   classifications=[ma], owner_classification=ma)
        hours(rosa, ma, date(2025, 2, 3), "1234.50")
        hours(li, ma, date(2025, 2, 3), "311.25")
        for worker in (rosa, li):
            account = equity_account_open(worker=worker, plan=EquityAccount.Plan.FULL, start_on=date(2024, 1, 1))
            equity_payment_record(account=account, amount="250.00", effective_on=date(2024, 1, 2), reference=f"CHK-{worker.pk}")

        # A week of ten-hour days (two hours of daily overtime each), approved by the client.
        period = pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 1))
        for worker in (rosa, li):
            for day in [date(2026, 11, 2) + timedelta(days=d) for d in range(5)]:
                order = job_order_create(contract=contract, classification=ma, starts_on=day, ends_on=day,
                                         shift_start=time(7), shift_end=time(17, 30))
                shift = Shift.objects.get(job_order=order)
                assignment = shift_assign(shift=shift, worker=worker)
                timesheet = timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at,
                                             break_minutes=30)
                timesheet_approve(timesheet=timesheet, approved_by=users["client"])
        run = payrun_approve(run=payrun_calculate(run=period.run), approved_by=users["payroll"])
        invoice = invoice_issue(invoice=invoice_create(client=client, period_start=date(2026, 11, 1), period_end=date(2026, 11, 14)))

        # Fiscal 2025's patronage: odd cents, issued (capital accounts posted).
        year = fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1])
        allocation = allocation_approve(allocation=draft(year, net="123456.78", reserve="30.00"), approved_by=users["admin"])
        with django_capture_on_commit_callbacks(execute=True):
            allocation_issue_request(allocation=allocation, requested_by=users["admin"])
        allocation.refresh_from_db()

        rates = {rate_text(r) for model, field in ((PayLine, "rate"), (InvoiceLine, "rate"), (BillRate, "regular_rate"),
                                                    (WageStep, "hourly_rate"))
                 for r in model.objects.values_list(field, flat=True)}
        statement = PayStatement.objects.get(run=run, worker=rosa)
        yield {"users": users, "rosa": rosa, "run": run, "statement": statement, "invoice": invoice, "client": client,
               "allocation": allocation, "agreement": cba, "rates": rates}


def _url(name, **kwargs):
    return reverse(name, kwargs={"coop_slug": "alliedup", **kwargs})


def test_every_page_pdf_and_csv_prints_money_and_hours_by_the_rule(books, login):
    b = books
    run, statement, invoice, allocation, rosa = b["run"], b["statement"], b["invoice"], b["allocation"], b["rosa"]
    period = "start=2025-01-01&end=2026-12-31"
    floor = "?first_day=2026-10-01&last_day=2026-12-31"
    pages = {
        "admin": [
            _url("staff_home"),
            _url("payroll:runs"), _url("payroll:run_detail", run_uuid=run.uuid),
            _url("payroll:statement_detail", statement_uuid=statement.uuid),
            _url("payroll:wage_floor") + floor, _url("payroll:sick_leave_record", worker_uuid=rosa.uuid),
            _url("payroll:sick_requests"), _url("payroll:agreement_detail", agreement_uuid=b["agreement"].uuid),
            _url("payroll:patronage:years"), _url("payroll:patronage:allocation_detail", allocation_uuid=allocation.uuid),
            _url("payroll:patronage:capital_account", worker_uuid=rosa.uuid),
            _url("placements:invoices"), _url("placements:invoice_detail", invoice_uuid=invoice.uuid),
            _url("placements:client_detail", client_uuid=b["client"].uuid),
            _url("members:pipeline"), _url("members:worker_detail", worker_uuid=rosa.uuid),
            _url("insights:staff") + "?" + period, _url("insights:board") + "?" + period,
        ],
        "worker": [
            _url("payroll:my_statements"), _url("payroll:my_sick_leave"), _url("payroll:my_wage"),
            _url("payroll:patronage:my_capital"), _url("members:my_ownership"), _url("insights:owner") + "?" + period,
        ],
        "client": [_url("placements:client_invoices")],
    }
    pdfs = {
        "admin": [
            _url("payroll:statement_pdf", statement_uuid=statement.uuid), _url("payroll:run_statements_pdf", run_uuid=run.uuid),
            _url("placements:invoice_pdf", invoice_uuid=invoice.uuid),
            _url("payroll:patronage:notice", allocation_uuid=allocation.uuid, worker_uuid=rosa.uuid),
            _url("insights:board_pdf") + "?" + period,
        ],
        "worker": [_url("payroll:my_statement_pdf", statement_uuid=statement.uuid),
                   _url("payroll:patronage:my_notice", allocation_uuid=allocation.uuid)],
        "client": [_url("placements:client_invoice_pdf", invoice_uuid=invoice.uuid)],
    }
    problems, seen = {}, {}
    with clock_at("2026-11-20"):
        clients = {role: login(b["users"][role]) for role in pages}
        for role, urls in pages.items():
            for url in urls:
                response = clients[role].get(url)
                assert response.status_code == 200, url
                text = page_text(response.content.decode())
                seen[url] = text
                problems[url] = figure_problems(text, b["rates"])
        for role, urls in pdfs.items():
            for url in urls:
                response = clients[role].get(url)
                assert response.status_code == 200, url
                text = pdf_text(response.content)
                seen[url] = text
                problems[url] = figure_problems(text, b["rates"])

        admin = clients["admin"]
        two_places = {"hours", "billed", "paid", "margin", "absorbed", "amount", "box1_patronage_dividends", "cash_paid",
                      "qualified_notice_retained", "cash_amount"}
        exports = {
            "wage floor": admin.get(_url("payroll:wage_floor_csv") + floor),
            "1099-PATR": admin.get(_url("payroll:patronage:allocation_patr_csv", allocation_uuid=allocation.uuid)),
            "cash": admin.get(_url("payroll:patronage:allocation_cash_csv", allocation_uuid=allocation.uuid)),
            "processor": admin.post(_url("payroll:run_export", run_uuid=run.uuid)),
        }
        for name, response in exports.items():
            rows = csv_rows(response)
            assert len(rows) > 1, name
            problems[f"{name} CSV"] = csv_problems(rows, two_places)
        for report in ("staff", "board"):
            rows = csv_rows(admin.get(_url(f"insights:{report}_csv") + "?" + period))
            problems[f"insights {report} CSV"] = csv_problems(rows, MONEY_COLUMNS | HOURS_COLUMNS)

    assert {url: p for url, p in problems.items() if p} == {}
    # The figures are there, printed by the rule: the run's gross and the invoice's total run
    # past $1,000, the members' capital accounts past $10,000.
    gross = PayStatement.objects.filter(run=run).values_list("gross", flat=True)
    assert money_text(sum(gross)) in seen[_url("payroll:run_detail", run_uuid=run.uuid)]
    assert money_text(statement.gross) in seen[_url("payroll:my_statements")] and sum(gross) > 1000
    assert money_text(invoice.total) in seen[_url("placements:invoice_detail", invoice_uuid=invoice.uuid)]
    assert money_text(invoice.total) in seen[_url("placements:client_invoices")]
    assert "1,234.50" in seen[_url("payroll:patronage:notice", allocation_uuid=allocation.uuid, worker_uuid=rosa.uuid)]
    assert "Valley Clinic" in seen[_url("payroll:wage_floor") + floor]
    # Rates keep the four places they have: the wage $33.1250 and its overtime premium.
    detail = seen[_url("payroll:statement_detail", statement_uuid=statement.uuid)]
    assert "$33.125" in detail and "$16.5625" in detail
