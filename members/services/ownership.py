"""When a candidate becomes a worker-owner (design § 2, Ownership path)."""

from datetime import date

from django.db import transaction

from alliedup.audit import audit_log
from members import selectors
from members.models import AgreementSignature, Candidacy, EquityAccount, MemberStatus, Worker
from members.services.status import status_change


def equity_condition_met(account: EquityAccount | None) -> bool:
    """Paid in full, or waived, or, where the bylaws say so, the first installment paid."""
    if account is None:
        return False
    summary = selectors.equity_summary(account)
    if summary.owed == 0:
        return True  # paid, or paid and waived the rest
    if account.plan == EquityAccount.Plan.INSTALLMENTS and account.cooperative.ownership_starts_at_first_installment:
        first = account.installments.order_by("number").first()
        return first is not None and summary.paid >= first.amount
    return False


@transaction.atomic
def ownership_check(*, worker: Worker, on: date, by=None) -> bool:
    """Make the candidate a worker-owner if the agreement is signed and the equity condition
    is met; return whether they became one. Safe to call after any step (idempotent)."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.status != MemberStatus.CANDIDATE:
        return False
    candidacy = Candidacy.objects.select_for_update().filter(worker=worker, status=Candidacy.Status.OPEN).first()
    if candidacy is None or not AgreementSignature.objects.filter(candidacy=candidacy).exists():
        return False
    if not equity_condition_met(EquityAccount.objects.filter(worker=worker).first()):
        return False
    candidacy.status = Candidacy.Status.COMPLETED
    candidacy.closed_on = on
    candidacy.save(update_fields=["status", "closed_on"])
    status_change(worker=worker, to_status=MemberStatus.OWNER, effective_on=on, changed_by=by,
                  reason="Membership agreement signed and equity condition met")
    Worker.objects.filter(pk=worker.pk).update(owner_classification=candidacy.classification)
    audit_log(cooperative=worker.cooperative, action="members.candidacy.completed", user=by, obj=candidacy)
    return True
