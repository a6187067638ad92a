"""Committees: the list, and a committee's page with its members by side (the LMC's balance
shown: "unequal: 3 management, 2 workers"), adding members and recording meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from governance.selectors import pages
from governance.forms import CommitteeForm, MeetingForm, MemberForm
from governance.models import Committee, CommitteeMember
from governance.services import committees as committee_services
from governance.views.common import can_manage


def _list_page(request, form=None, status=200):
    committees = list(pages.committees_list())
    for c in committees:
        c.balance = committee_services.committee_balance(c, request.cooperative.today()) if c.equal_representation else None
    return render(request, "governance/staff/committees.html",
                  {"committees": committees, "form": form or CommitteeForm(), "can_manage": can_manage(request)}, status=status)


@require_GET
@permission_required_in_coop("governance.view")
def committee_list(request, coop_slug):
    return _list_page(request)


@require_POST
@permission_required_in_coop("governance.manage")
def committee_create(request, coop_slug):
    form = CommitteeForm(request.POST)
    if form.is_valid():
        try:
            committee = committee_services.committee_create(cooperative=request.cooperative, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{committee} added. Seat its members next.")
            return redirect("governance:committee_detail", coop_slug=coop_slug, committee_uuid=committee.uuid)
    return _list_page(request, form, status=400)


def _committee(committee_uuid):
    return get_object_or_404(Committee.objects.select_related("cooperative"), uuid=committee_uuid)


def _detail_page(request, committee, *, status=200, member_form=None, meeting_form=None):
    today = request.cooperative.today()
    members = list(committee.members.select_related("worker").order_by("side", "name"))
    sitting = set(committee_services.current_members(committee, today).values_list("pk", flat=True))
    sides = [(label, [m for m in members if m.side == value]) for value, label in CommitteeMember.Side.choices]
    context = {
        "committee": committee, "sides": sides, "sitting": sitting, "today": today, "can_manage": can_manage(request),
        "balance": committee_services.committee_balance(committee, today),
        "meetings": pages.committee_meetings(committee),
        "member_form": member_form or MemberForm(cooperative=request.cooperative, initial={"starts_on": today}),
        "meeting_form": meeting_form or MeetingForm(committee=committee, initial={"held_on": today}),
    }
    return render(request, "governance/staff/committee_detail.html", context, status=status)


@require_GET
@permission_required_in_coop("governance.view")
def committee_detail(request, coop_slug, committee_uuid):
    return _detail_page(request, _committee(committee_uuid))


@require_POST
@permission_required_in_coop("governance.manage")
def committee_member_add(request, coop_slug, committee_uuid):
    committee = _committee(committee_uuid)
    form = MemberForm(request.POST, cooperative=request.cooperative)
    if form.is_valid():
        try:
            member = committee_services.committee_member_add(committee=committee, added_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{member.name} sits on the {member.get_side_display().lower()} side.")
            return redirect("governance:committee_detail", coop_slug=coop_slug, committee_uuid=committee.uuid)
    return _detail_page(request, committee, status=400, member_form=form)


@require_POST
@permission_required_in_coop("governance.manage")
def committee_meeting_record(request, coop_slug, committee_uuid):
    committee = _committee(committee_uuid)
    form = MeetingForm(request.POST, committee=committee)
    if form.is_valid():
        try:
            meeting = committee_services.meeting_record(committee=committee, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Meeting of {meeting.held_on:%b %-d, %Y} recorded.")
            return redirect("governance:committee_detail", coop_slug=coop_slug, committee_uuid=committee.uuid)
    return _detail_page(request, committee, status=400, meeting_form=form)
