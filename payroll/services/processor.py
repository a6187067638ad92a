"""The payroll processor's files: what the co-op sends (earnings and co-op deductions per
worker) and what comes back (taxes withheld and net pay). Layouts: docs/payroll.md."""

import csv
import io
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.money import ZERO, csv_amount
from payroll.models import PayLine, PayRun, PayStatement
from payroll.selectors import employee_id

EXPORT_COLUMNS = ["employee_id", "last_name", "first_name", "type", "code", "hours", "amount", "pay_date", "period_start", "period_end"]
IMPORT_COLUMNS = ["employee_id", "taxes", "net_pay"]


@transaction.atomic
def payrun_export(*, run: PayRun, exported_by=None) -> str:
    """The run as CSV, one row per worker and earning code (hours and amount summed), then
    one per co-op deduction. An approved run becomes exported; exporting again gives the
    same file."""
    run = PayRun.objects.select_for_update().select_related("period").get(pk=run.pk)
    if not run.is_final:
        raise ValidationError("Approve the pay run before exporting it.")
    earnings: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    names = {}
    for line in run.lines.select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id"):
        bucket = earnings[(line.worker_id, line.earning_code)]
        bucket[0] += line.hours
        bucket[1] += line.amount
        names[line.worker_id] = line.worker
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    period = run.period
    common = [period.pay_date.isoformat(), period.starts_on.isoformat(), period.ends_on.isoformat()]
    codes = {code: i for i, code in enumerate(PayLine.EARNING_CODES.values())}
    position = {worker_id: i for i, worker_id in enumerate(names)}  # names is in name order
    for (worker_id, code), (hours, amount) in sorted(earnings.items(), key=lambda kv: (position[kv[0][0]], codes[kv[0][1]])):
        worker = names[worker_id]
        writer.writerow([employee_id(worker), worker.last_name, worker.first_name, "earning", code, csv_amount(hours), csv_amount(amount), *common])
    for deduction in run.deductions.select_related("worker").order_by("worker__last_name", "worker__first_name", "worker_id", "kind"):
        worker = deduction.worker
        writer.writerow([employee_id(worker), worker.last_name, worker.first_name, "deduction", deduction.code, "", csv_amount(deduction.amount), *common])
    if run.status == PayRun.Status.APPROVED:
        run.status, run.exported_at = PayRun.Status.EXPORTED, timezone.now()
        run.save(update_fields=["status", "exported_at"])
        audit_log(cooperative=run.cooperative, action="payroll.run.exported", user=exported_by, obj=run)
    return out.getvalue()


@transaction.atomic
def payrun_import_results(*, run: PayRun, csv_text: str, imported_by=None) -> int:
    """Read the processor's results (employee_id, taxes, net_pay) into the run's statements.

    Every row is checked first; any bad row (unknown or repeated employee, a malformed or
    negative amount, taxes + net pay above gross less co-op deductions; the processor may
    withhold more, e.g. a garnishment) — or a statement left without a row — fails the whole import, listing each
    problem by line. Returns the number of statements completed."""
    run = PayRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_final:
        raise ValidationError("Import results only for an approved, exported pay run.")
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(f"The file needs the columns {', '.join(IMPORT_COLUMNS)}; missing: {', '.join(missing)}.")
    statements = {employee_id(s.worker): s for s in run.statements.select_related("worker")}
    errors, seen = [], {}
    for line, row in enumerate(reader, start=2):
        key = (row.get("employee_id") or "").strip()
        statement = statements.get(key)
        if statement is None:
            errors.append(f"Line {line}: employee {key!r} has no statement in this run.")
            continue
        if key in seen:
            errors.append(f"Line {line}: employee {key} already appears on line {seen[key]}.")
            continue
        seen[key] = line
        try:
            taxes, net = _money(row.get("taxes")), _money(row.get("net_pay"))
        except ValueError as exc:
            errors.append(f"Line {line}: {exc}")
            continue
        available = statement.gross - statement.deductions
        if taxes + net > available:
            errors.append(f"Line {line}: taxes {taxes} + net pay {net} are more than gross less co-op deductions ({available}).")
        else:
            statement.taxes, statement.net = taxes, net
    for key in statements.keys() - seen.keys():
        errors.append(f"Employee {key} has a statement in this run but no row in the file.")
    if errors:
        raise ValidationError(errors)
    PayStatement.objects.bulk_update(statements.values(), ["taxes", "net"], batch_size=5000)
    run.taxes_imported_at = timezone.now()
    run.save(update_fields=["taxes_imported_at"])
    audit_log(cooperative=run.cooperative, action="payroll.run.results_imported", user=imported_by, obj=run,
              data={"statements": len(statements)})
    return len(statements)


def _money(value) -> Decimal:
    try:
        amount = Decimal((value or "").strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{value!r} is not an amount of dollars and cents, zero or more")
    return amount
