"""Pages of the tenancy core: the cooperative picker, role homes, team and audit trail."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliedup import selectors, services
from alliedup.forms import InvitationForm
from alliedup.forms_util import add_service_errors
from alliedup.models import Invitation, Role
from alliedup.permissions import (
    STAFF,
    can,
    permission_required_in_coop,
    roles_for,
)
from alliedup.setup import selectors as setup_selectors
from governance.selectors import board_home as board_home_figures
from governance.selectors import votes_waiting
from governance.selectors_pages import is_election
from members.models import MemberStatus
from members.selectors import best_hours_progress, open_candidacy, worker_for_user
from payroll.selectors import absorbed_this_quarter, latest_statement, runs_to_approve, sick_requests_waiting
from placements.selectors import client_home as client_home_figures
from placements.selectors import client_ids_for, next_assignment, timesheets_waiting
from placements.selectors_invoices import corrections_to_adjust
from placements.selectors_shift_changes import shift_changes_waiting


@login_required
def home(request):
    """The cooperatives the user belongs to; straight in when there is only one."""
    cooperatives = selectors.user_cooperatives(request.user)
    if len(cooperatives) == 1:
        return redirect("coop_home", coop_slug=cooperatives[0].slug)
    return render(request, "alliedup/home.html", {"cooperatives": cooperatives})


@permission_required_in_coop("coop.view")
def coop_home(request, coop_slug):
    """Send each role to its own home: staff first, then workers, the board, client contacts."""
    roles = roles_for(request.user, request.cooperative)
    if roles & STAFF:
        return redirect("staff_home", coop_slug=coop_slug)
    if Role.WORKER in roles:
        return redirect("worker_home", coop_slug=coop_slug)
    if Role.BOARD in roles:
        return redirect("board_home", coop_slug=coop_slug)
    if Role.CLIENT in roles:
        return redirect("client_home", coop_slug=coop_slug)
    return render(request, "alliedup/member_home.html")


@permission_required_in_coop("coop.view_staff_home")
def staff_home(request, coop_slug):
    coop = request.cooperative
    context = {
        "team_size": selectors.team_size(coop),
        "open_invitations": selectors.open_invitations(coop).count(),
    }
    if can(request.user, coop, "coop.view_audit"):
        context["recent_events"] = list(selectors.audit_events(coop)[:10])
    if can(request.user, coop, "payroll.wage_floor"):
        context["absorbed_this_quarter"] = absorbed_this_quarter(coop)
    context["waiting"] = _waiting_for(request.user, coop)
    if can(request.user, coop, "coop.settings"):
        # Shown to administrators until every item is done (one query).
        checklist = setup_selectors.setup_checklist(coop, today=coop.today())
        context["setup_checklist"] = None if setup_selectors.setup_complete(checklist) else checklist
    return render(request, "alliedup/staff_home.html", context)


def _waiting_for(user, coop) -> list[tuple[str, int, str]]:
    """(what, how many, link) of the work waiting for this user's roles: one count each."""
    slug = coop.slug
    waiting = []
    if can(user, coop, "placements.approve_timesheets") and can(user, coop, "placements.view"):
        waiting.append(("Timesheets to approve", timesheets_waiting(coop), reverse("placements:timesheets", args=[slug])))
    if can(user, coop, "placements.manage"):
        waiting.append(("Shift drops and swaps to decide", shift_changes_waiting(coop, timezone.now()),
                        reverse("placements:shift_changes", args=[slug])))
    if can(user, coop, "placements.invoice"):
        waiting.append(("Hours corrected after they were invoiced", len(corrections_to_adjust(coop, now=timezone.now())),
                        reverse("placements:invoices", args=[slug])))
    if can(user, coop, "payroll.manage"):
        waiting.append(("Sick leave requests", sick_requests_waiting(coop), reverse("payroll:sick_requests", args=[slug])))
        waiting.append(("Pay runs calculated, to approve", runs_to_approve(coop), reverse("payroll:runs", args=[slug])))
    return [(what, n, link) for what, n, link in waiting if n]


