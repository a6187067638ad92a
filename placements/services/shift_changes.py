"""Workers drop or swap a confirmed shift before the co-op's cut-off; a coordinator decides.

- Drop: the worker asks (a reason is optional) → pending → a coordinator approves (the
  assignment is cancelled through `matching.assignment_cancel`, so the shift opens again: on
  the fill board and in workers' open shifts) or declines.
- Swap: the worker offers the shift to a named co-worker → offered → the co-worker accepts
  on their portal → pending → a coordinator approves (in one transaction the worker's
  assignment is cancelled and the co-worker's made by `matching.shift_assign`) or declines.

The cut-off (`Cooperative.shift_change_cutoff_hours`, real hours before the shift starts,
so a night across a clock change keeps its 48 hours) closes the worker's steps: asking and
accepting; after it the worker calls the coordinator. A coordinator may decide a request
made in time until the shift starts. Who may take the shift is the matcher's answer
(`matching.worker_reasons`, `matching.shift_blocker`), asked again at every step because
credentials expire and schedules fill in between.

Rows are locked in one order, request → assignment → shift → workers, the order
`assignment_cancel` (assignment, then shift) and `shift_assign` (shift, then worker) use, so
no two of them wait on each other; the shift's lock is what keeps a slot from being filled
twice while it changes hands.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from members.selectors import workers_locked
from placements.models import Assignment, Shift, ShiftChangeRequest
from placements.services import matching

if TYPE_CHECKING:
    from members.models import Worker

REASON_MAX = 300
_SHIFT_PLACE = ("shift__job_order__contract__client", "shift__classification", "cooperative")


def change_cutoff(assignment: Assignment, cooperative=None) -> datetime:
    """The moment from which the worker can no longer ask to drop or swap `assignment`
    (`cooperative`: its co-op if at hand, else the assignment's is read)."""
    return assignment.starts_at - timedelta(hours=(cooperative or assignment.cooperative).shift_change_cutoff_hours)


def changes_open(assignment: Assignment, now: datetime | None = None, cooperative=None) -> bool:
    """Whether the worker may still ask to drop or swap this assignment themselves: only
    before the cut-off (at the cut-off itself it has passed)."""
    return (now or timezone.now()) < change_cutoff(assignment, cooperative)


def _site_time(assignment: Assignment, moment: datetime) -> str:
    local = moment.astimezone(assignment.shift.job_order.contract.client.zone)
    return f"{formats.date_format(local, 'D, M j, H:i')} {local.tzname()}"


def _check_cutoff(assignment: Assignment) -> None:
    if not changes_open(assignment):
        raise ValidationError(_(
            "Changes to this shift closed on %(cutoff)s (%(hours)s hours before it starts). "
            "Call the coordinator to drop or swap it."
        ) % {"cutoff": _site_time(assignment, change_cutoff(assignment)), "hours": assignment.cooperative.shift_change_cutoff_hours})


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}})
    return reason


def _changeable(assignment: Assignment, worker: Worker) -> Assignment:
    """The worker's own confirmed, future assignment, locked, inside the cut-off."""
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related(*_SHIFT_PLACE).get(pk=assignment.pk)
    if assignment.worker_id != worker.pk:
        raise ValidationError(_("This is not one of your shifts."))
    if assignment.status != Assignment.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed shift can be dropped or swapped."))
    _check_cutoff(assignment)
    if ShiftChangeRequest.objects.filter(assignment=assignment, status__in=ShiftChangeRequest.OPEN).exists():
        raise ValidationError(_("You already asked to change this shift; withdraw that request first."))
    return assignment


def swap_reasons(assignment: Assignment, to_worker: Worker) -> list[str]:
    """Why `to_worker` may not take over `assignment` (empty: they may): the rules of taking
    an open shift (the shift's contract and bill rate, the worker's classification,
    credentials valid through the shift's date at the site, no overlapping shift), and an
    account to accept it with."""
    if to_worker.pk == assignment.worker_id:
        return [_("Offer the shift to someone else.")]
    if to_worker.cooperative_id != assignment.cooperative_id:
        return [_("Not a worker of this co-op.")]
    reasons = []
    if blocker := matching.shift_blocker(assignment.shift, filled_ok=True):
        reasons.append(blocker)
    reasons += matching.worker_reasons(assignment.shift, to_worker)
    if to_worker.user_id is None:
        reasons.append(_("%(name)s has no portal account to accept it with.") % {"name": to_worker})
    return reasons


