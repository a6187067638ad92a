"""Patronage allocations: allocating a fiscal year's net earnings from member business to
worker-owners in proportion to their patronage, from draft to issued (posted to the capital
accounts) to cash paid (design § 2, Patronage), and the issue job.

Arithmetic (docs/patronage.md):
- reserve = net earnings × reserve % (half up to the cent); pool = net earnings − reserve.
- Each owner's share of the pool = pool × units ÷ total units by the largest remainder
  method (alliedup.money.split_by_weights): floor to the cent, leftover cents to the largest
  remainders, ties to the lower worker number. The lines sum to the pool exactly.
- Cash = the share × cash % rounded UP to the cent, so rounding never takes a member's cash
  below the percentage (Subchapter T: at least 20%); retained = share − cash.
"""

from datetime import date
from decimal import ROUND_UP, Decimal

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.bulk import copy_rows
from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from alliedup.money import CENT, split_by_weights, to_cents
from alliedup.tasks import enqueue
from patronage import selectors
from patronage.models import CapitalAccountEntry, FiscalYear, PatronageAllocation, PatronageAllocationLine

ISSUE_BATCH = 10_000  # lines posted per transaction: a co-op's whole allocation, in practice


@transaction.atomic
def fiscal_year_create(*, cooperative: Cooperative, starts_on: date, ends_on: date, created_by=None) -> FiscalYear:
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "A fiscal year ends after it starts."})
    if (ends_on - starts_on).days > 371:
        raise ValidationError({"ends_on": "A fiscal year lasts at most 53 weeks."})
    if FiscalYear.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise ValidationError({"starts_on": "This fiscal year overlaps another one."})
    year = FiscalYear.objects.create(cooperative=cooperative, starts_on=starts_on, ends_on=ends_on)
    audit_log(cooperative=cooperative, action="patronage.fiscal_year.created", user=created_by, obj=year,
              after={"starts_on": starts_on, "ends_on": ends_on})
    return year


