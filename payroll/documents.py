"""Pay statements as PDF (WeasyPrint), with what a California wage statement must show
(Labor Code §226(a) and §246(i)): gross wages, total hours worked, each hourly rate with the
hours worked at it, the deductions, net pay (once the payroll processor reports it), the
pay period's dates, the employee's name and the last four characters of their ID, the
employer's name and address, and the paid sick leave available.

Every statement of a run is loaded with a fixed number of queries (statements with their
workers, all lines, all deductions), so a run of 1,000 workers costs the same queries as one.
"""

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.text import get_valid_filename

from alliedup.documents import render_pdf
from payroll.models import PayDeduction, PayLine, PayRun, PayStatement
from payroll.selectors import RateSummary, employee_id, statement_rates

TEMPLATE = "payroll/documents/statement.html"


@dataclass
class StatementPage:
    """One statement with everything printed on it."""

    statement: PayStatement
    employee_id: str
    employee_id_last4: str
    rates: list[RateSummary]
    corrections: list[PayLine] = field(default_factory=list)
    deductions: list[PayDeduction] = field(default_factory=list)

    @property
    def worker(self):
        return self.statement.worker


def statement_pages(run: PayRun, statements) -> list[StatementPage]:
    """A StatementPage for each of `statements` (all of `run`), in three queries whatever their number."""
    statements = list(statements)
    worker_ids = [s.worker_id for s in statements]
    lines, deductions = defaultdict(list), defaultdict(list)
    for line in (
        PayLine.objects.filter(run=run, worker_id__in=worker_ids)
        .select_related("classification", "corrects_run__period").order_by("worker_id", "workday", "id")
    ):
        lines[line.worker_id].append(line)
    for deduction in PayDeduction.objects.filter(run=run, worker_id__in=worker_ids).order_by("worker_id", "kind"):
        deductions[deduction.worker_id].append(deduction)
    pages = []
    for statement in statements:
        eid = employee_id(statement.worker)
        own = lines[statement.worker_id]
        pages.append(StatementPage(
            statement=statement, employee_id=eid, employee_id_last4=eid[-4:], rates=statement_rates(own),
            corrections=[line for line in own if line.corrects_run_id], deductions=deductions[statement.worker_id],
        ))
    return pages


def _run(run: PayRun) -> PayRun:
    return PayRun.objects.select_related("period", "cooperative").get(pk=run.pk)


def _context(run: PayRun, pages: list[StatementPage]) -> dict:
    return {"cooperative": run.cooperative, "run": run, "period": run.period, "pages": pages}


def statement_pdf(statement: PayStatement) -> bytes:
    """One worker's statement for one run as PDF bytes."""
    run = _run(statement.run)
    statement = PayStatement.objects.select_related("worker").get(pk=statement.pk)
    return render_pdf(TEMPLATE, _context(run, statement_pages(run, [statement])))


def _statements(run: PayRun):
    return PayStatement.objects.filter(run=run).select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id")


def run_statements_pdf(run: PayRun) -> bytes:
    """Every statement of the run in one PDF, one statement per page, rendered from one
    HTML document (one WeasyPrint layout instead of one per worker)."""
    run = _run(run)
    return render_pdf(TEMPLATE, _context(run, statement_pages(run, _statements(run))))


def statement_filename(page_or_statement) -> str:
    """`<employee id>-<last name>.pdf`, made safe for a file name."""
    worker = page_or_statement.worker
    return get_valid_filename(f"{employee_id(worker)}-{worker.last_name}.pdf")


def run_statements_zip(run: PayRun) -> bytes:
    """A zip with one PDF per statement of the run, named `<employee id>-<last name>.pdf`."""
    run = _run(run)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for page in statement_pages(run, _statements(run)):
            archive.writestr(statement_filename(page), render_pdf(TEMPLATE, _context(run, [page])))
    return buffer.getvalue()


def run_filename(run: PayRun, extension: str) -> str:
    return f"pay-statements-{run.reference}.{extension}"
