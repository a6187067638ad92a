"""Staff and board pages of elections and resolutions: lists, set-up forms, the detail page
with its phase actions (nominations, voting, count, certification), turnout (counts only,
never who voted how) and the results PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from governance.selectors import pages
from governance.documents import results_context, results_filename, results_pdf
from governance.forms import CertifyForm, ElectionForm, NominateForm, ResolutionForm, VotingOpenForm
from governance.models import Election, Resolution
from governance.selectors import turnout
from governance.services import voting
from governance.views.common import RESULTS_PERMISSIONS, can_manage, errors_text, pdf_response, permission_any_in_coop

# --- elections ------------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("governance.view")
def election_list(request, coop_slug):
    return render(request, "governance/staff/elections.html", {"elections": pages.elections_list(), "can_manage": can_manage(request)})


@permission_required_in_coop("governance.manage")
def election_create(request, coop_slug):
    coop = request.cooperative
    form = ElectionForm(request.POST or None, initial={"record_date": coop.today()})
    if request.method == "POST":
        with timezone.override(coop.zone):  # the form's date-times are the co-op's local times
            valid = form.is_valid()
        if valid:
            try:
                election = voting.election_create(cooperative=coop, created_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{election} is set up. Nominate candidates next.")
                return redirect("governance:election_detail", coop_slug=coop_slug, election_uuid=election.uuid)
    return render(request, "governance/staff/vote_form.html", {"form": form, "kind": "election"}, status=400 if form.errors else 200)


def _election_page(request, election, *, status=200, nominate_form=None, certify_form=None):
    counted = pages.is_counted(election)
    manage = can_manage(request)
    context = {
        "vote": election, "is_election": True, "can_manage": manage,
        "candidates": election.candidates.select_related("worker").order_by("worker__last_name", "worker__first_name"),
        "turnout": turnout(election) if election.status != Election.Status.DRAFT and election.status != Election.Status.NOMINATIONS else None,
        "now": timezone.now(), "voting_open_form": VotingOpenForm(),
    }
    if manage and election.status in (Election.Status.DRAFT, Election.Status.NOMINATIONS):
        context["nominate_form"] = nominate_form or NominateForm(election=election)
    if counted:
        context.update(results_context(election))
        if manage and election.status == Election.Status.CLOSED and election.result.get("quorum_met") and context["elected"]:
            context["certify_form"] = certify_form or CertifyForm(
                elected=context["elected"], cooperative=request.cooperative, initial={"term_starts_on": request.cooperative.today()})
    return render(request, "governance/staff/vote_detail.html", context, status=status)


def _election(election_uuid):
    return get_object_or_404(Election.objects.select_related("cooperative", "certified_by"), uuid=election_uuid)


@require_GET
@permission_required_in_coop("governance.view")
def election_detail(request, coop_slug, election_uuid):
    return _election_page(request, _election(election_uuid))


@require_POST
@permission_required_in_coop("governance.manage")
def election_nominate(request, coop_slug, election_uuid):
    election = _election(election_uuid)
    form = NominateForm(request.POST, election=election)
    if form.is_valid():
        try:
            candidate = voting.candidate_nominate(election=election, nominated_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{candidate} is on the ballot.")
            return redirect("governance:election_detail", coop_slug=coop_slug, election_uuid=election.uuid)
    return _election_page(request, election, status=400, nominate_form=form)


def _phase(request, vote, action, done: str):
    """Run a phase change; its refusal shows as a message on the detail page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, done)
    return _detail(request, vote)


def _detail(request, vote):
    if isinstance(vote, Election):
        return redirect("governance:election_detail", coop_slug=request.cooperative.slug, election_uuid=vote.uuid)
    return redirect("governance:resolution_detail", coop_slug=request.cooperative.slug, resolution_uuid=vote.uuid)


@require_POST
@permission_required_in_coop("governance.manage")
def election_nominations_open(request, coop_slug, election_uuid):
    election = _election(election_uuid)
    return _phase(request, election, lambda: voting.nominations_open(election=election, opened_by=request.user), "Nominations are open.")


def _voting_open(request, vote):
    """Open voting once the page's confirmation is ticked; without it nothing changes and
    the detail page says why (the API call is explicit itself and needs no tick)."""
    form = VotingOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["confirm"]))
        return _detail(request, vote)
    return _phase(request, vote, lambda: voting.voting_open(vote=vote, opened_by=request.user),
                  "Voting is open; the voter roll is fixed at the record date.")


