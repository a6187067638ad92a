"""The administrator's set-up pages: the co-op's settings, its job classifications and its
credential types. Views parse, call one service, and redirect or re-render with the errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from members.selectors import (
    classification_by_code,
    classification_catalogue_qs,
    credential_type_by_code,
    credential_type_catalogue_qs,
)
from members.services import classifications as catalogue
from onboarding import selectors
from onboarding.forms import (
    ClassificationEditForm,
    ClassificationForm,
    CooperativeSettingsForm,
    CredentialTypeEditForm,
    CredentialTypeForm,
)
from onboarding.services.settings import cooperative_settings_update

if TYPE_CHECKING:
    from members.models import CredentialType, JobClassification


@permission_required_in_coop("coop.settings")
@require_http_methods(["GET", "POST"])
def settings_page(request, coop_slug):
    coop = request.cooperative
    locks = selectors.settings_locks(coop)
    form = CooperativeSettingsForm(request.POST or None, cooperative=coop, locks=locks)
    if request.method == "POST" and form.is_valid():
        try:
            changed = cooperative_settings_update(cooperative=coop, changes=form.changes(), updated_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Settings saved: {len(changed)} changed." if changed
                             else "Settings reviewed: nothing changed.")
            return redirect("setup:settings", coop_slug=coop_slug)
    return render(request, "alliedup/setup/settings.html", {
        "form": form,
        "checklist": selectors.setup_checklist(coop, today=coop.today()),
    }, status=400 if form.errors else 200)


def _classification(request, code: str) -> JobClassification:
    found = classification_by_code(request.cooperative, code)
    if found is None:
        raise Http404("No such job classification here.")
    return found


def _credential_type(request, code: str) -> CredentialType:
    found = credential_type_by_code(request.cooperative, code)
    if found is None:
        raise Http404("No such credential type here.")
    return found


@permission_required_in_coop("coop.settings")
@require_http_methods(["GET", "POST"])
def classifications(request, coop_slug):
    """The list, and adding one (POST)."""
    coop = request.cooperative
    form = ClassificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = catalogue.job_classification_create(cooperative=coop, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{added.name} added.")
            return redirect("setup:classifications", coop_slug=coop_slug)
    rows = classification_catalogue_qs(coop, order="name")
    return render(request, "alliedup/setup/classifications.html", {
        "classifications": rows, "form": form, "standard": catalogue.standard_list_missing(coop),
    }, status=400 if form.errors else 200)


@permission_required_in_coop("coop.settings")
@require_POST
def standard_list_add(request, coop_slug):
    """"Start from the standard list": add the classifications and credential types missing."""
    added = catalogue.classifications_seed_defaults(cooperative=request.cooperative, seeded_by=request.user)
    if added:
        messages.success(request, f"Added {len(added.classifications)} job classification"
                         f"{'' if len(added.classifications) == 1 else 's'} and {len(added.credential_types)} credential "
                         f"type{'' if len(added.credential_types) == 1 else 's'} from the standard list.")
    else:
        messages.info(request, "Everything on the standard list is here already.")
    return redirect("setup:classifications", coop_slug=coop_slug)


@permission_required_in_coop("coop.settings")
@require_http_methods(["GET", "POST"])
def classification_edit(request, coop_slug, classification_code):
    classification = _classification(request, classification_code)
    initial = {"name": classification.name, "is_active": classification.is_active}
    form = ClassificationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.job_classification_update(classification=classification, updated_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved.")
            return redirect("setup:classifications", coop_slug=coop_slug)
    return render(request, "alliedup/setup/classification_edit.html", {"classification": classification, "form": form},
                  status=400 if form.errors else 200)


@permission_required_in_coop("coop.settings")
@require_POST
def classification_delete(request, coop_slug, classification_code):
    classification = _classification(request, classification_code)
    try:
        catalogue.job_classification_delete(classification=classification, deleted_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("setup:classification_edit", coop_slug=coop_slug, classification_code=classification.code)
    messages.success(request, f"{classification.name} deleted.")
    return redirect("setup:classifications", coop_slug=coop_slug)


@permission_required_in_coop("coop.settings")
@require_http_methods(["GET", "POST"])
def credential_types(request, coop_slug):
    """The list, and adding one (POST) with the classifications that require it."""
    coop = request.cooperative
    form = CredentialTypeForm(request.POST or None, cooperative=coop)
    if request.method == "POST" and form.is_valid():
        try:
            added = catalogue.credential_type_create(cooperative=coop, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{added.name} added.")
            return redirect("setup:credential_types", coop_slug=coop_slug)
    rows = credential_type_catalogue_qs(coop, order="name")
    return render(request, "alliedup/setup/credential_types.html", {"credential_types": rows, "form": form},
                  status=400 if form.errors else 200)


@permission_required_in_coop("coop.settings")
@require_http_methods(["GET", "POST"])
def credential_type_edit(request, coop_slug, credential_code):
    credential_type = _credential_type(request, credential_code)
    initial = {"name": credential_type.name, "expires": credential_type.expires,
               "required_for": list(credential_type.required_for.all())}
    form = CredentialTypeEditForm(request.POST or None, initial=initial, cooperative=request.cooperative)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.credential_type_update(credential_type=credential_type, updated_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved.")
            return redirect("setup:credential_types", coop_slug=coop_slug)
    return render(request, "alliedup/setup/credential_type_edit.html", {"credential_type": credential_type, "form": form},
                  status=400 if form.errors else 200)


@permission_required_in_coop("coop.settings")
@require_POST
def credential_type_delete(request, coop_slug, credential_code):
    credential_type = _credential_type(request, credential_code)
    try:
        catalogue.credential_type_delete(credential_type=credential_type, deleted_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("setup:credential_type_edit", coop_slug=coop_slug, credential_code=credential_type.code)
    messages.success(request, f"{credential_type.name} deleted.")
    return redirect("setup:credential_types", coop_slug=coop_slug)
