"""From candidate to worker-owner: the agreement, the equity buy-in, and the ownership rule."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alliedup.money import split_evenly
from members.models import AgreementSignature, Candidacy, EquityAccount, EquityEntry, MemberStatus, Worker
from members.selectors import equity_summary, installment_schedule
from members.services.agreement import agreement_publish, agreement_sign
from members.services.candidacy import candidacy_open
from members.services.equity import equity_account_open, equity_payment_record, equity_waive
from tests.members.factories import WorkerFactory

TODAY = date(2026, 11, 23)


@pytest.fixture
def agreement(alliedup, alliedup_users):
    return agreement_publish(cooperative=alliedup, title="Membership agreement", body="We own this together.\n\nOne member, one vote.",
                             effective_from=TODAY - timedelta(days=30), published_by=alliedup_users["admin"])


@pytest.fixture
def candidate(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Rosa", last_name="Delgado")
    candidacy_open(worker=worker, classification=ma, opened_on=TODAY - timedelta(days=10))
    return Worker.objects.get(pk=worker.pk)


def _sign(worker, agreement, **kw):
    args = {"worker": worker, "version": agreement.version, "typed_name": "Rosa Delgado", "consent": True, "on": TODAY, "ip_address": "203.0.113.7"}
    return agreement_sign(**{**args, **kw})


def _status(worker):
    return Worker.objects.get(pk=worker.pk).status


@pytest.mark.parametrize("total, parts", [("250.00", 5), ("250.00", 3), ("100.01", 7), ("0.03", 5)])
def test_split_sums_exactly_and_differs_by_at_most_a_cent(total, parts):
    amounts = split_evenly(Decimal(total), parts)
    assert sum(amounts) == Decimal(total) and len(amounts) == parts
    assert max(amounts) - min(amounts) <= Decimal("0.01")


def test_agreement_signature_keeps_name_time_ip_and_a_pdf(candidate, agreement):
    signature = _sign(candidate, agreement, typed_name="  rosa   DELGADO ")
    assert signature.typed_name == "rosa DELGADO" and signature.ip_address == "203.0.113.7"
    assert signature.pdf.read().startswith(b"%PDF")
    assert _status(candidate) == MemberStatus.CANDIDATE  # equity not settled yet


@pytest.mark.parametrize("kwargs, field", [
    ({"typed_name": "Someone Else"}, "typed_name"),
    ({"consent": False}, "consent"),
    ({"version": 99}, "version"),
])
def test_bad_signatures_are_refused_and_nothing_is_written(candidate, agreement, kwargs, field):
    with pytest.raises(ValidationError) as err:
        _sign(candidate, agreement, **kwargs)
    assert field in err.value.message_dict
    assert not AgreementSignature.objects.exists()


def test_signing_an_outdated_version_after_a_new_one_is_published(candidate, agreement, alliedup, alliedup_users):
    agreement_publish(cooperative=alliedup, title="Membership agreement", body="Revised.", effective_from=TODAY, published_by=alliedup_users["admin"])
    with pytest.raises(ValidationError, match="not the current agreement"):
        _sign(candidate, agreement)
    assert not AgreementSignature.objects.exists()


def test_an_employee_without_candidacy_cannot_sign(alliedup, ma, agreement):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Rosa", last_name="Delgado")
    with pytest.raises(ValidationError, match="open candidacy"):
        _sign(worker, agreement)


def test_paid_in_full_plus_signature_makes_a_worker_owner(candidate, agreement, alliedup_users, ma):
    account = equity_account_open(worker=candidate, plan="full", start_on=TODAY)
    equity_payment_record(account=account, amount="250.00", effective_on=TODAY, reference="R-1", recorded_by=alliedup_users["payroll"])
    assert _status(candidate) == MemberStatus.CANDIDATE  # not signed yet
    _sign(candidate, agreement)
    worker = Worker.objects.get(pk=candidate.pk)
    assert worker.status == MemberStatus.OWNER and worker.owner_since == TODAY and worker.owner_classification == ma
    assert Candidacy.objects.get(worker=worker).status == Candidacy.Status.COMPLETED


def test_installment_plan_starts_ownership_at_the_first_installment(candidate, agreement, alliedup_users):
    _sign(candidate, agreement)
    account = equity_account_open(worker=candidate, plan="installments", start_on=TODAY)
    assert [i.amount for i in account.installments.all()] == [Decimal("50.00")] * 5
    assert [i.due_on for i in account.installments.all()][:3] == [TODAY, date(2026, 12, 23), date(2027, 1, 23)]
    equity_payment_record(account=account, amount="30.00", effective_on=TODAY, reference="R-1")
    assert _status(candidate) == MemberStatus.CANDIDATE  # less than the first installment
    equity_payment_record(account=account, amount="20.00", effective_on=TODAY, reference="R-2", kind=EquityEntry.Kind.PAYROLL_DEDUCTION)
    assert _status(candidate) == MemberStatus.OWNER
    schedule = installment_schedule(account, equity_summary(account).paid)
    assert [row.is_paid for row in schedule] == [True, False, False, False, False]


def test_without_the_bylaws_setting_an_installment_plan_waits_for_the_last_payment(candidate, agreement, alliedup):
    alliedup.ownership_starts_at_first_installment = False
    alliedup.save()
    _sign(candidate, agreement)
    account = equity_account_open(worker=candidate, plan="installments", start_on=TODAY)
    for n in range(4):
        equity_payment_record(account=account, amount="50.00", effective_on=TODAY, reference=f"R-{n}")
    assert _status(candidate) == MemberStatus.CANDIDATE
    equity_payment_record(account=account, amount="50.00", effective_on=TODAY, reference="R-4")
    assert _status(candidate) == MemberStatus.OWNER
    assert equity_summary(account).owed == 0 and equity_summary(account).status == "paid"


def test_hardship_waiver_needs_a_reason_and_makes_an_owner(candidate, agreement, alliedup_users):
    _sign(candidate, agreement)
    account = equity_account_open(worker=candidate, plan="full", start_on=TODAY)
    with pytest.raises(ValidationError):
        equity_waive(account=account, reason=" ", effective_on=TODAY, waived_by=alliedup_users["admin"])
    assert not EquityEntry.objects.exists()
    equity_waive(account=account, reason="Medical bills", effective_on=TODAY, waived_by=alliedup_users["admin"])
    summary = equity_summary(EquityAccount.objects.get(pk=account.pk))
    assert summary.waived == Decimal("250.00") and summary.owed == 0 and summary.status == "waived"
    assert _status(candidate) == MemberStatus.OWNER


@pytest.mark.parametrize("amount", ["250.01", "0", "-5", "12.345"])
def test_bad_payments_are_refused(candidate, amount):
    account = equity_account_open(worker=candidate, plan="full", start_on=TODAY)
    with pytest.raises(ValidationError) as err:
        equity_payment_record(account=account, amount=amount, effective_on=TODAY, reference="R-1")
    assert "amount" in err.value.message_dict
    assert not EquityEntry.objects.exists()


def test_the_same_payment_twice_is_refused(candidate):
    account = equity_account_open(worker=candidate, plan="installments", start_on=TODAY)
    equity_payment_record(account=account, amount="50.00", effective_on=TODAY, reference="R-1", submission_key="form-abc")
    with pytest.raises(ValidationError, match="already recorded"):
        equity_payment_record(account=account, amount="50.00", effective_on=TODAY, reference="R-1")
    with pytest.raises(ValidationError, match="already submitted"):
        equity_payment_record(account=account, amount="50.00", effective_on=TODAY, reference="R-2", submission_key="form-abc")
    assert EquityEntry.objects.count() == 1


def test_plan_cannot_change_after_a_payment(candidate):
    account = equity_account_open(worker=candidate, plan="installments", start_on=TODAY)
    equity_payment_record(account=account, amount="50.00", effective_on=TODAY, reference="R-1")
    with pytest.raises(ValidationError):
        equity_account_open(worker=candidate, plan="full", start_on=TODAY)
    assert EquityAccount.objects.get().installments.count() == 5


def test_installment_reminders_go_once_and_only_for_unpaid_installments(candidate, alliedup):
    from django.core import mail

    from members.services.equity import installment_reminders_send

    account = equity_account_open(worker=candidate, plan="installments", start_on=TODAY)
    equity_payment_record(account=account, amount="50.00", effective_on=TODAY, reference="R-1")  # covers the 1st
    mail.outbox.clear()
    # the 1st (due today) is paid; the 2nd falls due in 30 days: outside a 7-day look-ahead
    assert installment_reminders_send(cooperative=alliedup, today=TODAY, days_ahead=7) == 0
    second_due = TODAY + timedelta(days=30)
    assert installment_reminders_send(cooperative=alliedup, today=second_due - timedelta(days=5), days_ahead=7) == 1
    assert installment_reminders_send(cooperative=alliedup, today=second_due - timedelta(days=4), days_ahead=7) == 0
    assert len(mail.outbox) == 1 and "installment 2" in mail.outbox[0].subject and "$50.00" in mail.outbox[0].body
