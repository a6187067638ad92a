"""Staff review of job-board applications: read, download the resume, hire or decline."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alliedup.permissions import permission_required_in_coop
from members.selectors import classifications_qs
from placements.models import Applicant
from placements.services.applicants import applicant_decline, applicant_hire


class HireForm(forms.Form):
    hire_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    classification = forms.ModelChoiceField(queryset=None)
    wage_step = forms.IntegerField(min_value=1, initial=1)
    invite = forms.BooleanField(required=False, initial=True, label="Email them an invitation to sign in")

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications_qs(cooperative, active_only=True)


@permission_required_in_coop("placements.view")
def applicants(request, coop_slug):
    status = request.GET.get("status", Applicant.Status.NEW)
    rows = Applicant.objects.filter(cooperative=request.cooperative, status=status).select_related("classification")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "placements/staff/applicants.html", {"page": page, "status": status, "statuses": Applicant.Status.choices})


@permission_required_in_coop("placements.view")
def applicant_detail(request, coop_slug, applicant_uuid):
    applicant = get_object_or_404(Applicant.objects.select_related("classification", "hired_worker"), uuid=applicant_uuid)
    form = HireForm(cooperative=request.cooperative, initial={
        "hire_date": request.cooperative.today(), "classification": applicant.classification,
    })
    return render(request, "placements/staff/applicant_detail.html", {"applicant": applicant, "form": form})


@permission_required_in_coop("placements.view")
def applicant_resume(request, coop_slug, applicant_uuid):
    applicant = get_object_or_404(Applicant, uuid=applicant_uuid)
    ext = applicant.resume.name[applicant.resume.name.rfind("."):]
    return FileResponse(applicant.resume.open("rb"), as_attachment=True, filename=f"resume-{applicant.last_name}{ext}")


@require_POST
@permission_required_in_coop("placements.hire")
def applicant_hire_view(request, coop_slug, applicant_uuid):
    applicant = get_object_or_404(Applicant, uuid=applicant_uuid)
    form = HireForm(request.POST, cooperative=request.cooperative)
    if form.is_valid():
        try:
            worker = applicant_hire(applicant=applicant, hired_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{worker} is hired.")
            return redirect("members:worker_detail", coop_slug=coop_slug, worker_uuid=worker.uuid)
    else:
        messages.error(request, "Check the form: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("placements:applicant_detail", coop_slug=coop_slug, applicant_uuid=applicant.uuid)


@require_POST
@permission_required_in_coop("placements.hire")
def applicant_decline_view(request, coop_slug, applicant_uuid):
    applicant = get_object_or_404(Applicant, uuid=applicant_uuid)
    try:
        applicant_decline(applicant=applicant, reason=request.POST.get("reason", ""), declined_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Declined.")
    return redirect("placements:applicant_detail", coop_slug=coop_slug, applicant_uuid=applicant.uuid)
