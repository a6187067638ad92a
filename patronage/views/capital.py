"""Pages of the capital accounts, mounted under /c/<coop_slug>/payroll/patronage/ (namespace
"payroll:patronage"): a worker's capital account with payouts of retained patronage (staff),
and the worker's own "My capital account" with their notices of allocation.

Staff read with "patronage.view" (the board included) and write with "patronage.manage"; the
worker's own pages need "patronage.view_own" and show only their own account.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.money import money_text
from alliedup.permissions import can, permission_required_in_coop
from members.selectors import worker_by_uuid, worker_for_user
from patronage import documents, selectors
from patronage.forms import RedeemForm
from patronage.models import PatronageAllocationLine
from patronage.services import capital
from patronage.views.allocations import notice_response


def worker_or_404(request, worker_uuid):
    """The co-op's worker named in the URL; another co-op's (or none) is a 404."""
    worker = worker_by_uuid(request.cooperative, worker_uuid)
    if worker is None:
        raise Http404("No such worker in this co-op.")
    return worker


def _capital_page(request, worker, form, status=200):
    context = {"worker": worker, "account": selectors.capital_account(worker), "form": form,
               "latest": selectors.latest_issued_line(worker),
               "redemption": selectors.redemption_overviews(worker), "today": request.cooperative.today(),
               "can_manage": can(request.user, request.cooperative, "patronage.manage")}
    return render(request, "patronage/capital_account.html", context, status=status)


@require_GET
@permission_required_in_coop("patronage.view")
def capital_account(request, coop_slug, worker_uuid):
    worker = worker_or_404(request, worker_uuid)
    return _capital_page(request, worker, RedeemForm(initial={"effective_on": request.cooperative.today()}))


@require_POST
@permission_required_in_coop("patronage.manage")
def capital_redeem(request, coop_slug, worker_uuid):
    worker = worker_or_404(request, worker_uuid)
    form = RedeemForm(request.POST)
    if form.is_valid():
        try:
            entry = capital.capital_redeem(worker=worker, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Redemption of {money_text(-entry.amount)} recorded.")
            return redirect("payroll:patronage:capital_account", coop_slug=coop_slug, worker_uuid=worker.uuid)
    return _capital_page(request, worker, form, status=400)


# Worker portal -------------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("patronage.view_own")
def my_capital(request, coop_slug):
    worker = worker_for_user(request.cooperative, request.user)
    context = {"worker": worker}
    if worker is not None:
        context.update(account=selectors.capital_account(worker), latest=selectors.latest_issued_line(worker),
                       redemption=selectors.redemption_overviews(worker), today=request.cooperative.today())
    return render(request, "patronage/my_capital.html", context)


@require_GET
@permission_required_in_coop("patronage.view_own")
def my_notice(request, coop_slug, allocation_uuid):
    """The worker's own notice for that allocation; anyone else's (or none) is a 404."""
    worker = worker_for_user(request.cooperative, request.user)
    if worker is None:
        raise Http404("No employee record is linked to your account.")
    line = get_object_or_404(
        PatronageAllocationLine.objects.select_related("worker", "allocation__fiscal_year"),
        allocation__uuid=allocation_uuid, worker=worker, allocation__status__in=documents.ISSUED,
    )
    return notice_response(line)
