"""Staff correct an approved timesheet (placements.services.timesheets.timesheet_correct):
the form in the site's wall-clock time, the timesheet's corrections so far, and a warning
naming the invoices that bill the old hours."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from placements.models import Timesheet
from placements.portal_forms import TimesheetCorrectionForm
from placements.services import timesheets as timesheet_services


@require_http_methods(["GET", "POST"])
@permission_required_in_coop("placements.manage")
def timesheet_correct(request, coop_slug, timesheet_uuid):
    timesheet = get_object_or_404(
        Timesheet.objects.select_related("assignment__worker", "assignment__shift__classification",
                                         "assignment__shift__job_order__contract__client"),
        uuid=timesheet_uuid,
    )
    client = timesheet.assignment.shift.job_order.contract.client
    initial = {"clock_in": timesheet.clock_in, "clock_out": timesheet.clock_out, "break_minutes": timesheet.break_minutes}
    form = TimesheetCorrectionForm(request.POST or None, zone=client.zone, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            correction = timesheet_services.timesheet_correct(timesheet=timesheet, corrected_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Corrected: {correction.hours_before} h → {correction.hours_after} h for "
                                      f"{timesheet.assignment.worker}. The next pay run settles the difference.")
            for invoice in correction.billed_on:
                messages.warning(request, f"{invoice} bills the old hours: the client's next invoice for that period adjusts them.")
            return redirect("placements:shift_detail", coop_slug=coop_slug, shift_uuid=timesheet.assignment.shift.uuid)
    return render(request, "placements/staff/timesheet_correct.html", {
        "timesheet": timesheet, "client": client, "form": form,
        "corrections": timesheet.corrections.select_related("corrected_by", "paid_in_run__period"),
    }, status=400 if form.errors else 200)