@transaction.atomic
def allocation_draft(
    *, fiscal_year: FiscalYear, net_earnings, earnings_source: str, reserve_percent, reserve_decided_by: str,
    cash_percent=None, basis: str | None = None, reserve_resolution=None, drafted_by=None,
) -> PatronageAllocation:
    """Compute (or recompute) the draft allocation of an ended fiscal year.

    Units are the hours (ledger) or gross wages (approved pay runs) of each person who was
    a worker-owner during the year, counted while an owner unless the bylaws count the
    whole year. Raises ValidationError, writing nothing, for a year not ended, an allocation
    already approved, cash below 20%, a reserve outside 0–100%, a loss year the bylaws do
    not allocate, or no patronage at all."""
    coop = fiscal_year.cooperative
    # The year locked (drafts of one year run one at a time) with its allocation, if any, in one query.
    fiscal_year = FiscalYear.objects.select_for_update(of=("self",)).select_related("allocation").get(pk=fiscal_year.pk)
    try:
        net = Decimal(str(net_earnings))
        reserve_pct = Decimal(str(reserve_percent))
        cash_pct = Decimal(str(cash_percent)) if cash_percent not in (None, "") else coop.patronage_cash_percent
    except ArithmeticError:
        raise ValidationError("Give the amounts and percentages as numbers.") from None
    basis = basis or coop.patronage_basis
    errors = {}
    if fiscal_year.ends_on >= coop.today():
        errors["fiscal_year"] = f"The fiscal year ends on {fiscal_year.ends_on}; allocate it after it has ended."
    if not net.is_finite() or net != net.quantize(CENT):
        errors["net_earnings"] = "Give the net earnings in dollars and cents."
    elif net == 0:
        errors["net_earnings"] = "There is nothing to allocate in a year with no net earnings."
    elif net < 0 and not coop.patronage_allocate_losses:
        errors["net_earnings"] = "A loss year allocates nothing to members: the bylaws do not allocate losses."
    if not reserve_pct.is_finite() or not (0 <= reserve_pct <= 100):
        errors["reserve_percent"] = "The collective reserve is a percentage from 0 to 100."
    if not cash_pct.is_finite() or not (20 <= cash_pct <= 100):
        errors["cash_percent"] = "At least 20% of each allocation must be paid in cash (IRS Subchapter T)."
    if basis not in PatronageAllocation.Basis.values:
        errors["basis"] = "Patronage is measured by hours worked or gross wages."
    if not (earnings_source or "").strip():
        errors["earnings_source"] = "Say where the net earnings figure comes from."
    if reserve_resolution is not None:
        result = reserve_resolution.result or {}
        if reserve_resolution.cooperative_id != coop.pk or reserve_resolution.status != "certified" or not result.get("adopted"):
            errors["reserve_resolution"] = "Link a resolution that was adopted and certified."
        elif not (reserve_decided_by or "").strip():
            reserve_decided_by = f"Resolution: {reserve_resolution.title}"
    if not (reserve_decided_by or "").strip():
        errors["reserve_decided_by"] = "Name the board resolution (or who approved) the reserve share."
    existing = getattr(fiscal_year, "allocation", None)
    if existing is not None and existing.status != PatronageAllocation.Status.DRAFT:
        errors["fiscal_year"] = "This year's allocation is already approved; it can no longer change."
    if errors:
        raise ValidationError(errors)
    units = selectors.patronage_units(fiscal_year, basis=basis, whole_year=coop.patronage_whole_year)
    units = {worker_id: u for worker_id, u in units.items() if u > 0}
    if not units:
        raise ValidationError("No worker-owner has any patronage in this fiscal year; nothing can be allocated.")
    # Losses are not reserved: the whole loss goes to members' accounts (bylaws permitting).
    reserve = to_cents(net * reserve_pct / 100) if net > 0 else Decimal("0.00")
    pool = net - reserve
    if existing is not None:
        # The old draft and its lines in one statement (the ORM would fetch the lines and delete
        # them 100 at a time); a draft's lines are never posted, and only they point at it.
        with connection.cursor() as cursor:
            cursor.execute(f"WITH lines AS (DELETE FROM {PatronageAllocationLine._meta.db_table} WHERE allocation_id = %s) "
                           f"DELETE FROM {PatronageAllocation._meta.db_table} WHERE id = %s", [existing.pk, existing.pk])
    allocation = PatronageAllocation.objects.create(
        cooperative=coop, fiscal_year=fiscal_year, net_earnings=net, earnings_source=earnings_source.strip(),
        reserve_percent=reserve_pct, reserve_decided_by=reserve_decided_by.strip(), reserve_resolution=reserve_resolution,
        basis=basis, cash_percent=cash_pct,
        whole_year=coop.patronage_whole_year, reserve=reserve, pool=pool, total_units=sum(units.values()), created_by=drafted_by,
    )
    order = sorted(units)  # the stable tie order: lower worker number first
    shares = split_by_weights(pool, [units[w] for w in order])
    cash = [cash_part(share, cash_pct) for share in shares]
    # One COPY whatever the number of lines, and no model instances (bulk_create was half the draft's time).
    copy_rows(PatronageAllocationLine, (
        {"cooperative_id": coop.pk, "allocation_id": allocation.pk, "worker_id": worker_id, "units": units[worker_id],
         "allocated": share, "cash": paid, "retained": share - paid}
        for worker_id, share, paid in zip(order, shares, cash)
    ))
    if fiscal_year.status != FiscalYear.Status.CLOSED:  # a redraft finds it closed already
        fiscal_year.status = FiscalYear.Status.CLOSED
        fiscal_year.save(update_fields=["status"])
    audit_log(cooperative=coop, action="patronage.allocation.drafted", user=drafted_by, obj=allocation,
              after={"net_earnings": net, "reserve_percent": reserve_pct, "pool": pool, "basis": basis,
                     "cash_percent": cash_pct, "members": len(units)})
    return allocation


