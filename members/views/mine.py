"""The worker's own pages (often on a phone): "My ownership", signing the membership agreement,
choosing how to pay the equity buy-in, the signed agreement's PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import can, permission_required_in_coop
from members import selectors
from members.forms import (
    EquityPlanForm,
    SignAgreementForm,
)
from members.models import AgreementSignature
from members.services import equity as equity_services
from members.services.agreement import agreement_sign as sign
from members.services.retention import retention_progress
from members.views.equity import equity_context
from members.views.exit import my_exit_context


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
            **equity_context(worker),
            **my_exit_context(worker, today),
        )
    return render(request, "members/my_ownership.html", context)


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
