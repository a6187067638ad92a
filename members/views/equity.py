"""The equity buy-in on a worker's record (payments, the waiver, the plan) and what both the
record and the worker's own page show of it."""

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from alliedup.permissions import permission_required_in_coop
from members import selectors
from members.forms import (
    EquityPaymentForm,
    EquityPlanForm,
    WaiverForm,
)
from members.models import EquityAccount, Worker
from members.services import equity as equity_services
from members.views.actions import worker_form_action


def equity_context(worker: Worker) -> dict:
    overview = selectors.equity_overview(worker)
    if overview is None:
        return {"equity": None}
    return {"equity": overview.summary, "schedule": overview.schedule, "equity_entries": overview.entries}


def _equity_action(request, coop_slug, worker_uuid, form_class, action):
    def run(worker, data):
        account = EquityAccount.objects.filter(worker=worker).first()
        if account is None:
            raise ValidationError("Open the equity account first: the worker chooses a plan (or staff do, below).")
        action(account, data)

    return worker_form_action(request, coop_slug, worker_uuid, lambda w: form_class(request.POST), run)


@require_POST
@permission_required_in_coop("members.post_hours")
def equity_payment(request, coop_slug, worker_uuid):
    return _equity_action(
        request, coop_slug, worker_uuid, EquityPaymentForm,
        lambda account, d: equity_services.equity_payment_record(account=account, recorded_by=request.user, **d),
    )


@require_POST
@permission_required_in_coop("members.manage")
def equity_waive(request, coop_slug, worker_uuid):
    return _equity_action(
        request, coop_slug, worker_uuid, WaiverForm,
        lambda account, d: equity_services.equity_waive(account=account, reason=d["reason"], effective_on=request.cooperative.today(), waived_by=request.user),
    )


@require_POST
@permission_required_in_coop("members.manage")
def equity_plan_for_worker(request, coop_slug, worker_uuid):
    return worker_form_action(
        request, coop_slug, worker_uuid, lambda w: EquityPlanForm(request.POST),
        lambda w, d: equity_services.equity_account_open(worker=w, plan=d["plan"], start_on=request.cooperative.today(), opened_by=request.user),
    )