def cash_part(share: Decimal, cash_percent: Decimal) -> Decimal:
    """The cash paid of a share: rounded up to the cent (never below the percentage); none of a loss."""
    if share <= 0:
        return Decimal("0.00")
    return (share * cash_percent / 100).quantize(CENT, rounding=ROUND_UP)


@transaction.atomic
def allocation_approve(*, allocation: PatronageAllocation, approved_by) -> PatronageAllocation:
    allocation = PatronageAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != PatronageAllocation.Status.DRAFT:
        raise ValidationError("Only a draft allocation can be approved.")
    allocation.status, allocation.approved_at, allocation.approved_by = PatronageAllocation.Status.APPROVED, timezone.now(), approved_by
    allocation.save(update_fields=["status", "approved_at", "approved_by"])
    audit_log(cooperative=allocation.cooperative, action="patronage.allocation.approved", user=approved_by, obj=allocation,
              data={"pool": allocation.pool})
    return allocation


@transaction.atomic
def allocation_issue_request(*, allocation: PatronageAllocation, requested_by) -> PatronageAllocation:
    """Queue the issue (a Celery task posts the lines). Asking again while it is not issued
    queues the job again, which resumes where it stopped (posting is idempotent)."""
    allocation = PatronageAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != PatronageAllocation.Status.APPROVED:
        raise ValidationError("Only an approved allocation can be issued; an issued one cannot be issued again.")
    if allocation.issue_requested_at is None:
        allocation.issue_requested_at = timezone.now()
        allocation.save(update_fields=["issue_requested_at"])
        audit_log(cooperative=allocation.cooperative, action="patronage.allocation.issue_requested", user=requested_by, obj=allocation)
    enqueue(allocation_issue_task, cooperative=allocation.cooperative, allocation_id=allocation.pk)
    return allocation


def allocation_issue(*, allocation: PatronageAllocation, issued_by=None, batch_size: int = ISSUE_BATCH, progress=None) -> PatronageAllocation:
    """Post each line's retained amount (or allocated loss) to its capital account, batch by
    batch, each batch one INSERT … SELECT in its own transaction; the batch that leaves no
    line unposted also marks the allocation issued, in the same transaction. A co-op of
    fewer than `batch_size` owners is one transaction of a few statements: the number of
    queries does not grow with the owners.

    Idempotent and resumable: a line is posted with a unique reference, so a retry after a
    crash posts only the lines not yet posted, and each line is posted exactly once. The
    allocation is issued (notices and 1099-PATR data available) only when every line is.
    `progress(done, total)` is called after each batch is committed."""
    while True:
        with transaction.atomic():
            # The allocation row lock serialises overlapping runs (a redelivered task): each
            # batch sees what the other committed, so no line is posted twice. `of` locks the
            # allocation alone, not the co-op and the year loaded with it.
            allocation = (
                PatronageAllocation.objects.select_for_update(of=("self",))
                .select_related("cooperative", "fiscal_year").get(pk=allocation.pk)
            )
            if allocation.status in (PatronageAllocation.Status.ISSUED, PatronageAllocation.Status.PAID):
                return allocation
            if allocation.status != PatronageAllocation.Status.APPROVED:
                raise ValidationError("Only an approved allocation can be issued.")
            posted = _post_lines(allocation, issued_by=issued_by, limit=batch_size)
            finished = posted < batch_size  # fewer than asked: no line is left unposted under the lock
            if finished:
                _mark_issued(allocation, issued_by=issued_by)
        if posted and progress is not None:
            progress(selectors.lines_posted(allocation), selectors.lines_to_post(allocation))
        if finished:
            return allocation


