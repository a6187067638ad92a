"""A shift's staff page: its assignments, cancelling and confirming one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from placements.forms import CancelForm
from placements.models import Assignment, Shift
from placements.services import matching
from placements.views.base import shifts_with_client


def _shift_page(request, shift, *, status=200, cancel_form=None):
    blocker = matching.shift_blocker(shift)
    eligible, ineligible = matching.shift_candidates(shift) if shift.status == Shift.Status.OPEN else ([], [])
    assignments = list(shift.assignments.select_related("worker", "created_by", "timesheet").order_by("-created_at"))
    current = next((a for a in assignments if a.status in Assignment.ACTIVE), None)
    context = {
        "shift": shift, "blocker": blocker, "eligible": eligible, "ineligible": ineligible, "current": current,
        "past": [a for a in assignments if a is not current], "cancel_form": cancel_form or CancelForm(),
        "timesheet": getattr(current, "timesheet", None) if current else None,
    }
    return render(request, "placements/staff/shift_detail.html", context, status=status)


@require_GET
@permission_required_in_coop("placements.view")
def shift_detail(request, coop_slug, shift_uuid):
    return _shift_page(request, get_object_or_404(shifts_with_client().select_related("job_order__created_by"), uuid=shift_uuid))


@require_POST
@permission_required_in_coop("placements.manage")
def assignment_cancel(request, coop_slug, assignment_uuid):
    assignment = get_object_or_404(Assignment.objects.select_related("worker"), uuid=assignment_uuid)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            matching.assignment_cancel(
                assignment=assignment, reason=form.cleaned_data["reason"], no_show=form.cleaned_data["no_show"], cancelled_by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            what = "marked a no-show" if form.cleaned_data["no_show"] else "cancelled"
            messages.success(request, f"{assignment.worker}'s assignment is {what}; the shift is open again.")
            return redirect("placements:shift_detail", coop_slug=coop_slug, shift_uuid=_shift_uuid(assignment))
    shift = get_object_or_404(shifts_with_client(), pk=assignment.shift_id)
    return _shift_page(request, shift, status=400, cancel_form=form)


def _shift_uuid(assignment):
    return Shift.objects.filter(pk=assignment.shift_id).values_list("uuid", flat=True).get()


@require_POST
@permission_required_in_coop("placements.manage")
def assignment_confirm(request, coop_slug, assignment_uuid):
    assignment = get_object_or_404(Assignment.objects.select_related("worker"), uuid=assignment_uuid)
    try:
        matching.assignment_confirm(assignment=assignment, confirmed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{assignment.worker}'s assignment is confirmed.")
    return redirect("placements:shift_detail", coop_slug=coop_slug, shift_uuid=_shift_uuid(assignment))
