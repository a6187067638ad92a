"""Staff pages of candidacies and the membership agreement: recording a step, extending the
deadline, the welcome letter PDF, the agreement's versions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import can, permission_required_in_coop
from members.forms import (
    AgreementPublishForm,
    ChecklistStepForm,
    ExtensionForm,
)
from members.models import Candidacy, MembershipAgreement
from members.services import candidacy as candidacy_services
from members.services.agreement import agreement_publish
from members.views.actions import worker_form_action


@permission_required_in_coop("members.manage")
def agreements(request, coop_slug):
    form = AgreementPublishForm(request.POST or None, initial={"effective_from": request.cooperative.today()})
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_publish(cooperative=request.cooperative, published_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Version {agreement.version} published.")
            return redirect("members:agreements", coop_slug=coop_slug)
    versions = (
        MembershipAgreement.objects.filter(cooperative=request.cooperative)
        .select_related("published_by")
        .annotate(signature_count=Count("signatures"))
    )
    return render(request, "members/agreements.html", {"form": form, "versions": versions}, status=400 if form.errors else 200)


def _candidacy_action(request, coop_slug, candidacy_uuid, form_class, action):
    candidacy = get_object_or_404(Candidacy.objects.select_related("worker"), uuid=candidacy_uuid)
    return worker_form_action(
        request, coop_slug, candidacy.worker.uuid, lambda w: form_class(request.POST), lambda w, d: action(candidacy, d)
    )


@require_POST
@permission_required_in_coop("members.manage")
def candidacy_step(request, coop_slug, candidacy_uuid):
    return _candidacy_action(
        request, coop_slug, candidacy_uuid, ChecklistStepForm,
        lambda c, d: candidacy_services.candidacy_record_step(candidacy=c, step=d["step"], done_on=d["done_on"], recorded_by=request.user),
    )


@require_POST
@permission_required_in_coop("members.manage")
def candidacy_extend(request, coop_slug, candidacy_uuid):
    return _candidacy_action(
        request, coop_slug, candidacy_uuid, ExtensionForm,
        lambda c, d: candidacy_services.candidacy_extend(candidacy=c, new_deadline=d["new_deadline"], reason=d["reason"], extended_by=request.user),
    )


@permission_required_in_coop("coop.view")
def welcome_letter(request, coop_slug, candidacy_uuid):
    """The stored letter: the worker it is addressed to, or staff."""
    candidacy = get_object_or_404(Candidacy.objects.select_related("worker"), uuid=candidacy_uuid)
    own = candidacy.worker.user_id == request.user.pk
    if not (own or can(request.user, request.cooperative, "members.view")):
        raise Http404("No such letter.")
    if not candidacy.welcome_letter:
        raise Http404("The letter is still being prepared.")
    return FileResponse(candidacy.welcome_letter.open("rb"), content_type="application/pdf", filename=f"welcome-letter-{candidacy.opened_on}.pdf")
