"""Patronage: allocating a fiscal year's net earnings from member business to worker-owners
in proportion to their patronage, and their capital accounts (design § 2, Patronage).

Arithmetic (docs/patronage.md):
- reserve = net earnings × reserve % (half up to the cent); pool = net earnings − reserve.
- Each owner's share of the pool = pool × units ÷ total units by the largest remainder
  method (alliedup.money.split_by_weights): floor to the cent, leftover cents to the largest
  remainders, ties to the lower worker number. The lines sum to the pool exactly.
- Cash = the share × cash % rounded UP to the cent, so rounding never takes a member's cash
  below the percentage (Subchapter T: at least 20%); retained = share − cash.
"""

from datetime import date, timedelta
from decimal import ROUND_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.bulk import copy_rows
from alliedup.models import Cooperative
from alliedup.money import CENT, money_text, split_by_weights, split_evenly, sum_to_cents, to_cents
from payroll.patronage import selectors
from payroll.patronage.models import (
    CapitalAccountEntry,
    FiscalYear,
    PatronageAllocation,
    PatronageAllocationLine,
    RedemptionInstallment,
    RedemptionSchedule,
)

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
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
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
    existing = PatronageAllocation.objects.filter(fiscal_year=fiscal_year).first()
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
        # One DELETE (the ORM would fetch the lines and delete them 100 at a time); a draft's
        # lines are never posted, so nothing points at them.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PatronageAllocationLine._meta.db_table} WHERE allocation_id = %s", [existing.pk])
        existing.delete()
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
    from alliedup.tasks import enqueue
    from payroll.patronage.tasks import allocation_issue_task

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
    batch, each batch one INSERT … SELECT in its own transaction; then mark the allocation
    issued. A co-op of fewer than `batch_size` owners is one batch: the number of queries
    does not grow with the owners.

    Idempotent and resumable: a line is posted with a unique reference, so a retry after a
    crash posts only the lines not yet posted, and each line is posted exactly once. The
    allocation is issued (notices and 1099-PATR data available) only when every line is.
    `progress(done, total)` is called after each batch."""
    with transaction.atomic():
        allocation = PatronageAllocation.objects.select_for_update().get(pk=allocation.pk)
        if allocation.status in (PatronageAllocation.Status.ISSUED, PatronageAllocation.Status.PAID):
            return allocation
        if allocation.status != PatronageAllocation.Status.APPROVED:
            raise ValidationError("Only an approved allocation can be issued.")
    coop = allocation.cooperative
    total = allocation.lines.exclude(retained=0).count()
    while True:
        with transaction.atomic():
            # The allocation row lock serialises overlapping runs (a redelivered task): each
            # batch sees what the other committed, so no line is posted twice.
            PatronageAllocation.objects.select_for_update().filter(pk=allocation.pk).first()
            posted = _post_lines(allocation, issued_by=issued_by, limit=batch_size)
        if posted and progress is not None:
            progress(selectors.lines_posted(allocation), total)
        if posted < batch_size:
            break  # nothing was left unposted under the lock
    with transaction.atomic():
        allocation = PatronageAllocation.objects.select_for_update().get(pk=allocation.pk)
        unposted = allocation.lines.filter(capital_entry__isnull=True).exclude(retained=0).exists()
        if allocation.status == PatronageAllocation.Status.APPROVED and not unposted:
            allocation.status, allocation.issued_at = PatronageAllocation.Status.ISSUED, timezone.now()
            allocation.save(update_fields=["status", "issued_at"])
            FiscalYear.objects.filter(pk=allocation.fiscal_year_id).update(status=FiscalYear.Status.ALLOCATED)
            audit_log(cooperative=coop, action="patronage.allocation.issued", user=issued_by, obj=allocation,
                      data={"lines": total, "retained": str(selectors.allocation_totals(allocation)["retained"])})
    return allocation


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


@transaction.atomic
def capital_redeem(*, worker, amount, effective_on: date, reference: str, reason: str, recorded_by) -> CapitalAccountEntry:
    """Pay out (part of) a member's retained patronage, e.g. on exit per the bylaws' schedule.
    Never more than the retained balance (equity is redeemed through members)."""
    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        raise ValidationError({"amount": "Give the amount in dollars and cents."}) from None
    type(worker).objects.select_for_update().filter(pk=worker.pk).first()
    balance = selectors.capital_account(worker).retained_balance
    scheduled = selectors.redemption_outstanding(worker)[RedemptionInstallment.Part.CAPITAL]
    errors = {}
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        errors["amount"] = "Give a positive amount in whole cents."
    elif amount > balance:
        errors["amount"] = f"The retained balance is {money_text(balance)}; {money_text(amount)} is more than that."
    elif amount > balance - scheduled:
        # Paying the exit schedule's money out here would leave its installments unfunded.
        errors["amount"] = (
            f"{money_text(scheduled)} of the retained balance is scheduled for redemption on exit: record those "
            f"payments against the schedule's installments. At most {money_text(balance - scheduled)} can be paid out here."
        )
    if not reference.strip():
        errors["reference"] = "Give the check or transfer reference."
    elif CapitalAccountEntry.objects.filter(reference=reference.strip()).exists():
        errors["reference"] = "This reference is already recorded."
    if errors:
        raise ValidationError(errors)
    entry = CapitalAccountEntry.objects.create(
        cooperative=worker.cooperative, worker=worker, kind=CapitalAccountEntry.Kind.REDEMPTION, amount=-amount,
        effective_on=effective_on, reference=reference.strip(), note=reason.strip()[:300], recorded_by=recorded_by,
    )
    audit_log(cooperative=worker.cooperative, action="patronage.capital.redeemed", user=recorded_by, obj=worker,
              data={"amount": str(amount), "reference": reference})
    return entry


@transaction.atomic
def capital_opening_post(
    *, worker, amount, effective_on: date, reference: str, note: str = "", recorded_by=None,
) -> CapitalAccountEntry:
    """Bring over the capital account balance a worker-owner had before the co-op moved onto
    the platform (members.services.roster_import): one entry of kind opening, which the
    balance, payouts and an exit's redemption schedule count like retained patronage.
    Returns the entry; audited as `patronage.capital.opening_posted`.

    Refused (ValidationError): not a positive amount in whole cents, a worker who is not a
    worker-owner, one who already has an opening balance, a reference already used."""
    from members.models import MemberStatus

    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        raise ValidationError({"amount": "Give the opening balance in dollars and cents."}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": "Give a positive opening balance in whole cents."})
    # Read under a lock, not from the instance (which may predate the status change): an exit
    # at the same time either sees this entry or refuses this one.
    status = type(worker).objects.select_for_update().filter(pk=worker.pk).values_list("status", flat=True).first()
    if status != MemberStatus.OWNER:
        raise ValidationError(f"{worker} is not a worker-owner: only worker-owners hold a capital account.")
    # One query for both refusals: an account opens once, and references are unique in the co-op.
    clash = (CapitalAccountEntry.objects.filter(worker=worker, kind=CapitalAccountEntry.Kind.OPENING)
             | CapitalAccountEntry.objects.filter(reference=reference.strip())).first()
    if clash is not None:
        raise ValidationError(
            f"{worker}'s capital account already has its opening balance." if clash.worker_id == worker.pk
            and clash.kind == CapitalAccountEntry.Kind.OPENING else {"reference": "This reference is already recorded."}
        )
    entry = CapitalAccountEntry.objects.create(
        cooperative=worker.cooperative, worker=worker, kind=CapitalAccountEntry.Kind.OPENING, amount=amount,
        effective_on=effective_on, reference=reference.strip(), note=note.strip()[:300], recorded_by=recorded_by,
    )
    audit_log(cooperative=worker.cooperative, action="patronage.capital.opening_posted", user=recorded_by, obj=worker,
              data={"amount": str(amount), "effective_on": effective_on, "reference": entry.reference})
    return entry


# Redemption on exit ----------------------------------------------------------------------------


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # Feb 29 → Feb 28 in a common year
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def redemption_schedule_create(
    *, worker, reason: str, effective_on: date, owner_since: date, status_change, created_by=None,
) -> RedemptionSchedule:
    """The bylaws' repayment of an owner who left, as installments (called only by
    members.services.exit.ownership_exit, inside its transaction, with the worker locked):

    - the equity buy-in paid in (payments and deductions; a waived amount was never paid, so
      is not repaid), due `equity_redemption_days` after `effective_on`;
    - the capital account's retained balance (retained patronage − losses − redemptions;
      the collective reserve is never in it) in `capital_redemption_installments` annual
      installments due on the anniversaries of `effective_on`, split to the cent with the
      leftover cents on the last ones (fewer installments when there are fewer cents).

    Amounts already scheduled by an earlier exit and not yet paid are left out. A negative
    retained balance (losses beyond the patronage retained) reduces the equity repaid: what
    is repaid is the account's balance. Raises ValidationError for an unknown reason or a
    second schedule for the same ownership period."""
    if reason not in RedemptionSchedule.Reason.values:
        raise ValidationError({"reason": f"The reason for leaving is one of {', '.join(RedemptionSchedule.Reason.values)}."})
    if RedemptionSchedule.objects.filter(worker=worker, owner_since=owner_since).exists():
        raise ValidationError(f"{worker}'s ownership since {owner_since:%b %-d, %Y} already has its redemption schedule.")
    coop = worker.cooperative
    account = selectors.capital_account(worker)
    outstanding = selectors.redemption_outstanding(worker)
    equity = account.equity_paid - account.equity_redeemed - outstanding[RedemptionInstallment.Part.EQUITY]
    capital = account.retained_balance - outstanding[RedemptionInstallment.Part.CAPITAL]
    if capital < 0:
        equity, capital = equity + capital, Decimal("0.00")
    equity = max(equity, Decimal("0.00"))
    schedule = RedemptionSchedule.objects.create(
        cooperative=coop, worker=worker, reason=reason, effective_on=effective_on, owner_since=owner_since,
        status_change=status_change, equity_paid=account.equity_paid, capital_balance=account.retained_balance,
        equity_due=equity, capital_due=capital, created_by=created_by,
    )
    parts = []
    if equity > 0:
        parts.append((effective_on + timedelta(days=coop.equity_redemption_days), RedemptionInstallment.Part.EQUITY, equity))
    if capital > 0:
        count = min(coop.capital_redemption_installments, int(capital / CENT))
        for year, amount in enumerate(split_evenly(capital, count, leftover_to="last"), start=1):
            parts.append((_years_after(effective_on, year), RedemptionInstallment.Part.CAPITAL, amount))
    parts.sort(key=lambda p: (p[0], p[1] != RedemptionInstallment.Part.EQUITY))
    RedemptionInstallment.objects.bulk_create(
        RedemptionInstallment(cooperative=coop, schedule=schedule, number=number, part=part, due_on=due_on, amount=amount)
        for number, (due_on, part, amount) in enumerate(parts, start=1)
    )
    audit_log(cooperative=coop, action="patronage.redemption.scheduled", user=created_by, obj=schedule,
              after={"reason": reason, "effective_on": effective_on, "equity_due": equity, "capital_due": capital,
                     "installments": len(parts)})
    return schedule


def _amount_or(value, default: Decimal) -> Decimal:
    if value in (None, ""):
        return default
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({"amount": "Give the amount in dollars and cents."}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": "Give a positive amount in whole cents."})
    return amount


@transaction.atomic
def redemption_payment_record(
    *, installment: RedemptionInstallment, paid_on: date, reference: str, recorded_by, amount=None, note: str = "",
) -> CapitalAccountEntry:
    """Record a payment of a redemption installment (by default all that is still due): a
    redemption entry in the worker's capital ledger pointing at the installment; the
    installment is marked paid once its payments reach its amount. Audited.

    Raises ValidationError, writing nothing, for an amount not in whole cents, more than is
    still due on the installment (or, for the capital part, more than the retained balance),
    an installment paid already, a missing or used reference, or a date before the exit."""
    from members.models import Worker

    worker_id = RedemptionSchedule.objects.filter(pk=installment.schedule_id).values_list("worker_id", flat=True).get()
    # The worker row lock serialises this with capital_redeem and the exit (one balance).
    worker = Worker.objects.select_for_update().select_related("cooperative").get(pk=worker_id)
    installment = RedemptionInstallment.objects.select_for_update().select_related("schedule").get(pk=installment.pk)
    schedule = installment.schedule
    paid = -sum_to_cents(installment.payments.aggregate(total=Sum("amount"))["total"])
    due = installment.amount - paid
    if due <= 0:
        raise ValidationError(f"Installment {installment.number} is paid already ({money_text(installment.amount)}).")
    amount = _amount_or(amount, due)
    reference = (reference or "").strip()
    errors = {}
    if amount > due:
        errors["amount"] = (f"Only {money_text(due)} is due on installment {installment.number}; "
                            f"{money_text(amount)} is more than that.")
    elif installment.part == RedemptionInstallment.Part.CAPITAL:
        balance = selectors.capital_account(worker).retained_balance
        if amount > balance:
            errors["amount"] = f"The retained balance is {money_text(balance)}; {money_text(amount)} is more than that."
    if not reference:
        errors["reference"] = "Give the check or transfer reference."
    elif CapitalAccountEntry.objects.filter(reference=reference).exists():
        errors["reference"] = "This reference is already recorded."
    if paid_on < schedule.effective_on:
        errors["paid_on"] = f"Ownership ended on {schedule.effective_on:%b %-d, %Y}; a redemption is paid on or after that."
    if errors:
        raise ValidationError(errors)
    entry = CapitalAccountEntry.objects.create(
        cooperative=worker.cooperative, worker=worker, kind=CapitalAccountEntry.Kind.REDEMPTION, amount=-amount,
        effective_on=paid_on, reference=reference, redemption_installment=installment, recorded_by=recorded_by,
        note=(note.strip() or f"{installment.get_part_display()}, installment {installment.number} of the exit redemption")[:300],
    )
    if amount == due:
        installment.paid_on = paid_on
        installment.save(update_fields=["paid_on"])
    audit_log(cooperative=worker.cooperative, action="patronage.redemption.paid", user=recorded_by, obj=schedule,
              data={"installment": installment.number, "part": installment.part, "amount": amount,
                    "reference": reference, "paid_in_full": amount == due})
    return entry
