"""Worker portal pages of payroll ("payroll.view_own"), phone first: my pay statements
(and their PDFs), my paid sick leave, my wage and step.

A worker only ever reaches their own statements of approved runs; any other statement,
and everything for an account with no employee record, is a 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from alliedup.permissions import permission_required_in_coop
from members.selectors import worker_for_user
from payroll import selectors
from payroll.forms import SickLeaveRequestForm
from payroll.models import PayRun, PayStatement, SickLeaveEntry, SickLeaveRequest
from payroll.views.runs import statement_pdf_response
from worktime.selectors import holidays_between


def _my_statements(worker):
    return (
        PayStatement.objects.filter(worker=worker, run__status__in=PayRun.FINAL)
        .select_related("run__period", "worker").order_by("-run__period__starts_on")
    )


@require_GET
@permission_required_in_coop("payroll.view_own")
def my_statements(request, coop_slug):
    worker = worker_for_user(request.cooperative, request.user)
    context = {"worker": worker, "statements": list(_my_statements(worker)) if worker else []}
    return render(request, "payroll/portal/my_statements.html", context)


@require_GET
@permission_required_in_coop("payroll.view_own")
def my_statement_pdf(request, coop_slug, statement_uuid):
    worker = worker_for_user(request.cooperative, request.user)
    if worker is None:
        raise Http404("No employee record is linked to your account.")
    return statement_pdf_response(get_object_or_404(_my_statements(worker), uuid=statement_uuid))


@require_GET
@permission_required_in_coop("payroll.view_own")
def my_sick_leave(request, coop_slug):
    return my_sick_leave_page(request, worker_for_user(request.cooperative, request.user))


def my_sick_leave_page(request, worker, *, form=None, status=200):
    """The worker's balance, caps, ledger, requests and the form to ask for sick leave."""
    context = {"worker": worker}
    if worker is not None:
        today = request.cooperative.today()
        context.update(
            **selectors.sick_leave_summary(worker, today),
            year=today.year,
            entries=SickLeaveEntry.objects.filter(worker=worker).select_related("run__period").order_by("-workday", "-id")[:100],
            requests=SickLeaveRequest.objects.filter(worker=worker).order_by("-requested_at", "-id")[:20],
            form=form or SickLeaveRequestForm(initial={"workday": today}),
        )
    return render(request, "payroll/portal/my_sick_leave.html", context, status=status)


@require_GET
@permission_required_in_coop("payroll.view_own")
def my_wage(request, coop_slug):
    worker = worker_for_user(request.cooperative, request.user)
    context = {"worker": worker, "wages": selectors.worker_wage_now(worker) if worker else []}
    if worker is not None:
        today = request.cooperative.today()
        agreement = selectors.agreement_on(request.cooperative, today)
        context.update(year=today.year, holiday_multiplier=agreement.holiday_multiplier if agreement else None,
                       holidays=holidays_between(request.cooperative, today.replace(month=1, day=1),
                                                 today.replace(month=12, day=31)))
    return render(request, "payroll/portal/my_wage.html", context)
