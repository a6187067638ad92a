"""Drop and swap requests (placements/services/shift_changes.py).

Worker pages ("placements.work", their own employee record): ask to drop or swap one of
their confirmed shifts before the cut-off, withdraw the request, accept or turn down a swap
offered to them. Staff page ("placements.view" to read, "placements.manage" to decide):
the requests waiting for a coordinator, swaps waiting for the co-worker, and those decided
lately. A worker reaches only their own assignments and requests (others are a 404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from placements.models import Assignment, ShiftChangeRequest
from placements.selectors.shift_changes import shift_changes_decided, shift_changes_open, swap_coworkers
from placements.services import shift_changes as services
from placements.shift_change_forms import DeclineForm, DropForm, SwapForm
from placements.views.portal import _local, _own_worker

# --- worker -------------------------------------------------------------------------------


@permission_required_in_coop("placements.work")
def my_shift_change(request, coop_slug, assignment_uuid):
    """Ask to drop one of my confirmed shifts, or offer it to a co-worker (POST `action` =
    drop or swap), before the co-op's cut-off; after it, the page says to call the
    coordinator. An open request shows instead, with a way to withdraw it."""
    worker = _own_worker(request)
    assignment = get_object_or_404(
        Assignment.objects.select_related("shift__job_order__contract__client", "shift__job_order__site", "shift__classification"),
        uuid=assignment_uuid, worker=worker,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    coworkers = swap_coworkers(assignment)
    drop_form = DropForm(request.POST if action == "drop" else None, prefix="drop")
    swap_form = SwapForm(request.POST if action == "swap" else None, coworkers=coworkers, prefix="swap")
    if request.method == "POST":
        form = swap_form if action == "swap" else drop_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "swap":
                    services.shift_swap_offer(assignment=assignment, worker=worker, to_worker=data["swap_to"], reason=data["reason"],
                                              requested_by=request.user)
                else:
                    services.shift_drop_request(assignment=assignment, worker=worker, reason=data["reason"], requested_by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if action == "swap":
                    messages.success(request, _("Offered to %(name)s. Once they accept, the coordinator confirms the swap.")
                                     % {"name": data["swap_to"]})
                else:
                    messages.success(request, _("Asked to drop the shift. It stays yours until the coordinator approves."))
                return redirect("placements:my_schedule", coop_slug=coop_slug)
    open_request = assignment.change_requests.filter(status__in=ShiftChangeRequest.OPEN).select_related("swap_to").first()
    cutoff = services.change_cutoff(assignment, request.cooperative)
    context = {
        "assignment": assignment, "shift": assignment.shift, "local": _local(assignment.shift),
        "confirmed": assignment.status == Assignment.Status.CONFIRMED,
        "changes_open": services.changes_open(assignment, cooperative=request.cooperative),
        "cutoff": cutoff.astimezone(assignment.shift.job_order.contract.client.zone).replace(tzinfo=None),
        "cutoff_hours": request.cooperative.shift_change_cutoff_hours,
        "open_request": open_request, "drop_form": drop_form, "swap_form": swap_form, "coworkers": coworkers,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "placements/portal/shift_change.html", context, status=status)


def _worker_decision(request, coop_slug, shift_change_uuid, *, mine: str, act, done: str):
    """Fetch the request (`mine`: "worker" for my own, "swap_to" for one offered to me; any
    other is a 404), call `act(change, worker)`, and go back to My schedule with the outcome."""
    worker = _own_worker(request)
    change = get_object_or_404(ShiftChangeRequest, uuid=shift_change_uuid, **{mine: worker})
    try:
        act(change, worker)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("placements:my_schedule", coop_slug=coop_slug)


@require_POST
@permission_required_in_coop("placements.work")
def my_shift_change_withdraw(request, coop_slug, shift_change_uuid):
    return _worker_decision(
        request, coop_slug, shift_change_uuid, mine="worker", done=_("Request withdrawn: the shift stays yours."),
        act=lambda change, worker: services.shift_change_withdraw(change=change, worker=worker, withdrawn_by=request.user),
    )


@require_POST
@permission_required_in_coop("placements.work")
def my_swap_accept(request, coop_slug, shift_change_uuid):
    return _worker_decision(
        request, coop_slug, shift_change_uuid, mine="swap_to", done=_("Swap accepted. The coordinator confirms it next."),
        act=lambda change, worker: services.shift_swap_accept(change=change, worker=worker, accepted_by=request.user),
    )


@require_POST
@permission_required_in_coop("placements.work")
def my_swap_turn_down(request, coop_slug, shift_change_uuid):
    return _worker_decision(
        request, coop_slug, shift_change_uuid, mine="swap_to", done=_("Swap turned down."),
        act=lambda change, worker: services.shift_swap_turn_down(change=change, worker=worker, turned_down_by=request.user),
    )


# --- staff --------------------------------------------------------------------------------


@require_GET
@permission_required_in_coop("placements.view")
def shift_changes(request, coop_slug):
    """Requests waiting for a coordinator (soonest shift first), swaps still waiting for
    the co-worker, and those decided in the last 14 days. Four queries besides the
    sign-in's and the co-op's, whatever the number of requests."""
    now = timezone.now()
    open_requests = shift_changes_open(request.cooperative, now)
    context = {
        "pending": [c for c in open_requests if c.status == ShiftChangeRequest.Status.PENDING],
        "offered": [c for c in open_requests if c.status == ShiftChangeRequest.Status.OFFERED],
        "decided": shift_changes_decided(request.cooperative, now),
    }
    return render(request, "placements/staff/shift_changes.html", context)


@require_POST
@permission_required_in_coop("placements.manage")
def shift_change_approve(request, coop_slug, shift_change_uuid):
    change = get_object_or_404(ShiftChangeRequest.objects.select_related("worker", "swap_to"), uuid=shift_change_uuid)
    try:
        services.shift_change_approve(change=change, approved_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if change.kind == ShiftChangeRequest.Kind.SWAP:
            messages.success(request, f"Swap approved: the shift is {change.swap_to}'s now.")
        else:
            messages.success(request, f"Drop approved: {change.worker} is off the shift and it is open again on the fill board.")
    return redirect("placements:shift_changes", coop_slug=coop_slug)


@require_POST
@permission_required_in_coop("placements.manage")
def shift_change_decline(request, coop_slug, shift_change_uuid):
    change = get_object_or_404(ShiftChangeRequest.objects.select_related("worker"), uuid=shift_change_uuid)
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        services.shift_change_decline(change=change, declined_by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Declined: the shift stays {change.worker}'s.")
    return redirect("placements:shift_changes", coop_slug=coop_slug)
