"""Each role's home in a co-op, where `coop_home` (alliedup/views.py) sends them: staff (what
waits for their roles, the set-up checklist), worker (hours toward ownership, the next shift,
the last pay, votes waiting), board (votes and documents) and client contact (timesheets to
approve, job orders, invoices). Mounted at /c/<coop_slug>/ by insights/urls_home.py."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from alliedup import selectors
from alliedup.permissions import can, permission_required_in_coop
from governance.selectors import board_home as board_home_figures
from governance.selectors import votes_waiting
from governance.selectors.pages import is_election
from members.choices import MemberStatus
from members.selectors import best_hours_progress, open_candidacy, worker_for_user
from onboarding.selectors import setup_checklist, setup_complete
from payroll.selectors import absorbed_this_quarter, latest_statement, runs_to_approve, sick_requests_waiting
from placements.selectors import client_home as client_home_figures
from placements.selectors import client_ids_for, next_assignment, timesheets_waiting
from placements.selectors.invoices import corrections_to_adjust
from placements.selectors.shift_changes import shift_changes_waiting


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
        checklist = setup_checklist(coop, today=coop.today())
        context["setup_checklist"] = None if setup_complete(checklist) else checklist
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