def _create(assignment: Assignment, worker: Worker, *, kind: str, status: str, reason: str, swap_to=None, requested_by=None):
    try:
        with transaction.atomic():
            change = ShiftChangeRequest.objects.create(
                cooperative=assignment.cooperative, kind=kind, status=status, assignment=assignment, worker=worker,
                swap_to=swap_to, reason=reason, requested_by=requested_by,
            )
    except IntegrityError:  # the partial unique index: another request got in first
        raise ValidationError(_("You already asked to change this shift; withdraw that request first.")) from None
    audit_log(cooperative=assignment.cooperative, action="placements.shift_change.requested", user=requested_by, obj=change,
              data={"kind": kind, "assignment": assignment.uuid, "shift_starts_at": assignment.starts_at,
                    "swap_to": str(swap_to) if swap_to else None, "reason": reason})
    return change


@transaction.atomic
def shift_drop_request(*, assignment: Assignment, worker: Worker, reason: str = "", requested_by=None) -> ShiftChangeRequest:
    """The worker asks to drop their confirmed assignment; a coordinator decides.

    Raises ValidationError after the cut-off (the message says to call the coordinator),
    for an assignment not theirs or not confirmed, or when a request is already open."""
    reason = _reason(reason)
    assignment = _changeable(assignment, worker)
    return _create(assignment, worker, kind=ShiftChangeRequest.Kind.DROP, status=ShiftChangeRequest.Status.PENDING,
                   reason=reason, requested_by=requested_by)


@transaction.atomic
def shift_swap_offer(*, assignment: Assignment, worker: Worker, to_worker: Worker, reason: str = "",
                     requested_by=None) -> ShiftChangeRequest:
    """The worker offers their confirmed assignment to a co-worker who may take it; the
    co-worker accepts next, then a coordinator decides.

    Raises ValidationError as `shift_drop_request`, and ({"swap_to": …}) when the co-worker
    may not take the shift: without naming why (their credentials and schedule are theirs)."""
    reason = _reason(reason)
    assignment = _changeable(assignment, worker)
    if swap_reasons(assignment, to_worker):
        raise ValidationError({"swap_to": _(
            "%(name)s cannot take this shift (their classification, credentials valid on its date, or another shift at that "
            "time). Offer it to someone else, or ask to drop it."
        ) % {"name": to_worker}})
    return _create(assignment, worker, kind=ShiftChangeRequest.Kind.SWAP, status=ShiftChangeRequest.Status.OFFERED,
                   reason=reason, swap_to=to_worker, requested_by=requested_by)


def _locked(change: ShiftChangeRequest) -> ShiftChangeRequest:
    return ShiftChangeRequest.objects.select_for_update(of=("self",)).select_related("worker", "swap_to", "cooperative").get(pk=change.pk)


def _refuse_closed(change: ShiftChangeRequest, *statuses) -> None:
    if change.status not in statuses:
        raise ValidationError(_("This request is no longer open: %(status)s.") % {"status": change.get_status_display().lower()})


def _close(change: ShiftChangeRequest, status: str, *, by, action: str, note: str = "") -> ShiftChangeRequest:
    before = change.status
    change.status, change.decided_at, change.decided_by, change.decision_note = status, timezone.now(), by, note
    change.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    audit_log(cooperative=change.cooperative, action=action, user=by, obj=change, before={"status": before},
              after={"status": status}, data={"note": note} if note else None)
    return change


@transaction.atomic
def shift_change_withdraw(*, change: ShiftChangeRequest, worker: Worker, withdrawn_by=None) -> ShiftChangeRequest:
    """The worker takes back their open request (before a coordinator decides). Raises
    ValidationError when it is not theirs or not open."""
    change = _locked(change)
    if change.worker_id != worker.pk:
        raise ValidationError(_("This is not your request."))
    _refuse_closed(change, *ShiftChangeRequest.OPEN)
    return _close(change, ShiftChangeRequest.Status.WITHDRAWN, by=withdrawn_by, action="placements.shift_change.withdrawn")


def _offered_to(change: ShiftChangeRequest, worker: Worker) -> None:
    if change.swap_to_id != worker.pk:
        raise ValidationError(_("This swap was not offered to you."))
    _refuse_closed(change, ShiftChangeRequest.Status.OFFERED)


