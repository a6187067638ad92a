"""CSV import of shifts into a contract: one single-day job order per row.

The layout (docs/placements.md) is a header line, then one row per shift pattern:

    date,start,end,classification,site,headcount,notes
    2026-11-01,19:00,07:00,lvn,3 West,2,Night cover

- date: YYYY-MM-DD, the day the shift starts at the client's site;
- start, end: HH:MM (24-hour) at the site, in the client's time zone; an end earlier than
  the start is on the next day;
- classification: the classification's code (e.g. lvn);
- site (optional): the name of one of the client's sites;
- headcount (optional, default 1): workers wanted, 1 to 50;
- notes (optional).

Columns may come in any order; their names are case-insensitive. Every row is checked
before anything is written, and one bad row means nothing is imported: the ValidationError
lists each bad row with its line number and what is wrong, so staff fix the file once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.csv_upload import csv_header, csv_records, csv_text
from members.selectors import classifications_by_code
from placements.models import BillRate, ClientContract, ClientSite, JobOrder, Shift
from placements.services.orders import MAX_HEADCOUNT, MAX_SHIFTS, job_order_shifts, shift_window

if TYPE_CHECKING:
    from members.models import JobClassification

COLUMNS = ("date", "start", "end", "classification", "site", "headcount", "notes")
REQUIRED_COLUMNS = ("date", "start", "end", "classification")
MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024  # 2,000 rows of this layout are well under 1 MB
FIELD = "file"

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")


@dataclass(frozen=True)
class ImportRow:
    line: int
    day: date
    start: time
    end: time
    classification: JobClassification
    site: ClientSite | None
    headcount: int
    notes: str


def _file_error(message: str) -> ValidationError:
    return ValidationError({FIELD: [message]})


def _parse_time(value: str, column: str, problems: list[str]) -> time | None:
    match = _TIME.fullmatch(value)
    try:
        if match:
            return time(int(match[1]), int(match[2]))
    except ValueError:
        pass
    problems.append(f"{column} {value!r} is not a time (HH:MM, 24-hour)" if value else f"{column} is missing")
    return None


class _Lookups:
    """What the rows refer to, read once for the whole file (a fixed number of queries)."""

    def __init__(self, contract: ClientContract):
        self.classifications = classifications_by_code(contract.cooperative_id)
        self.sites = {s.name.strip().casefold(): s for s in ClientSite.objects.filter(client=contract.client_id)}
        # A classification is billable on a day from its earliest effective_from on.
        self.billable_from: dict[int, date] = {}
        for classification_id, effective_from in BillRate.objects.filter(contract=contract).values_list("classification_id", "effective_from"):
            self.billable_from[classification_id] = min(self.billable_from.get(classification_id, date.max), effective_from)


def _row(line: int, values: dict[str, str], contract: ClientContract, lookups: _Lookups) -> tuple[ImportRow | None, list[str]]:
    """The row parsed, or None and the list of what is wrong with it."""
    problems: list[str] = []
    raw_day = values.get("date", "")
    day = None
    if _DATE.fullmatch(raw_day):
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            pass
    if day is None:
        problems.append(f"date {raw_day!r} is not a date (YYYY-MM-DD)" if raw_day else "date is missing")
    start = _parse_time(values.get("start", ""), "start", problems)
    end = _parse_time(values.get("end", ""), "end", problems)

    code = values.get("classification", "")
    classification = lookups.classifications.get(code.lower())
    if classification is None:
        known = ", ".join(sorted(c.code for c in lookups.classifications.values() if c.is_active))
        problems.append(f"unknown classification {code!r} (known: {known})" if code else "classification is missing")
    elif not classification.is_active:
        problems.append(f"classification {code!r} is no longer in use")

    site = None
    if site_name := values.get("site", ""):
        site = lookups.sites.get(site_name.casefold())
        if site is None:
            problems.append(f"{contract.client} has no site {site_name!r}")

    headcount = 1
    if raw_headcount := values.get("headcount", ""):
        headcount = int(raw_headcount) if raw_headcount.isascii() and raw_headcount.isdigit() else 0
        if not 1 <= headcount <= MAX_HEADCOUNT:
            problems.append(f"headcount {raw_headcount!r} is not a whole number from 1 to {MAX_HEADCOUNT}")

    if day is not None:
        if day < contract.starts_on or (contract.ends_on and day > contract.ends_on):
            until = contract.ends_on or "open-ended"
            problems.append(f"{day} is outside the contract ({contract.starts_on} to {until})")
        elif classification is not None and lookups.billable_from.get(classification.pk, date.max) > day:
            problems.append(f"no bill rate for {classification.code} on {day}; set one on the contract first")
    if day is not None and start is not None and end is not None:
        if start == end:
            problems.append("start and end are the same time (the shift would last no time)")
        else:
            try:
                shift_window(day, start, end, contract.client.zone)
            except ValidationError as exc:
                problems.extend(exc.messages)
    if problems:
        return None, problems
    return ImportRow(line, day, start, end, classification, site, headcount, values.get("notes", "")), []


def shifts_read(*, contract: ClientContract, csv_file) -> list[ImportRow]:
    """Parse and check the whole file without writing. Returns the rows; raises one
    ValidationError({"file": [...]}) listing each bad row ("Line 4: ...") or what is wrong
    with the file itself (not UTF-8, no header, too many rows or shifts)."""
    if contract.status != ClientContract.Status.ACTIVE:
        raise _file_error("The contract is not active; shifts cannot be added to it.")
    records = csv_records(csv_text(csv_file, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, error=_file_error),
                          max_rows=MAX_ROWS, error=_file_error)
    if not records:
        raise _file_error(f"The file is empty. Line 1 must be the header {','.join(COLUMNS)}.")
    (_, header_cells), rows = records[0], records[1:]
    names = csv_header(header_cells, columns=COLUMNS, required=REQUIRED_COLUMNS,
                       optional_note="site, headcount and notes are optional", error=_file_error)
    if not rows:
        raise _file_error("The file has a header but no rows.")
    if len(rows) > MAX_ROWS:
        raise _file_error(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")

    lookups = _Lookups(contract)
    parsed, errors = [], []
    for line, cells in rows:
        if len(cells) > len(names):
            errors.append(f"Line {line}: {len(cells)} values for {len(names)} columns (put a value containing a comma in quotes).")
            continue
        row, problems = _row(line, {n: c.strip() for n, c in zip(names, cells)}, contract, lookups)
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems) + ".")
        else:
            parsed.append(row)
    if not errors and (total := sum(r.headcount for r in parsed)) > MAX_SHIFTS:
        errors.append(f"The file makes {total} shifts; at most {MAX_SHIFTS} per import. Split it.")
    if errors:
        raise ValidationError({FIELD: errors})
    return parsed


@transaction.atomic
def shifts_import(*, contract: ClientContract, csv_file, imported_by) -> list[Shift]:
    """Create one single-day job order (and its shifts, in the client's zone) per row of a
    CSV file (layout in the module docstring). All or nothing: raises ValidationError
    ({"file": ["Line 3: ...", ...]}) listing every bad row, and then writes nothing.
    Returns the new shifts ordered by start.

    Rows are written in bulk (a few queries for 2,000 rows, where job_order_create per row
    took five each); the shifts come from orders.job_order_shifts, the same wall-clock/DST
    rules as any job order, and the checks job_order_create makes are all made per row above.
    """
    rows = shifts_read(contract=contract, csv_file=csv_file)
    created_at = timezone.now()
    orders = JobOrder.objects.bulk_create([
        JobOrder(
            cooperative_id=contract.cooperative_id, contract=contract, site=row.site, classification=row.classification,
            starts_on=row.day, ends_on=row.day, shift_start=row.start, shift_end=row.end, weekdays="0123456",
            headcount=row.headcount, notes=row.notes, created_at=created_at, created_by=imported_by,
        )
        for row in rows
    ])
    zone = contract.client.zone
    shifts = [shift for order in orders for shift in job_order_shifts(order, zone)]
    Shift.objects.bulk_create(shifts, batch_size=1000)
    audit_log(cooperative=contract.cooperative, action="placements.shifts.imported", user=imported_by, obj=contract,
              data={"rows": len(rows), "shifts": len(shifts), "job_orders": [str(o.uuid) for o in orders]})
    return sorted(shifts, key=lambda s: (s.starts_at, s.pk))
