"""The collective agreement and its wage tables: writes, with the rules that keep them sound
(effective dates of one classification never overlap; every rate positive)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from members.selectors import classifications_qs
from payroll.models import CollectiveAgreement, PayLine, PayRun, ShiftDifferential, WageStep, WageTable

if TYPE_CHECKING:
    from members.models import JobClassification


@transaction.atomic
def agreement_create(*, cooperative: Cooperative, name: str, union: str, starts_on: date, ends_on: date,
                     created_by=None, **terms) -> CollectiveAgreement:
    agreement = CollectiveAgreement(cooperative=cooperative, name=name, union=union, starts_on=starts_on, ends_on=ends_on, **terms)
    agreement.full_clean(exclude=["cooperative"])
    agreement.save()
    audit_log(cooperative=cooperative, action="payroll.agreement.created", user=created_by, obj=agreement,
              after={"name": name, "starts_on": starts_on, "ends_on": ends_on})
    return agreement


@transaction.atomic
def differential_add(*, agreement: CollectiveAgreement, kind: str, amount, basis=ShiftDifferential.Basis.PER_HOUR,
                     window_start=None, window_end=None, classification=None, created_by=None) -> ShiftDifferential:
    diff = ShiftDifferential(cooperative=agreement.cooperative, agreement=agreement, kind=kind, basis=basis, amount=amount,
                             window_start=window_start, window_end=window_end, classification=classification)
    diff.full_clean(exclude=["cooperative"])
    if kind == ShiftDifferential.Kind.NIGHT and window_start == window_end:
        raise ValidationError({"window_end": "A night window needs a different start and end."})
    diff.save()
    audit_log(cooperative=agreement.cooperative, action="payroll.differential.added", user=created_by, obj=diff,
              after={"kind": kind, "basis": basis, "amount": amount})
    return diff


@transaction.atomic
def wage_table_set(*, agreement: CollectiveAgreement, classification: JobClassification, effective_from: date,
                   steps: dict[int, Decimal], effective_to: date | None = None, note: str = "", set_by=None) -> WageTable:
    """Add the wages of one classification from `effective_from`, one rate per step.

    Raises ValidationError (nothing written) for no steps, a step below 1, a rate that is not
    positive, dates outside the agreement's term, or dates overlapping another table of the
    classification (close the earlier table first by giving it an end date)."""
    errors = _table_errors(agreement, classification, effective_from, effective_to, steps)
    if errors:
        raise ValidationError(errors)
    # Serialise writers of one co-op's tables so two overlapping tables can't both pass the check.
    type(agreement.cooperative).objects.select_for_update().filter(pk=agreement.cooperative_id).first()
    overlap = _overlapping(classification, effective_from, effective_to).first()
    if overlap:
        raise ValidationError({"effective_from": (
            f"{classification} already has wages from {overlap.effective_from}"
            f"{' to ' + str(overlap.effective_to) if overlap.effective_to else ' (open-ended)'}; effective dates may not overlap."
        )})
    table = WageTable.objects.create(
        cooperative=agreement.cooperative, agreement=agreement, classification=classification,
        effective_from=effective_from, effective_to=effective_to, benchmark_note=note,
    )
    WageStep.objects.bulk_create([
        WageStep(cooperative=agreement.cooperative, table=table, step=step, hourly_rate=Decimal(rate)) for step, rate in sorted(steps.items())
    ])
    audit_log(cooperative=agreement.cooperative, action="payroll.wage_table.set", user=set_by, obj=table,
              after={"classification": classification.code, "from": effective_from, "to": effective_to,
                     "steps": {str(k): str(v) for k, v in steps.items()}})
    return table


@transaction.atomic
def wage_table_close(*, table: WageTable, effective_to: date, closed_by=None) -> WageTable:
    """End an open-ended table (so a new scale can start the next day)."""
    if effective_to < table.effective_from:
        raise ValidationError({"effective_to": "The end date is before the table starts."})
    if table.effective_to is not None and table.effective_to <= effective_to:
        raise ValidationError({"effective_to": "A table's end date can only move earlier."})
    paid = PayLine.objects.filter(run__status__in=PayRun.FINAL, classification=table.classification, workday__gt=effective_to,
                                  workday__gte=table.effective_from).order_by("-workday").values_list("workday", flat=True).first()
    if paid is not None:
        raise ValidationError({"effective_to": f"Approved pay runs paid these wages up to {paid}; the table cannot end before that."})
    before = table.effective_to
    table.effective_to = effective_to
    table.save(update_fields=["effective_to"])
    audit_log(cooperative=table.cooperative, action="payroll.wage_table.closed", user=closed_by, obj=table,
              before={"to": before}, after={"to": effective_to})
    return table


def _overlapping(classification, start: date, end: date | None):
    rows = WageTable.objects.filter(classification=classification).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    return rows.filter(effective_from__lte=end) if end else rows


def _table_errors(agreement, classification, start, end, steps) -> dict:
    errors = {}
    if classification.cooperative_id != agreement.cooperative_id:
        errors["classification"] = "Unknown classification."
    if end is not None and end < start:
        errors["effective_to"] = "The table ends before it starts."
    if not (agreement.starts_on <= start <= agreement.ends_on):
        errors["effective_from"] = f"The agreement runs {agreement.starts_on} to {agreement.ends_on}; wages must start inside it."
    if not steps:
        errors["steps"] = "Give at least one step's wage."
    elif any(int(step) < 1 for step in steps):
        errors["steps"] = "Steps are numbered from 1."
    elif any(Decimal(rate) <= 0 for rate in steps.values()):
        errors["steps"] = "Every wage must be more than zero."
    return errors


CSV_COLUMNS = ["classification", "effective_from", "effective_to", "step", "hourly_rate"]


@transaction.atomic
def wage_tables_import(*, agreement: CollectiveAgreement, csv_text: str, note: str = "", imported_by=None) -> list[WageTable]:
    """Import wage tables from CSV (columns: classification code, effective_from, effective_to
    (may be empty), step, hourly_rate; one row per step). Every row is checked first; any bad
    row fails the whole import with each bad row's line number and reason."""
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(f"The file needs the columns {', '.join(CSV_COLUMNS)}; missing: {', '.join(missing)}.")
    codes = {c.code: c for c in classifications_qs(agreement.cooperative)}
    errors, tables = [], {}
    for line, row in enumerate(reader, start=2):
        try:
            code = (row["classification"] or "").strip()
            if code not in codes:
                raise ValueError(f"unknown classification {code!r}")
            start = date.fromisoformat(row["effective_from"].strip())
            end = date.fromisoformat(row["effective_to"].strip()) if (row["effective_to"] or "").strip() else None
            step = int(row["step"])
            rate = Decimal(row["hourly_rate"].strip())
            if not rate.is_finite() or rate <= 0 or rate != rate.quantize(Decimal("0.0001")):
                raise ValueError("the hourly rate must be a positive amount with at most 4 decimals")
        except (ValueError, InvalidOperation, AttributeError, TypeError) as exc:
            errors.append(f"Line {line}: {exc}")
            continue
        key = (code, start, end)
        steps = tables.setdefault(key, {})
        if step in steps:
            errors.append(f"Line {line}: step {step} of {code} from {start} appears twice")
        steps[step] = rate
    if not errors and not tables:
        errors.append("The file has no rows.")
    if errors:
        raise ValidationError(errors)
    created = []
    for (code, start, end), steps in tables.items():
        try:
            with transaction.atomic():
                created.append(wage_table_set(agreement=agreement, classification=codes[code], effective_from=start,
                                              effective_to=end, steps=steps, note=note, set_by=imported_by))
        except ValidationError as exc:
            errors.append(f"{code} from {start}: {' '.join(exc.messages)}")
    if errors:
        raise ValidationError(errors)  # the whole import rolls back
    return created