@transaction.atomic
def shift_swap_accept(*, change: ShiftChangeRequest, worker: Worker, accepted_by=None) -> ShiftChangeRequest:
    """The co-worker accepts a swap offered to them; it then waits for a coordinator.

    Refused (ValidationError) after the cut-off, when the offer is not theirs or not open,
    when the shift is no longer the offering worker's, or with the reasons they may not take
    it now."""
    change = _locked(change)
    _offered_to(change, worker)
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related(*_SHIFT_PLACE).get(pk=change.assignment_id)
    if assignment.status != Assignment.Status.CONFIRMED or assignment.worker_id != change.worker_id:
        raise ValidationError(_("This shift is no longer %(name)s's to swap.") % {"name": change.worker})
    _check_cutoff(assignment)
    if reasons := swap_reasons(assignment, worker):
        raise ValidationError(_("You cannot take this shift: %(reasons)s") % {"reasons": " ".join(reasons)})
    change.status, change.accepted_at = ShiftChangeRequest.Status.PENDING, timezone.now()
    change.save(update_fields=["status", "accepted_at"])
    audit_log(cooperative=change.cooperative, action="placements.shift_change.accepted", user=accepted_by, obj=change,
              before={"status": ShiftChangeRequest.Status.OFFERED}, after={"status": change.status})
    return change


@transaction.atomic
def shift_swap_turn_down(*, change: ShiftChangeRequest, worker: Worker, turned_down_by=None) -> ShiftChangeRequest:
    """The co-worker says no to a swap offered to them; the shift stays the worker's."""
    change = _locked(change)
    _offered_to(change, worker)
    return _close(change, ShiftChangeRequest.Status.TURNED_DOWN, by=turned_down_by, action="placements.shift_change.turned_down")


@transaction.atomic
def shift_change_approve(*, change: ShiftChangeRequest, approved_by) -> ShiftChangeRequest:
    """A coordinator approves a request waiting for them. A drop cancels the assignment and
    the shift opens again; a swap cancels it and assigns the co-worker (confirmed), after
    checking once more that they may take it. All or nothing.

    Raises ValidationError when the request is not waiting for a coordinator, the shift has
    started, the assignment changed since the request (cancelled by staff, say), or the
    co-worker may no longer take the shift (with the reasons)."""
    change = _locked(change)
    if change.status == ShiftChangeRequest.Status.OFFERED:
        raise ValidationError(f"{change.swap_to} has not accepted the swap yet.")
    _refuse_closed(change, ShiftChangeRequest.Status.PENDING)
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("cooperative").get(pk=change.assignment_id)
    shift = Shift.objects.select_for_update(of=("self",)).select_related(
        "job_order__contract__client", "classification", "cooperative").get(pk=assignment.shift_id)
    assignment.shift = shift
    if assignment.status != Assignment.Status.CONFIRMED or assignment.worker_id != change.worker_id:
        raise ValidationError(f"The assignment is now {assignment.get_status_display().lower()}"
                              f"{'' if assignment.worker_id == change.worker_id else ' and someone else’s'}; decline the request.")
    if shift.starts_at <= timezone.now():
        raise ValidationError("The shift has started; decline the request and change the booking on the shift's page.")
    if change.kind == ShiftChangeRequest.Kind.SWAP:
        to_worker = next(w for w in workers_locked([change.worker_id, change.swap_to_id]) if w.pk == change.swap_to_id)
        if reasons := swap_reasons(assignment, to_worker):
            raise ValidationError({"swap_to": [f"{to_worker} can no longer take this shift: {' '.join(reasons)}"]})
        matching.assignment_cancel(assignment=assignment, reason=f"Swapped to {to_worker} (approved request)"[:REASON_MAX],
                                   cancelled_by=approved_by)
        change.new_assignment = matching.shift_assign(shift=shift, worker=to_worker, assigned_by=approved_by)
    else:
        why = f"Dropped at the worker's request{': ' + change.reason if change.reason else ''}"
        matching.assignment_cancel(assignment=assignment, reason=why[:REASON_MAX], cancelled_by=approved_by)
    change.status, change.decided_at, change.decided_by = ShiftChangeRequest.Status.APPROVED, timezone.now(), approved_by
    change.save(update_fields=["status", "decided_at", "decided_by", "new_assignment"])
    audit_log(cooperative=change.cooperative, action="placements.shift_change.approved", user=approved_by, obj=change,
              before={"status": ShiftChangeRequest.Status.PENDING}, after={"status": change.status},
              data={"kind": change.kind, "shift": shift.uuid, "from": str(change.worker),
                    "to": str(change.swap_to) if change.swap_to_id else None})
    return change


@transaction.atomic
def shift_change_decline(*, change: ShiftChangeRequest, declined_by, note: str = "") -> ShiftChangeRequest:
    """A coordinator declines an open request (a swap may be declined before the co-worker
    answers); the shift stays the worker's. `note` (optional) is shown to the worker."""
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise ValidationError({"note": f"Keep the note under {REASON_MAX} characters."})
    change = _locked(change)
    _refuse_closed(change, *ShiftChangeRequest.OPEN)
    return _close(change, ShiftChangeRequest.Status.DECLINED, by=declined_by, action="placements.shift_change.declined", note=note)
