"""Staff pages of the co-op's workers: the pipeline, the roster, hiring, a worker's record, and
the forms posted from it (a move along the path, opening a candidacy, a credential)."""

import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import can, permission_required_in_coop
from members import selectors
from members.forms import (
    CandidacyOpenForm,
    ChecklistStepForm,
    CredentialForm,
    EquityPaymentForm,
    ExtensionForm,
    HireForm,
    StatusChangeForm,
    WaiverForm,
    WorkerSearchForm,
)
from members.models import (
    Worker,
    WorkerCredential,
)
from members.services import candidacy as candidacy_services
from members.services.retention import behind_pace, retention_progress
from members.services.status import member_move
from members.services.workers import credential_record
from members.services.workers import worker_hire as hire
from members.views.accounts import account_context
from members.views.actions import worker_form_action
from members.views.equity import equity_context
from members.views.exit import exit_context


@permission_required_in_coop("members.view")
def pipeline(request, coop_slug):
    coop = request.cooperative
    today = request.cooperative.today()
    context = {
        "counts": selectors.status_counts(coop),
        "near": selectors.near_threshold(coop, today),
        "candidacies": selectors.open_candidacies(coop),
        "new_owners": selectors.recent_owners(coop, today - timedelta(days=90)),
        "at_risk": behind_pace(coop, today),
        "today": today,
    }
    return render(request, "members/pipeline.html", context)


@permission_required_in_coop("members.view")
def workers(request, coop_slug):
    """Every worker of the co-op, found by name or email and status: the way to any record
    (the pipeline lists only the people who need attention). 50 a page."""
    form = WorkerSearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "status": ""}
    rows = selectors.worker_roster(request.cooperative, query=filters["q"], status=filters["status"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    kept = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "members/workers.html", {"form": form, "page": page, "filters": filters, "kept": kept})


@permission_required_in_coop("members.manage")
def worker_hire(request, coop_slug):
    form = HireForm(request.POST or None, cooperative=request.cooperative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            worker = hire(
                cooperative=request.cooperative, first_name=data["first_name"], last_name=data["last_name"],
                email=data["email"], phone=data["phone"], hire_date=data["hire_date"],
                classifications=[(data["classification"], data["wage_step"])], hired_by=request.user,
                invite_email=form.invitation_address(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            invited = form.invitation_address()
            messages.success(request, f"{worker} is hired." + (f" An invitation to sign in goes to {invited}." if invited else ""))
            return redirect("members:worker_detail", coop_slug=coop_slug, worker_uuid=worker.uuid)
    return render(request, "members/worker_hire.html", {"form": form}, status=400 if form.errors else 200)


@permission_required_in_coop("members.view")
def worker_detail(request, coop_slug, worker_uuid):
    worker = get_object_or_404(Worker.objects.select_related("cooperative"), uuid=worker_uuid)
    today = request.cooperative.today()
    candidacy = selectors.open_candidacy(worker)
    context = {
        "worker": worker,
        "progress": selectors.worker_hours_progress(worker, today),
        "candidacy": candidacy,
        "candidacies": worker.candidacies.select_related("classification").prefetch_related("extensions"),
        "history": worker.status_changes.select_related("changed_by").order_by("-changed_at"),
        "ledger": Paginator(selectors.hours_ledger(worker), 50).get_page(request.GET.get("page")),
        "today": today,
        "can_manage": can(request.user, request.cooperative, "members.manage"),
        "step_form": ChecklistStepForm(initial={"done_on": today}),
        "payment_form": EquityPaymentForm(initial={"effective_on": today, "submission_key": uuid.uuid4().hex}),
        "waiver_form": WaiverForm(),
        "signatures": worker.agreement_signatures.select_related("agreement"),
        "credentials": worker.credentials.select_related("credential_type").order_by("expires_on"),
        "move_form": StatusChangeForm(worker=worker, initial={"effective_on": today}),
        "open_form": CandidacyOpenForm(worker=worker),
        "credential_form": CredentialForm(cooperative=request.cooperative),
        "retention": retention_progress(worker, today),
        **account_context(worker),
        **equity_context(worker),
        **exit_context(worker, today),
        "extension_form": ExtensionForm(initial={"new_deadline": candidacy.deadline + timedelta(days=30)} if candidacy else None),
    }
    return render(request, "members/worker_detail.html", context)


@require_POST
@permission_required_in_coop("members.manage")
def worker_move(request, coop_slug, worker_uuid):
    return worker_form_action(
        request, coop_slug, worker_uuid, lambda w: StatusChangeForm(request.POST, worker=w),
        lambda w, d: member_move(worker=w, to_status=d["to_status"], reason=d["reason"], effective_on=d["effective_on"], moved_by=request.user),
    )


@require_POST
@permission_required_in_coop("members.manage")
def worker_candidacy_open(request, coop_slug, worker_uuid):
    return worker_form_action(
        request, coop_slug, worker_uuid, lambda w: CandidacyOpenForm(request.POST, worker=w),
        lambda w, d: candidacy_services.candidacy_open(
            worker=w, classification=d["classification"], opened_on=request.cooperative.today(), opened_by=request.user, reason=d["reason"]
        ),
    )


@require_POST
@permission_required_in_coop("members.manage")
def worker_credential(request, coop_slug, worker_uuid):
    return worker_form_action(
        request, coop_slug, worker_uuid, lambda w: CredentialForm(request.POST, request.FILES, cooperative=request.cooperative),
        lambda w, d: credential_record(worker=w, recorded_by=request.user, **d),
    )


@permission_required_in_coop("coop.view")
def credential_document(request, coop_slug, credential_uuid):
    """A credential's scanned document: for the worker it belongs to, or staff."""
    credential = get_object_or_404(WorkerCredential.objects.select_related("worker"), uuid=credential_uuid)
    if not (credential.worker.user_id == request.user.pk or can(request.user, request.cooperative, "members.view")):
        raise Http404("No such document.")
    if not credential.document:
        raise Http404("No document was uploaded.")
    return FileResponse(credential.document.open("rb"), as_attachment=True, filename=f"{credential.credential_type.code}{credential.document.name[credential.document.name.rfind('.'):]}")