def _mark_issued(allocation: PatronageAllocation, *, issued_by) -> None:
    """Every line is posted (the caller holds the allocation's lock): the allocation is issued."""
    lines, retained = selectors.issue_totals(allocation)
    allocation.status, allocation.issued_at = PatronageAllocation.Status.ISSUED, timezone.now()
    allocation.save(update_fields=["status", "issued_at"])
    year = allocation.fiscal_year  # loaded with the lock
    year.status = FiscalYear.Status.ALLOCATED
    year.save(update_fields=["status"])
    audit_log(cooperative=allocation.cooperative, action="patronage.allocation.issued", user=issued_by, obj=allocation,
              data={"lines": lines, "retained": str(retained)})


# The issue job, beside the service it runs; Celery finds it through patronage/tasks.py, under
# that module's name like every app's jobs. A lost connection or lock timeout retries with
# back-off; the issue resumes where it stopped.
@shared_task(name="patronage.tasks.allocation_issue_task", base=CooperativeTask, bind=True, acks_late=True,
             autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=5)
def allocation_issue_task(self, *, cooperative: Cooperative, allocation_id: int) -> str:
    allocation = PatronageAllocation.objects.get(pk=allocation_id)
    return allocation_issue(allocation=allocation).status


def _post_lines(allocation: PatronageAllocation, *, issued_by, limit: int) -> int:
    """Post up to `limit` unposted lines with a retained part (lowest worker numbers first) in
    one INSERT … SELECT: the lines never travel to Python. Returns how many were posted.
    Each entry is what a CapitalAccountEntry built from the line would be: kind patronage
    (or loss), the retained amount, effective the year's last day, reference
    `patronage-<year>-<line uuid>`."""
    entry, line = CapitalAccountEntry._meta, PatronageAllocationLine._meta
    year = allocation.fiscal_year
    kind = CapitalAccountEntry.Kind
    if connection.vendor == "sqlite":  # the demo: a UUID is stored as 32 hex digits
        uuid_text = "||'-'||".join(f"substr(l.uuid, {start}, {length})" for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12)))
    else:
        uuid_text = "CAST(l.uuid AS text)"
    fields = ["cooperative", "worker", "kind", "amount", "effective_on", "reference", "note", "allocation_line", "recorded_at",
              "recorded_by"]
    sql = f"""
        INSERT INTO {entry.db_table} ({", ".join(entry.get_field(f).column for f in fields)})
        SELECT %s, l.worker_id, CASE WHEN l.retained > 0 THEN %s ELSE %s END, l.retained, %s, %s || {uuid_text}, %s, l.id, %s, %s
        FROM {line.db_table} l
        WHERE l.allocation_id = %s AND l.retained <> 0
          AND NOT EXISTS (SELECT 1 FROM {entry.db_table} e WHERE e.allocation_line_id = l.id)
        ORDER BY l.worker_id
        LIMIT %s"""
    ops = connection.ops
    params = [allocation.cooperative_id, kind.PATRONAGE, kind.LOSS, ops.adapt_datefield_value(year.ends_on),
              f"patronage-{year.ends_on.year}-", f"Retained patronage, {year}", ops.adapt_datetimefield_value(timezone.now()),
              issued_by.pk if issued_by else None, allocation.pk, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@transaction.atomic
def allocation_cash_paid(*, allocation: PatronageAllocation, paid_on: date, recorded_by) -> PatronageAllocation:
    allocation = PatronageAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != PatronageAllocation.Status.ISSUED:
        raise ValidationError("Record the cash payment of an issued allocation.")
    if paid_on <= allocation.fiscal_year.ends_on:
        raise ValidationError({"paid_on": "The cash is paid after the fiscal year ends."})
    allocation.status, allocation.cash_paid_on = PatronageAllocation.Status.PAID, paid_on
    allocation.save(update_fields=["status", "cash_paid_on"])
    audit_log(cooperative=allocation.cooperative, action="patronage.allocation.cash_paid", user=recorded_by, obj=allocation,
              data={"paid_on": paid_on, "late": paid_on > selectors.cash_deadline(allocation)})
    return allocation