@require_POST
@permission_required_in_coop("governance.manage")
def election_voting_open(request, coop_slug, election_uuid):
    return _voting_open(request, _election(election_uuid))


@require_POST
@permission_required_in_coop("governance.manage")
def election_count(request, coop_slug, election_uuid):
    election = _election(election_uuid)
    return _phase(request, election, lambda: voting.vote_count(vote=election), "Counted. The ballots are published with their receipt codes.")


@require_POST
@permission_required_in_coop("governance.manage")
def election_certify(request, coop_slug, election_uuid):
    election = _election(election_uuid)
    if election.status != Election.Status.CLOSED:
        messages.error(request, "Only a counted election can be certified.")
        return redirect("governance:election_detail", coop_slug=coop_slug, election_uuid=election.uuid)
    form = CertifyForm(request.POST, elected=pages.elected_names(election), cooperative=request.cooperative)
    if form.is_valid():
        try:
            voting.election_certify(election=election, seats=form.seats(), term_starts_on=form.cleaned_data["term_starts_on"],
                                    term_ends_on=form.cleaned_data["term_ends_on"], certified_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Certified: the elected hold their seats on the board.")
            return redirect("governance:election_detail", coop_slug=coop_slug, election_uuid=election.uuid)
    return _election_page(request, election, status=400, certify_form=form)


@require_GET
@permission_any_in_coop(*RESULTS_PERMISSIONS)
def election_results_pdf(request, coop_slug, election_uuid):
    return _results_pdf(request, _election(election_uuid))


def _results_pdf(request, vote):
    try:
        content = results_pdf(vote)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        if isinstance(vote, Election):
            return redirect("governance:election_results", coop_slug=request.cooperative.slug, election_uuid=vote.uuid)
        return redirect("governance:resolution_results", coop_slug=request.cooperative.slug, resolution_uuid=vote.uuid)
    return pdf_response(content, results_filename(vote))


# --- resolutions ----------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("governance.view")
def resolution_list(request, coop_slug):
    return render(request, "governance/staff/resolutions.html", {"resolutions": pages.resolutions_list(), "can_manage": can_manage(request)})


@permission_required_in_coop("governance.manage")
def resolution_create(request, coop_slug):
    coop = request.cooperative
    form = ResolutionForm(request.POST or None, initial={"record_date": coop.today()})
    if request.method == "POST":
        with timezone.override(coop.zone):
            valid = form.is_valid()
        if valid:
            try:
                resolution = voting.resolution_create(cooperative=coop, created_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{resolution} is set up. Open voting when it is time.")
                return redirect("governance:resolution_detail", coop_slug=coop_slug, resolution_uuid=resolution.uuid)
    return render(request, "governance/staff/vote_form.html", {"form": form, "kind": "resolution"}, status=400 if form.errors else 200)


def _resolution(resolution_uuid):
    return get_object_or_404(Resolution.objects.select_related("cooperative", "certified_by"), uuid=resolution_uuid)


@require_GET
@permission_required_in_coop("governance.view")
def resolution_detail(request, coop_slug, resolution_uuid):
    resolution = _resolution(resolution_uuid)
    context = {"vote": resolution, "is_election": False, "can_manage": can_manage(request), "now": timezone.now(),
               "voting_open_form": VotingOpenForm(),
               "turnout": turnout(resolution) if resolution.status != Resolution.Status.DRAFT else None}
    if pages.is_counted(resolution):
        context.update(results_context(resolution))
    return render(request, "governance/staff/vote_detail.html", context)


@require_POST
@permission_required_in_coop("governance.manage")
def resolution_voting_open(request, coop_slug, resolution_uuid):
    return _voting_open(request, _resolution(resolution_uuid))


@require_POST
@permission_required_in_coop("governance.manage")
def resolution_count(request, coop_slug, resolution_uuid):
    resolution = _resolution(resolution_uuid)
    return _phase(request, resolution, lambda: voting.vote_count(vote=resolution), "Counted. The ballots are published with their receipt codes.")


@require_POST
@permission_required_in_coop("governance.manage")
def resolution_certify(request, coop_slug, resolution_uuid):
    resolution = _resolution(resolution_uuid)
    return _phase(request, resolution, lambda: voting.resolution_certify(resolution=resolution, certified_by=request.user), "Certified.")


@require_GET
@permission_any_in_coop(*RESULTS_PERMISSIONS)
def resolution_results_pdf(request, coop_slug, resolution_uuid):
    return _results_pdf(request, _resolution(resolution_uuid))
