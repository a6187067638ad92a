"""CSV import of an existing co-op's roster: the people it employs when it moves onto the
platform, each hired through `worker_hire` and brought to the step of the ownership path
they had reached.

The layout (docs/members.md) is a header line, then one row per worker:

    first_name,last_name,email,phone,hire_date,classification,wage_step,prior_hours,status,owner_since,equity_paid,capital_balance,invite
    Rosa,Diaz,rosa@example.com,555-0101,2023-04-03,ma,2,412.50,worker_owner,2024-09-01,250.00,1843.27,yes

- first_name, last_name, email, hire_date (YYYY-MM-DD, not after today), classification (the
  co-op's code) are required; columns come in any order, names case-insensitive;
- wage_step: 1 to 99, default 1;
- prior_hours: hours worked in that classification in the 12 months before the import, posted
  as one opening entry of the hours ledger dated the import day, or `prior_hours_through`;
- status: employee (default), candidate (a candidacy opens on the import day) or worker_owner
  (with `owner_since`, the day ownership began);
- equity_paid: dollars already paid on the buy-in (candidates and worker-owners), recorded as
  a payment through the equity services: the whole buy-in is a paid-in-full account, less is
  an installment plan from the import day for the rest;
- capital_balance: dollars in a worker-owner's internal capital account before the platform
  (retained patronage, less losses and payouts; not the equity buy-in), posted as one opening
  entry of the capital ledger dated the import day (patronage); blank or 0: none;
- invite: yes (default) or no: email an invitation to sign in, as hiring does.

Every row is checked before anything is written (`roster_read`, the preview) and one bad row
means nothing is imported; the file is written in one transaction (`roster_import`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.csv_upload import csv_header, csv_records, csv_text
from alliedup.models import Cooperative
from alliedup.money import money_text
from members.choices import EquityPlan, MemberStatus
from members.selectors import classifications_by_code, worker_names_by_email
from members.services.candidacy import candidacy_open
from members.services.equity import equity_account_open, equity_payment_record
from members.services.hours import hours_opening_post, opening_hours_most
from members.services.status import owner_import
from members.services.workers import worker_hire
from patronage.services.capital import capital_opening_post

if TYPE_CHECKING:
    from members.models import JobClassification, Worker

COLUMNS = (
    "first_name", "last_name", "email", "phone", "hire_date", "classification", "wage_step", "prior_hours",
    "prior_hours_through", "status", "owner_since", "equity_paid", "capital_balance", "invite",
)
REQUIRED_COLUMNS = ("first_name", "last_name", "email", "hire_date", "classification")
# A row costs up to 73 statements (the services it reuses), about 40 ms: 250 rows keep one
# import well inside a web request (gunicorn's 30 s). A bigger roster comes in several files.
MAX_ROWS = 250
MAX_BYTES = 128 * 1024  # 250 rows of this layout are under 50 KB
MAX_WAGE_STEP = 99
FIELD = "file"
STATUSES = {
    "": MemberStatus.EMPLOYEE, "employee": MemberStatus.EMPLOYEE, "candidate": MemberStatus.CANDIDATE,
    "worker_owner": MemberStatus.OWNER, "worker-owner": MemberStatus.OWNER,
}
YES = {"", "yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
EARLIEST = date(1900, 1, 1)

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass
class RosterRow:
    """One row as read: its values (None where unreadable) and what is wrong with it."""

    line: int
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    hire_date: date | None = None
    classification: JobClassification | None = None
    classification_code: str = ""
    wage_step: int = 1
    prior_hours: Decimal = Decimal("0.00")
    prior_hours_through: date | None = None
    status: str = MemberStatus.EMPLOYEE
    owner_since: date | None = None
    equity_paid: Decimal = Decimal("0.00")
    capital_balance: Decimal = Decimal("0.00")
    invite: bool = True
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def status_label(self) -> str:
        return MemberStatus(self.status).label


@dataclass
class RosterPreview:
    """The file read and checked, nothing written: every row, and every error ("Line 4: …"
    for a row, or what is wrong with the file itself). Valid when there is no error."""

    rows: list[RosterRow]
    errors: list[str]
    buy_in: Decimal
    today: date

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict:
        def n(status):
            return sum(1 for r in self.rows if r.status == status)

        return {
            "rows": len(self.rows), "employees": n(MemberStatus.EMPLOYEE), "candidates": n(MemberStatus.CANDIDATE),
            "owners": n(MemberStatus.OWNER), "invitations": sum(1 for r in self.rows if r.invite),
            "prior_hours": sum((r.prior_hours for r in self.rows), Decimal("0.00")),
            "equity_paid": sum((r.equity_paid for r in self.rows), Decimal("0.00")),
            "capital_balance": sum((r.capital_balance for r in self.rows), Decimal("0.00")),
        }


@dataclass(frozen=True)
class RosterImport:
    workers: list[Worker]
    counts: dict


def _date(value: str, column: str, problems: list[str], *, today: date) -> date | None:
    day = None
    if _DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        problems.append(f"{column} {value!r} is not a date (YYYY-MM-DD)")
    elif day < EARLIEST or day > today:
        problems.append(f"{column} {value} is not between {EARLIEST} and today ({today})")
        return None
    return day


def _amount(value: str, column: str, problems: list[str], *, unit: str) -> Decimal | None:
    """A non-negative number with at most two decimals (blank: zero)."""
    raw = value.removeprefix("$").strip() if unit == "dollars" else value
    if not raw:
        return Decimal("0.00")
    if not _NUMBER.fullmatch(raw):
        problems.append(f"{column} {value!r} is not a number of {unit} (e.g. 250.00, no thousands separators)")
        return None
    number = Decimal(raw)
    if number < 0:
        problems.append(f"{column} {value} is negative")
        return None
    if number != number.quantize(Decimal("0.01")):
        problems.append(f"{column} {value} has more than 2 decimals")
        return None
    return number.quantize(Decimal("0.01"))


class _Lookups:
    """What the rows refer to, read once for the whole file: two queries."""

    def __init__(self, cooperative: Cooperative, emails: set[str]):
        self.classifications = classifications_by_code(cooperative)
        self.existing = worker_names_by_email(cooperative, emails)


def _row(line: int, values: dict[str, str], cooperative: Cooperative, lookups: _Lookups, today: date) -> RosterRow:
    row = RosterRow(line=line)
    problems = row.problems
    for column, limit in (("first_name", 100), ("last_name", 100)):
        value = " ".join(values.get(column, "").split())
        if not value:
            problems.append(f"{column} is missing")
        elif len(value) > limit:
            problems.append(f"{column} is longer than {limit} characters")
        setattr(row, column, value)

    row.email = values.get("email", "").lower()
    if not row.email:
        problems.append("email is missing")
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            problems.append(f"email {row.email!r} is not an email address")
        if row.email in lookups.existing:
            first, last = lookups.existing[row.email]
            problems.append(f"{row.email} is already on the roster ({first} {last})")

    row.phone = values.get("phone", "")
    if len(row.phone) > 40:
        problems.append("phone is longer than 40 characters")

    raw_hire = values.get("hire_date", "")
    row.hire_date = _date(raw_hire, "hire_date", problems, today=today) if raw_hire else None
    if not raw_hire:
        problems.append("hire_date is missing")

    row.classification_code = values.get("classification", "")
    row.classification = lookups.classifications.get(row.classification_code.lower())
    if row.classification is None:
        known = ", ".join(sorted(c.code for c in lookups.classifications.values() if c.is_active)) or "none yet"
        problems.append(f"unknown classification {row.classification_code!r} (known: {known})"
                        if row.classification_code else "classification is missing")
    elif not row.classification.is_active:
        problems.append(f"classification {row.classification_code!r} is no longer in use")

    if raw_step := values.get("wage_step", ""):
        step = int(raw_step) if raw_step.isascii() and raw_step.isdigit() else 0
        if not 1 <= step <= MAX_WAGE_STEP:
            problems.append(f"wage_step {raw_step!r} is not a whole number from 1 to {MAX_WAGE_STEP}")
        row.wage_step = step

    raw_status = values.get("status", "").lower()
    if raw_status not in STATUSES:
        problems.append(f"status {values.get('status')!r} is not employee, candidate or worker_owner")
    row.status = STATUSES.get(raw_status, MemberStatus.EMPLOYEE)

    raw_since = values.get("owner_since", "")
    if row.status == MemberStatus.OWNER:
        if not raw_since:
            problems.append("owner_since is missing (a worker_owner's first day as an owner)")
        else:
            row.owner_since = _date(raw_since, "owner_since", problems, today=today)
            if row.owner_since and row.hire_date and row.owner_since < row.hire_date:
                problems.append(f"owner_since {row.owner_since} is before the hire date {row.hire_date}")
    elif raw_since:
        problems.append("owner_since is only for a worker_owner")

    hours = _amount(values.get("prior_hours", ""), "prior_hours", problems, unit="hours")
    row.prior_hours = hours or Decimal("0.00")
    raw_through = values.get("prior_hours_through", "")
    row.prior_hours_through = _date(raw_through, "prior_hours_through", problems, today=today) if raw_through else today
    if row.prior_hours and row.prior_hours_through and row.hire_date:
        if row.prior_hours_through < row.hire_date:
            problems.append(f"prior_hours_through {row.prior_hours_through} is before the hire date {row.hire_date}")
        else:
            first, most = opening_hours_most(cooperative, row.hire_date, row.prior_hours_through)
            if row.prior_hours > most:
                problems.append(f"prior_hours {row.prior_hours} is more than 24 hours a day from {first} to "
                                f"{row.prior_hours_through} ({most})")

    paid = _amount(values.get("equity_paid", ""), "equity_paid", problems, unit="dollars")
    row.equity_paid = paid or Decimal("0.00")
    if row.equity_paid > cooperative.equity_buy_in:
        problems.append(f"equity_paid {money_text(row.equity_paid)} is more than the buy-in "
                        f"({money_text(cooperative.equity_buy_in)})")
    elif row.equity_paid and row.status == MemberStatus.EMPLOYEE:
        problems.append("equity_paid is for candidates and worker-owners (an employee has not begun the buy-in)")

    balance = _amount(values.get("capital_balance", ""), "capital_balance", problems, unit="dollars")
    row.capital_balance = balance or Decimal("0.00")
    if row.capital_balance and row.status != MemberStatus.OWNER:
        problems.append("capital_balance is only for a worker_owner (only worker-owners hold a capital account)")

    raw_invite = values.get("invite", "").lower()
    if raw_invite not in YES | NO:
        problems.append(f"invite {values.get('invite')!r} is not yes or no")
    row.invite = raw_invite not in NO
    return row


def roster_read(*, cooperative: Cooperative, csv_file) -> RosterPreview:
    """Read and check a roster file without writing anything (the preview, or dry run).

    Returns every row with its problems and the list of errors ("Line 4: …", or what is wrong
    with the file: not UTF-8, no header, too many rows); valid when that list is empty.
    Duplicates are refused within the file and against the co-op's workers. Two queries
    whatever the number of rows (classifications, existing emails).
    """
    today = cooperative.today()
    preview = RosterPreview(rows=[], errors=[], buy_in=cooperative.equity_buy_in, today=today)
    try:
        records = csv_records(csv_text(csv_file, max_bytes=MAX_BYTES, max_rows=MAX_ROWS), max_rows=MAX_ROWS)
        if not records:
            raise ValidationError(f"The file is empty. Line 1 must be the header {','.join(COLUMNS)}.")
        (_, header_cells), rows = records[0], records[1:]
        names = csv_header(header_cells, columns=COLUMNS, required=REQUIRED_COLUMNS,
                           optional_note=f"only {', '.join(REQUIRED_COLUMNS)} are required")
        if not rows:
            raise ValidationError("The file has a header but no rows.")
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
    except ValidationError as exc:
        preview.errors.extend(exc.messages)
        return preview

    cells_by_line = []
    for line, cells in rows:
        values = {n: c.strip() for n, c in zip(names, cells)}
        cells_by_line.append((line, cells, values))
    lookups = _Lookups(cooperative, {v.get("email", "").lower() for _, _, v in cells_by_line})
    first_line_of: dict[str, int] = {}
    for line, cells, values in cells_by_line:
        row = _row(line, values, cooperative, lookups, today)
        if len(cells) > len(names):
            row.problems.insert(0, f"{len(cells)} values for {len(names)} columns (put a value containing a comma in quotes)")
        if row.email:
            if row.email in first_line_of:
                row.problems.append(f"{row.email} is also on line {first_line_of[row.email]}")
            else:
                first_line_of[row.email] = line
        preview.rows.append(row)
        if row.problems:
            preview.errors.append(f"Line {line}: " + "; ".join(row.problems) + ".")
    return preview


def _import_row(row: RosterRow, *, cooperative: Cooperative, today: date, label: str, by) -> Worker:
    """Hire one checked row and bring the worker to their step; raises ValidationError."""
    worker = worker_hire(
        cooperative=cooperative, first_name=row.first_name, last_name=row.last_name, email=row.email, phone=row.phone,
        hire_date=row.hire_date, classifications=[(row.classification, row.wage_step)], hired_by=by,
        invite_email=row.email if row.invite else None,
    )
    where = f"{label}, line {row.line}"
    if row.prior_hours:
        hours_opening_post(
            worker=worker, classification=row.classification, hours=row.prior_hours, through=row.prior_hours_through,
            source_ref=f"roster-{worker.uuid}", posted_by=by,
            note=f"Worked before the platform, in the 12 months to {row.prior_hours_through} ({where})",
        )
    if row.status == MemberStatus.CANDIDATE:
        candidacy_open(worker=worker, classification=row.classification, opened_on=today, opened_by=by,
                       reason=f"{where}: a candidate before the platform")
    elif row.status == MemberStatus.OWNER:
        owner_import(worker=worker, classification=row.classification, owner_since=row.owner_since, changed_by=by,
                     reason=f"{where}: a worker-owner since {row.owner_since}")
    if row.status == MemberStatus.OWNER or row.equity_paid:
        # As on the platform: the whole buy-in paid is a paid-in-full account; less leaves the
        # rest on an installment plan from today, which payroll deducts.
        plan = EquityPlan.FULL if row.equity_paid >= cooperative.equity_buy_in else EquityPlan.INSTALLMENTS
        account = equity_account_open(worker=worker, plan=plan, start_on=today, opened_by=by)
        if row.equity_paid:
            equity_payment_record(account=account, amount=row.equity_paid, effective_on=row.owner_since or today,
                                  reference=where[:80], recorded_by=by)
    if row.capital_balance:
        # Dated the import day: that is when the co-op vouches for the figure (its history stays in its old books).
        capital_opening_post(worker=worker, amount=row.capital_balance, effective_on=today, reference=f"opening-{worker.uuid}",
                             note=f"Capital account balance before the platform ({where})", recorded_by=by)
    return worker


@transaction.atomic
def roster_import(*, cooperative: Cooperative, csv_file, imported_by) -> RosterImport:
    """Import a roster file (layout in the module docstring): hire each row with
    `worker_hire` (inviting it by email unless `invite` is no), post its prior hours as an
    opening balance, open a candidacy or record the ownership, record the equity paid and an
    owner's capital account balance (an opening entry of the capital ledger).

    All or nothing: raises ValidationError({"file": ["Line 3: ...", ...]}) listing every bad
    row (or the one a service refused) and then writes nothing. Audited as
    `members.roster.imported` with the counts, besides what each service audits.
    """
    # One import at a time per co-op: a confirmation sent twice waits, then finds the workers.
    Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    preview = roster_read(cooperative=cooperative, csv_file=csv_file)
    if not preview.valid:
        raise ValidationError({FIELD: preview.errors})
    label = f"Roster import of {preview.today}"
    workers = []
    for row in preview.rows:
        try:
            workers.append(_import_row(row, cooperative=cooperative, today=preview.today, label=label, by=imported_by))
        except ValidationError as exc:
            raise ValidationError({FIELD: [f"Line {row.line}: " + " ".join(exc.messages)]}) from None
    counts = preview.counts
    audit_log(cooperative=cooperative, action="members.roster.imported", user=imported_by, obj=cooperative, data=counts)
    return RosterImport(workers=workers, counts=counts)
