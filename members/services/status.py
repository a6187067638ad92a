"""Member status changes: the one door every step of the ownership path goes through."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from members.models import Candidacy, MemberStatus, MemberStatusChange, Worker
from members.services.exit import ownership_exit

S = MemberStatus
# Which moves the ownership path allows (design § 2). Staff moves use the same table.
ALLOWED = {
    S.EMPLOYEE: {S.CANDIDATE, S.WITHDRAWN},
    S.CANDIDATE: {S.OWNER, S.EMPLOYEE, S.WITHDRAWN},  # back to employee when candidacy lapses
    S.OWNER: {S.LAPSED, S.WITHDRAWN},
    S.LAPSED: {S.OWNER, S.EMPLOYEE, S.WITHDRAWN},
    S.WITHDRAWN: {S.EMPLOYEE},
}
# A roster import (onboarding.services.roster_import, through owner_import) brings an existing
# co-op's owners in at the step they reached before the platform: just hired, then straight to
# worker-owner.
IMPORTED = {S.EMPLOYEE: {S.OWNER}}


@transaction.atomic
def status_change(
    *, worker: Worker, to_status: str, reason: str, changed_by=None, effective_on: date | None = None,
    imported: bool = False,
) -> MemberStatusChange:
    """Move `worker` to `to_status`, record who, when and why, and audit it. `imported`: the
    step an imported worker had reached (IMPORTED), recorded once by the roster import.

    Raises ValidationError for a move the path does not allow or a missing reason.
    """
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Every status change needs a reason."})
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    allowed = ALLOWED.get(worker.status, set()) | (IMPORTED.get(worker.status, set()) if imported else set())
    if to_status not in allowed:
        raise ValidationError(
            f"{worker} cannot move from {worker.get_status_display()} to {MemberStatus(to_status).label}."
        )
    effective_on = effective_on or worker.cooperative.today()
    before = worker.status
    worker.status = to_status
    if to_status == S.OWNER:  # a new ownership period starts (also after a lapse)
        worker.owner_since = effective_on
    worker.save(update_fields=["status", "owner_since"])
    change = MemberStatusChange.objects.create(
        cooperative=worker.cooperative, worker=worker, from_status=before, to_status=to_status,
        effective_on=effective_on, changed_by=changed_by, reason=reason.strip()[:300],
    )
    audit_log(
        cooperative=worker.cooperative, action=f"members.status.{to_status}", user=changed_by, obj=worker,
        before={"status": before}, after={"status": to_status}, data={"reason": reason, "effective_on": effective_on},
    )
    return change


@transaction.atomic(savepoint=False)  # inside the import's transaction: no savepoint of its own
def owner_import(
    *, worker: Worker, classification, owner_since: date, reason: str, changed_by=None,
) -> MemberStatusChange:
    """Record a worker-owner a roster import brings in (IMPORTED: just hired, straight to
    worker-owner since `owner_since`), whose ownership is kept by the hours in `classification`
    (as a candidacy's classification keeps it for owners made on the platform). Returns the
    status change; raises ValidationError as `status_change` does."""
    change = status_change(worker=worker, to_status=S.OWNER, effective_on=owner_since, changed_by=changed_by,
                           imported=True, reason=reason)
    Worker.objects.filter(pk=worker.pk).update(owner_classification=classification)
    return change


# The moves staff make by hand (design § 2: "only through the same services, with a reason").
# Becoming a candidate goes through candidacy_open and becoming an owner only through the
# ownership rule (agreement + equity), so neither is offered here.
MANUAL_MOVES = {
    S.EMPLOYEE: {S.WITHDRAWN},
    S.CANDIDATE: {S.EMPLOYEE, S.WITHDRAWN},
    S.OWNER: {S.LAPSED, S.WITHDRAWN},
    S.LAPSED: {S.EMPLOYEE, S.WITHDRAWN},
    S.WITHDRAWN: {S.EMPLOYEE},
}


@transaction.atomic
def member_move(*, worker: Worker, to_status: str, reason: str, moved_by, effective_on: date) -> MemberStatusChange:
    """A staff decision moving a member along (or off) the path; an open candidacy is
    closed as withdrawn. A worker-owner's exit goes through members.services.exit
    (lapsed → a lapse, withdrawn → a withdrawal), which schedules the redemption.
    Raises ValidationError for a move staff cannot make by hand."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if to_status not in MANUAL_MOVES.get(worker.status, set()):
        raise ValidationError(
            {"to_status": f"Staff cannot move {worker} from {worker.get_status_display()} to {MemberStatus(to_status).label} by hand."}
        )
    if worker.status == S.OWNER:
        if not reason or not reason.strip():
            raise ValidationError({"reason": "Every status change needs a reason."})
        exit_reason = "lapse" if to_status == S.LAPSED else "withdrawal"
        schedule = ownership_exit(worker=worker, reason=exit_reason, effective_on=effective_on, recorded_by=moved_by, note=reason)
        return schedule.status_change
    open_candidacy = Candidacy.objects.select_for_update().filter(worker=worker, status=Candidacy.Status.OPEN).first()
    change = status_change(worker=worker, to_status=to_status, reason=reason, changed_by=moved_by, effective_on=effective_on)
    if open_candidacy is not None:
        open_candidacy.status = Candidacy.Status.WITHDRAWN
        open_candidacy.closed_on = effective_on
        open_candidacy.save(update_fields=["status", "closed_on"])
        audit_log(cooperative=worker.cooperative, action="members.candidacy.withdrawn", user=moved_by, obj=open_candidacy,
                  data={"reason": reason})
    return change
