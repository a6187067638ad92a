"""Pages of leaving the co-op: staff end a worker-owner's ownership (the bylaws' redemption
is scheduled by members.services.exit.ownership_exit) and record the payments of its
installments. The schedule shows on the worker's record page and on the worker's own
"My ownership" page (members.views), through `exit_context` / `my_exit_context`."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from alliedup.money import money_text
from alliedup.permissions import can, permission_required_in_coop
from members.forms import OwnershipExitForm, RedemptionPaymentForm
from members.models import MemberStatus, Worker
from members.services.exit import ownership_exit
from members.services.retention import retention_status


def _form_errors(form) -> str:
    return "Check the form: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())


def my_exit_context(worker: Worker, today: date) -> dict:
    """The worker's own redemption schedules and retention status (three queries at most)."""
    from payroll.patronage.selectors import redemption_overviews

    return {"redemption": redemption_overviews(worker), "retention_status": retention_status(worker, today)}


def exit_context(request, worker: Worker, today: date) -> dict:
    """The record page's "Leaving the co-op" section: the schedules with a payment form for
    staff who manage patronage, and the exit form for an owner (staff who manage members)."""
    context = my_exit_context(worker, today)
    context["can_pay_redemption"] = can(request.user, request.cooperative, "patronage.manage")
    if worker.status == MemberStatus.OWNER:
        context["exit_form"] = OwnershipExitForm(initial={"effective_on": today})
    return context


@require_POST
@permission_required_in_coop("members.manage")
def worker_exit(request, coop_slug, worker_uuid):
    worker = get_object_or_404(Worker.objects.select_related("cooperative"), uuid=worker_uuid)
    form = OwnershipExitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        d = form.cleaned_data
        try:
            schedule = ownership_exit(worker=worker, reason=d["reason"], effective_on=d["effective_on"], note=d["note"],
                                      recorded_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            total = schedule.equity_due + schedule.capital_due
            messages.success(request, f"{worker}'s ownership ended on {schedule.effective_on:%b %-d, %Y}. "
                                      f"{money_text(total)} is scheduled for redemption.")
    return redirect("members:worker_detail", coop_slug=coop_slug, worker_uuid=worker_uuid)


@require_POST
@permission_required_in_coop("patronage.manage")
def redemption_payment(request, coop_slug, worker_uuid, installment_uuid):
    from payroll.patronage.models import RedemptionInstallment
    from payroll.patronage.services import redemption_payment_record

    installment = get_object_or_404(RedemptionInstallment, uuid=installment_uuid, schedule__worker__uuid=worker_uuid)
    form = RedemptionPaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            entry = redemption_payment_record(installment=installment, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Payment of {money_text(-entry.amount)} recorded for installment {installment.number}.")
    return redirect("members:worker_detail", coop_slug=coop_slug, worker_uuid=worker_uuid)
