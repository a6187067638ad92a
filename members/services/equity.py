"""The equity buy-in: paid in full, in installments, or waived for hardship."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from alliedup.i18n import language_for
from alliedup.money import CENT, money_text, split_evenly
from alliedup.sending import claim
from members import selectors
from members.models import EquityAccount, EquityEntry, EquityInstallment, Worker
from members.services.ownership import ownership_check


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # Clamp to the month's last day (Jan 31 + 1 month = Feb 28/29).
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def equity_account_open(*, worker: Worker, plan: str = EquityAccount.Plan.FULL, start_on: date, opened_by=None) -> EquityAccount:
    """Open the worker's equity account at the co-op's buy-in, or change the plan of one with
    nothing paid yet. An installment plan gets its schedule: the co-op's number of
    installments, a month apart from `start_on`, in amounts that sum to the buy-in exactly."""
    if plan not in (EquityAccount.Plan.FULL, EquityAccount.Plan.INSTALLMENTS):
        raise ValidationError({"plan": _("Choose to pay in full or in installments (a waiver is a staff decision).")})
    cooperative = worker.cooperative
    account = EquityAccount.objects.select_for_update().filter(worker=worker).first()
    if account is None:
        account = EquityAccount.objects.create(cooperative=cooperative, worker=worker, buy_in=cooperative.equity_buy_in, plan=plan)
    elif account.entries.exists():
        raise ValidationError({"plan": _("Payments are recorded already; the plan can no longer change.")})
    account.plan = plan
    account.save(update_fields=["plan"])
    account.installments.all().delete()
    if plan == EquityAccount.Plan.INSTALLMENTS:
        amounts = split_evenly(account.buy_in, cooperative.equity_installments)
        EquityInstallment.objects.bulk_create(
            EquityInstallment(cooperative=cooperative, account=account, number=i + 1, due_on=_add_months(start_on, i), amount=amount)
            for i, amount in enumerate(amounts)
        )
    audit_log(cooperative=cooperative, action="members.equity.plan_chosen", user=opened_by, obj=account, after={"plan": plan})
    return account


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "Enter an amount in dollars and cents."}) from None
    if amount != amount.quantize(CENT):
        raise ValidationError({"amount": "Amounts are in whole cents."})
    if amount <= 0:
        raise ValidationError({"amount": "The amount must be more than zero."})
    return amount


@transaction.atomic
def equity_payment_record(
    *, account: EquityAccount, amount, effective_on: date, reference: str, recorded_by=None,
    kind: str = EquityEntry.Kind.PAYMENT, submission_key: str = "",
) -> EquityEntry:
    """Record a payment or payroll deduction toward the buy-in; may start ownership.

    Raises ValidationError for an amount over what is owed, a reused reference, or a form
    submitted twice (same submission key); nothing is written then.
    """
    if kind not in (EquityEntry.Kind.PAYMENT, EquityEntry.Kind.PAYROLL_DEDUCTION):
        raise ValidationError({"kind": "Record a payment or a payroll deduction."})
    amount = _amount(amount)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": "Give the receipt, check or pay-run number."})
    account = EquityAccount.objects.select_for_update().get(pk=account.pk)  # serialises payments on one account
    if submission_key and account.entries.filter(submission_key=submission_key).exists():
        raise ValidationError("This payment form was already submitted; the payment is recorded once.")
    if account.entries.filter(reference=reference).exists():
        raise ValidationError({"reference": f"A payment with reference {reference!r} is already recorded."})
    owed = selectors.equity_summary(account).owed
    if amount > owed:
        raise ValidationError({"amount": f"Only {money_text(owed)} is owed; {money_text(amount)} is more than that."})
    try:
        with transaction.atomic():
            entry = EquityEntry.objects.create(
                cooperative=account.cooperative, account=account, kind=kind, amount=amount, effective_on=effective_on,
                reference=reference, submission_key=submission_key, recorded_by=recorded_by,
            )
    except IntegrityError:
        raise ValidationError("This payment is already recorded.") from None
    audit_log(
        cooperative=account.cooperative, action="members.equity.paid", user=recorded_by, obj=account,
        data={"amount": amount, "reference": reference, "kind": kind},
    )
    ownership_check(worker=account.worker, on=effective_on, by=recorded_by)
    return entry


@transaction.atomic
def equity_waive(*, account: EquityAccount, reason: str, effective_on: date, waived_by) -> EquityEntry:
    """Waive what is still owed for hardship (a staff decision, with its reason); may start ownership."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "A hardship waiver needs its reason recorded."})
    account = EquityAccount.objects.select_for_update().get(pk=account.pk)
    owed = selectors.equity_summary(account).owed
    if owed <= 0:
        raise ValidationError("Nothing is owed; there is nothing to waive.")
    entry = EquityEntry.objects.create(
        cooperative=account.cooperative, account=account, kind=EquityEntry.Kind.WAIVER, amount=owed,
        effective_on=effective_on, reference=f"waiver-{account.entries.count() + 1}", reason=reason.strip(), recorded_by=waived_by,
    )
    account.plan = EquityAccount.Plan.WAIVED
    account.save(update_fields=["plan"])
    audit_log(
        cooperative=account.cooperative, action="members.equity.waived", user=waived_by, obj=account,
        data={"amount": owed, "reason": reason},
    )
    ownership_check(worker=account.worker, on=effective_on, by=waived_by)
    return entry


def installment_reminders_send(*, cooperative, today: date, days_ahead: int) -> int:
    """Email each worker whose next installment falls due within `days_ahead` days and is not
    covered by what they paid; claim each installment first so none is reminded twice."""
    sent = 0
    due = (
        EquityInstallment.objects.filter(
            cooperative=cooperative, reminded_at=None, due_on__gte=today, due_on__lte=today + timedelta(days=days_ahead),
            account__plan=EquityAccount.Plan.INSTALLMENTS,
        ).select_related("account__worker__user")
    )
    for installment in due:
        account = installment.account
        schedule = {row.number: row for row in selectors.installment_schedule(account, selectors.equity_summary(account).paid)}
        row = schedule[installment.number]
        if row.is_paid:
            continue
        if not claim(EquityInstallment.objects.filter(pk=installment.pk), "reminded_at"):
            continue
        worker = account.worker
        with translation.override(language_for(worker)):
            subject = _("%(coop)s: equity installment %(number)s due %(day)s") % {
                "coop": cooperative.name, "number": installment.number, "day": dateformat.format(installment.due_on, _("M j")),
            }
            send_mail(
                subject=subject,
                message=render_to_string("members/email/installment_reminder.txt", {
                    "worker": worker, "installment": installment, "due": row.amount - row.covered, "cooperative": cooperative,
                }),
                from_email=None, recipient_list=[worker.email],
            )
        sent += 1
    return sent
