"""Pages of the tenancy core: the cooperative picker, the door to each role's home (the homes
themselves are insights/views/home.py), team, audit trail and invitations."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliedup import selectors, services
from alliedup.forms import InvitationForm
from alliedup.forms_util import add_service_errors
from alliedup.models import Invitation, Role
from alliedup.permissions import STAFF, can, permission_required_in_coop, roles_for


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
