"""Pay runs, the approval: a calculated, current run becomes final; sick leave accrues and
equity installments reach the members ledger, each once; negative pay needs a named override."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.money import money_text
from alliedup.permissions import can
from members.choices import EquityEntryKind
from members.services.equity import equity_payment_record
from payroll import notices, selectors
from payroll.models import REASON_MAX_LENGTH, PayDeduction, PayRun, PayStatement, SickLeaveEntry
from payroll.services.pay_lines import ZERO, sick_accrual
from payroll.services.runs_calculate import earlier_runs_final, run_lock

STALE_MESSAGE = "Timesheets of this run were corrected after it was calculated; recalculate first."


class NegativePayRefused(ValidationError):
    """Approval refused: these statements (`statements`, from selectors.negative_pay) pay a
    worker less than nothing and no override reason was given."""

    def __init__(self, statements: list[PayStatement]):
        self.statements = statements
        names = "; ".join(f"{s.worker} (gross {money_text(s.gross)}, net {money_text(_net(s))})" for s in statements)
        super().__init__({"negative_override_reason": [
            f"Negative pay for {names}. Correct the run, or approve it with a reason for the override."]})


def _net(statement: PayStatement) -> Decimal:
    return statement.net if statement.net is not None else statement.gross - statement.deductions


def _negative_pay_override(run: PayRun, approved_by, reason: str | None) -> dict | None:
    """None when nobody in the run is paid less than nothing; else the override to record
    ({"reason", "statements"}). Raises NegativePayRefused without a reason, ValidationError
    for a reason over REASON_MAX_LENGTH, PermissionDenied for a user who may not approve runs
    (an override is an approval decision, so it needs the same role)."""
    negative = selectors.negative_pay(run)
    if not negative:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise NegativePayRefused(negative)
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"negative_override_reason": [
            f"Keep the reason to {REASON_MAX_LENGTH} characters (it has {len(reason)})."]})
    if not can(approved_by, run.cooperative, "payroll.manage"):
        raise PermissionDenied("Only someone who may approve pay runs can approve negative pay.")
    return {"reason": reason, "statements": negative}


@transaction.atomic
def payrun_approve(*, run: PayRun, approved_by, negative_override_reason: str = "") -> PayRun:
    """Approve a calculated run: it becomes final; sick leave accrues and equity
    installments are posted to the members ledger, each once. A stale run (timesheets
    corrected since it was calculated, selectors.run_is_stale) is refused: recalculate first.

    A run in which any worker's gross or net is negative is refused (NegativePayRefused,
    naming them) unless `negative_override_reason` says why it must go out anyway; then who,
    when and why are kept on the run and audited with the workers concerned. Raises
    ValidationError, writing nothing, when the run is not calculated or an earlier one is
    not approved."""
    run = run_lock(run)
    if run.status != PayRun.Status.CALCULATED or run.calculation_queued_at is not None:
        raise ValidationError("Calculate the pay run (again) before approving it.")
    if selectors.run_is_stale(run):
        raise ValidationError(STALE_MESSAGE)
    earlier_runs_final(run)
    coop = run.cooperative
    override = _negative_pay_override(run, approved_by, negative_override_reason)
    statements = list(run.statements.all())
    balances = selectors.sick_balances([s.worker_id for s in statements], exclude_run=run)
    caps = selectors.sick_caps(coop, [s.worker_id for s in statements], run.period.ends_on + timedelta(days=1))
    accruals = []
    for statement in statements:
        balance = balances.get(statement.worker_id) or ZERO
        earned = sick_accrual(coop, statement.hours_worked, balance, cap=caps[statement.worker_id].accrual)
        accruals.append(SickLeaveEntry(cooperative=coop, worker_id=statement.worker_id, kind=SickLeaveEntry.Kind.ACCRUED,
                                       hours=earned, workday=run.period.ends_on, run=run, note=f"Accrued in {run.reference}"))
        statement.sick_hours_available = (balance + earned).quantize(Decimal("0.01"), ROUND_HALF_UP)
    SickLeaveEntry.objects.bulk_create([a for a in accruals if a.hours > 0], batch_size=5000)
    PayStatement.objects.bulk_update(statements, ["sick_hours_available"], batch_size=5000)
    for deduction in run.deductions.filter(kind=PayDeduction.Kind.EQUITY).select_related("worker__equity_account"):
        equity_payment_record(account=deduction.worker.equity_account, amount=deduction.amount,
                              effective_on=run.period.pay_date, reference=run.reference,
                              kind=EquityEntryKind.PAYROLL_DEDUCTION, recorded_by=approved_by)
    now = timezone.now()
    run.status, run.approved_at, run.approved_by = PayRun.Status.APPROVED, now, approved_by
    fields = ["status", "approved_at", "approved_by"]
    if override is not None:
        run.negative_override_reason, run.negative_override_by, run.negative_override_at = override["reason"], approved_by, now
        fields += ["negative_override_reason", "negative_override_by", "negative_override_at"]
        audit_log(cooperative=coop, action="payroll.run.negative_pay_overridden", user=approved_by, obj=run, data={
            "reason": override["reason"],
            "workers": [{"worker": str(s.worker.uuid), "name": str(s.worker), "gross": str(s.gross), "net": str(_net(s))}
                        for s in override["statements"]],
        })
    run.save(update_fields=fields)
    audit_log(cooperative=coop, action="payroll.run.approved", user=approved_by, obj=run,
              data={k: str(v) for k, v in selectors.run_totals(run).items()})
    notices.pay_statements_ready(run=run)
    return run
