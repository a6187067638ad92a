"""Pages of the ownership path: the worker's "My ownership", the staff pipeline and a
worker's record with the candidacy actions."""

import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import can, permission_required_in_coop
from members import selectors
from members.forms import (
    AgreementPublishForm,
    CandidacyOpenForm,
    ChecklistStepForm,
    CredentialForm,
    StatusChangeForm,
    EquityPaymentForm,
    EquityPlanForm,
    ExtensionForm,
    HireForm,
    SignAgreementForm,
    WaiverForm,
    WorkerSearchForm,
)
from members.models import AgreementSignature, Candidacy, EquityAccount, MembershipAgreement, Worker, WorkerCredential
from members.services import candidacy as candidacy_services
from members.services import equity as equity_services
from members.services.agreement import agreement_publish, agreement_sign as sign
from members.services.retention import behind_pace, retention_progress
from members.services.status import member_move
from members.services.workers import credential_record
from members.services.workers import worker_hire as hire
from members.views_accounts import account_context
from members.views_actions import worker_form_action
from members.views_exit import exit_context, my_exit_context


@permission_required_in_coop("members.view_own")
def my_ownership(request, coop_slug):
    worker = selectors.worker_for_user(request.cooperative, request.user)
    context = {"worker": worker}
    if worker is not None:
        today = request.cooperative.today()
        context.update(
            progress=selectors.worker_hours_progress(worker, today),
            candidacy=selectors.open_candidacy(worker),
            history=worker.status_changes.order_by("-changed_at")[:10],
            today=today,
            signature=worker.agreement_signatures.select_related("agreement").first(),
            retention=retention_progress(worker, today),
            plan_form=EquityPlanForm(),
            **_equity_context(worker),
            **my_exit_context(worker, today),
        )
    return render(request, "members/my_ownership.html", context)


def _equity_context(worker: Worker) -> dict:
    overview = selectors.equity_overview(worker)
    if overview is None:
        return {"equity": None}
    return {"equity": overview.summary, "schedule": overview.schedule, "equity_entries": overview.entries}


@permission_required_in_coop("members.view_own")
def agreement_sign(request, coop_slug):
    worker = selectors.worker_for_user(request.cooperative, request.user)
    if worker is None:
        raise Http404("No employee record is linked to your account.")
    today = request.cooperative.today()
    agreement = selectors.current_agreement(request.cooperative, today)
    if agreement is None:
        raise Http404("No membership agreement is published yet.")
    form = SignAgreementForm(request.POST or None, initial={"version": agreement.version})
    if request.method == "POST" and form.is_valid():
        try:
            sign(worker=worker, version=form.cleaned_data["version"], typed_name=form.cleaned_data["typed_name"],
                 consent=form.cleaned_data["consent"], on=today, ip_address=request.META.get("REMOTE_ADDR"),
                 user_agent=request.META.get("HTTP_USER_AGENT", ""), signed_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("You signed the membership agreement."))
            return redirect("members:my_ownership", coop_slug=coop_slug)
    signed = AgreementSignature.objects.filter(worker=worker, agreement=agreement).first()
    context = {"agreement": agreement, "form": form, "signed": signed,
               "paragraphs": [p.strip() for p in agreement.body.split("\n\n") if p.strip()]}
    return render(request, "members/agreement_sign.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required_in_coop("members.view_own")
def equity_plan(request, coop_slug):
    worker = selectors.worker_for_user(request.cooperative, request.user)
    if worker is None:
        raise Http404("No employee record is linked to your account.")
    form = EquityPlanForm(request.POST)
    if form.is_valid():
        try:
            equity_services.equity_account_open(worker=worker, plan=form.cleaned_data["plan"], start_on=request.cooperative.today(), opened_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your payment plan is set."))
    return redirect("members:my_ownership", coop_slug=coop_slug)


@permission_required_in_coop("coop.view")
def signed_agreement(request, coop_slug, signature_uuid):
    """The signed PDF: for the worker who signed it, or staff."""
    signature = get_object_or_404(AgreementSignature.objects.select_related("worker"), uuid=signature_uuid)
    if not (signature.worker.user_id == request.user.pk or can(request.user, request.cooperative, "members.view")):
        raise Http404("No such document.")
    return FileResponse(signature.pdf.open("rb"), content_type="application/pdf", filename=f"membership-agreement-v{signature.agreement.version}.pdf")


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
        **_equity_context(worker),
        **exit_context(worker, today),
        "extension_form": ExtensionForm(initial={"new_deadline": candidacy.deadline + timedelta(days=30)} if candidacy else None),
    }
    return render(request, "members/worker_detail.html", context)


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
