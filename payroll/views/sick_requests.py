"""Paid sick leave asked for in the portal: the worker asks (and may withdraw while it
waits) on "My sick leave"; payroll staff approve or decline on "Sick leave requests".
Views parse, call payroll.services.sick_leave, and redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from members.selectors import worker_for_user
from payroll.forms import SickLeaveDeclineForm, SickLeaveRequestForm
from payroll.models import SickLeaveRequest
from payroll.services import sick_leave as sick_services
from payroll.views.portal import my_sick_leave_page


@require_POST
@permission_required_in_coop("payroll.view_own")
def my_sick_leave_ask(request, coop_slug):
    worker = worker_for_user(request.cooperative, request.user)
    if worker is None:
        raise Http404("No employee record is linked to your account.")
    form = SickLeaveRequestForm(request.POST)
    if form.is_valid():
        try:
            asked = sick_services.sick_leave_request(worker=worker, requested_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Asked for %(hours)s h of paid sick leave on %(day)s. Staff will confirm.")
                             % {"hours": asked.hours, "day": dateformat.format(asked.workday, _("M d"))})
            return redirect("payroll:my_sick_leave", coop_slug=coop_slug)
    return my_sick_leave_page(request, worker, form=form, status=400)


@require_POST
@permission_required_in_coop("payroll.view_own")
def my_sick_leave_withdraw(request, coop_slug, sick_request_uuid):
    worker = worker_for_user(request.cooperative, request.user)
    asked = get_object_or_404(SickLeaveRequest, uuid=sick_request_uuid, worker=worker)
    try:
        sick_services.sick_leave_request_withdraw(request=asked, withdrawn_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request for %(day)s is withdrawn.") % {"day": dateformat.format(asked.workday, _("M d"))})
    return redirect("payroll:my_sick_leave", coop_slug=coop_slug)


@require_GET
@permission_required_in_coop("payroll.manage")
def sick_requests(request, coop_slug):
    """Requests waiting for a decision, oldest first, and the last 30 decided."""
    base = SickLeaveRequest.objects.filter(cooperative=request.cooperative).select_related("worker", "decided_by")
    return render(request, "payroll/staff/sick_requests.html", {
        "waiting": base.filter(status=SickLeaveRequest.Status.PENDING).order_by("requested_at", "id"),
        "decided": base.exclude(status=SickLeaveRequest.Status.PENDING).order_by("-decided_at", "-id")[:30],
        "decline_form": SickLeaveDeclineForm(),
    })


@require_POST
@permission_required_in_coop("payroll.manage")
def sick_request_approve(request, coop_slug, sick_request_uuid):
    asked = get_object_or_404(SickLeaveRequest.objects.select_related("worker"), uuid=sick_request_uuid)
    try:
        sick_services.sick_leave_request_approve(request=asked, approved_by=request.user)
    except ValidationError as exc:
        messages.error(request, f"{asked.worker}, {asked.workday:%b %d}: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Approved: {asked.hours} h of paid sick leave for {asked.worker} on {asked.workday:%b %d}; "
                                  "the next pay run pays them.")
    return redirect("payroll:sick_requests", coop_slug=coop_slug)


@require_POST
@permission_required_in_coop("payroll.manage")
def sick_request_decline(request, coop_slug, sick_request_uuid):
    asked = get_object_or_404(SickLeaveRequest.objects.select_related("worker"), uuid=sick_request_uuid)
    form = SickLeaveDeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Tell the worker why.")
        sick_services.sick_leave_request_decline(request=asked, reason=form.cleaned_data["reason"], declined_by=request.user)
    except ValidationError as exc:
        messages.error(request, f"{asked.worker}, {asked.workday:%b %d}: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Declined {asked.worker}'s request for {asked.workday:%b %d}.")
    return redirect("payroll:sick_requests", coop_slug=coop_slug)