@permission_required_in_coop("coop.view_worker_home")
def worker_home(request, coop_slug):
    """Hours toward ownership (the best classification), the next shift, the last pay and,
    for a worker-owner, the votes waiting for their ballot."""
    coop = request.cooperative
    worker = worker_for_user(coop, request.user)
    context = {"worker": worker}
    if worker is not None:
        now = timezone.now()
        context.update(
            progress=best_hours_progress(worker, coop.today()),
            candidacy=open_candidacy(worker) if worker.status == MemberStatus.CANDIDATE else None,
            next_assignment=next_assignment(worker, now),
            last_statement=latest_statement(worker),
            votes_waiting=[(vote, _ballot_url(coop_slug, vote)) for vote in votes_waiting(worker, now)],
        )
    return render(request, "alliedup/worker_home.html", context)


def _ballot_url(coop_slug: str, vote) -> str:
    name = "governance:election_ballot" if is_election(vote) else "governance:resolution_ballot"
    return reverse(name, args=[coop_slug, vote.uuid])


@permission_required_in_coop("coop.view_board_home")
def board_home(request, coop_slug):
    """Votes open now, elections taking nominations, documents published lately."""
    return render(request, "alliedup/board_home.html", {"board": board_home_figures(request.cooperative, timezone.now())})


@permission_required_in_coop("coop.view_client_home")
def client_home(request, coop_slug):
    """Timesheets to approve, job orders running, invoices not paid yet: for the user's clients."""
    coop = request.cooperative
    client_ids = client_ids_for(coop, request.user)
    figures = client_home_figures(coop, client_ids, coop.today()) if client_ids else None
    return render(request, "alliedup/client_home.html", {"figures": figures})


@permission_required_in_coop("coop.view_team")
@require_http_methods(["GET", "POST"])
def team(request, coop_slug):
    coop = request.cooperative
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can(request.user, coop, "coop.invite"):
            raise PermissionDenied("Only administrators invite people.")
        if form.is_valid():
            try:
                invitation = services.team_invite(cooperative=coop, invited_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                linked = f" Accepting it links their account to {invitation.worker}'s employee record." if invitation.worker else ""
                messages.success(request, f"Invitation sent to {invitation.email}.{linked}")
                return redirect("team", coop_slug=coop_slug)
    page = Paginator(selectors.team_members(coop), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "team": selectors.with_roles(coop, page.object_list),
        "invitations": selectors.open_invitations(coop).select_related("invited_by"),
        "form": form,
    }
    template = "alliedup/_invite_form.html" if request.htmx and request.method == "POST" else "alliedup/team.html"
    return render(request, template, context, status=400 if form.errors else 200)


@permission_required_in_coop("coop.view_audit")
def audit_trail(request, coop_slug):
    events = selectors.audit_events(request.cooperative, action_prefix=request.GET.get("action", ""))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "alliedup/audit_trail.html", {"page": page, "action": request.GET.get("action", "")})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, coop_slug, token):
    """An invitee signs in (or signs up) with the invited address and accepts here.

    Signed out, the link shows whom it invites and the way to sign up or in; the address
    counts as verified for a signup from here (allauth's stash), since only its mailbox
    received the link. Another user's invitation is a 404: the link reveals nothing to the
    wrong person.
    """
    invitation = get_object_or_404(Invitation, cooperative=request.cooperative, token=token)
    context = {"invitation": invitation, "invited_coop": request.cooperative}
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        if invitation.is_open:
            get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "alliedup/invitation_accept.html", {**context, "next": request.get_full_path()})
    if selectors.email_status(request.user, invitation.email) == "other":
        raise Http404("No invitation for you here.")
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Welcome to %(coop)s.") % {"coop": request.cooperative.name})
            return redirect("coop_home", coop_slug=coop_slug)
    return render(request, "alliedup/invitation_accept.html", context)
