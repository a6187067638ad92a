"""Pages of leaving the co-op: staff end a worker-owner's ownership (the status changes and the
bylaws' redemption is scheduled, patronage.services.exit.ownership_exit) and record the payments
of its installments. Both are forms on the worker's record page, so they keep members' paths
and names (/c/<coop>/members/workers/<uuid>/exit/, members:worker_exit, …): members/urls.py
mounts patronage/urls_members.py by name, and each answers with a redirect to the record page.

The schedules themselves show on that page and on the worker's "My ownership" page through
the {% redemption_schedules %} tag (patronage/templatetags/patronage.py).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from alliedup.money import money_text
from alliedup.permissions import permission_required_in_coop
from members.forms import OwnershipExitForm
from patronage.forms import RedemptionPaymentForm
from patronage.models import RedemptionInstallment
from patronage.services.exit import ownership_exit
from patronage.services.redemption import redemption_payment_record
from patronage.views.capital import worker_or_404


def _form_errors(form) -> str:
    return "Check the form: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())


@require_POST
@permission_required_in_coop("members.manage")
def worker_exit(request, coop_slug, worker_uuid):
    worker = worker_or_404(request, worker_uuid)
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
