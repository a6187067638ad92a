"""Candidacy: opened when a worker reaches the hours threshold, 90 days to finish."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from alliedup.money import ZERO
from alliedup.tasks import enqueue
from members import selectors
from members.letters import welcome_letter_send
from members.models import (
    Candidacy,
    CandidacyExtension,
    HoursEntry,
    JobClassification,
    MemberStatus,
    Worker,
)
from members.services.status import status_change

CHECKLIST_STEPS = {
    "intake_call": "intake_call_on",
    "interviews": "interviews_done_on",
    "education": "education_done_on",
}


@transaction.atomic
def candidacy_open(
    *, worker: Worker, classification: JobClassification, opened_on: date, opened_by=None,
    reason: str = "Reached the hours threshold",
) -> Candidacy:
    """Open a candidacy for an employee, move them to candidate and queue the welcome letter.

    Raises ValidationError if the worker is not an employee or already has an open candidacy.
    """
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.status != MemberStatus.EMPLOYEE or not worker.is_active:
        raise ValidationError(f"{worker} is {worker.get_status_display().lower()}, not an active employee.")
    if Candidacy.objects.filter(worker=worker, status=Candidacy.Status.OPEN).exists():
        raise ValidationError(f"{worker} already has an open candidacy.")
    cooperative = worker.cooperative
    start, end = selectors.candidacy_window(cooperative, opened_on)
    hours = HoursEntry.objects.filter(
        worker=worker, classification=classification, workday__gte=start, workday__lte=end
    ).aggregate(total=Sum("hours"))["total"] or ZERO
    candidacy = Candidacy.objects.create(
        cooperative=cooperative, worker=worker, classification=classification, opened_on=opened_on,
        deadline=opened_on + timedelta(days=cooperative.candidacy_window_days), qualifying_hours=hours,
    )
    status_change(worker=worker, to_status=MemberStatus.CANDIDATE, reason=reason, changed_by=opened_by, effective_on=opened_on)
    audit_log(
        cooperative=cooperative, action="members.candidacy.opened", user=opened_by, obj=candidacy,
        after={"classification": classification.code, "hours": hours, "deadline": candidacy.deadline},
    )
    enqueue(welcome_letter_send, cooperative=cooperative, candidacy_id=candidacy.pk)
    return candidacy


def eligibility_sweep(*, cooperative: Cooperative, check_date: date) -> list[Candidacy]:
    """Open a candidacy for everyone newly eligible on `check_date`; return those opened.

    One aggregate query finds them; each opening is its own transaction, so one worker's
    problem does not undo the others'. Idempotent: a second run finds nobody new.
    """
    rows = selectors.newly_eligible(cooperative, check_date)
    classifications = {c.pk: c for c in JobClassification.objects.filter(cooperative=cooperative)}
    workers = Worker.objects.select_related("cooperative").in_bulk([r["worker_id"] for r in rows])
    opened = []
    for row in rows:
        try:
            opened.append(
                candidacy_open(
                    worker=workers[row["worker_id"]], classification=classifications[row["classification_id"]],
                    opened_on=check_date,
                    reason=f"{row['total']} hours as {classifications[row['classification_id']].name} in the window ending {check_date}",
                )
            )
        except ValidationError:
            continue  # moved on concurrently (e.g. staff opened it by hand): nothing to do
    return opened


@transaction.atomic
def candidacy_record_step(*, candidacy: Candidacy, step: str, done_on: date, recorded_by=None) -> Candidacy:
    """Tick a checklist step (intake call, interviews, education) on an open candidacy."""
    if step not in CHECKLIST_STEPS:
        raise ValidationError({"step": f"Unknown step {step!r}; one of {', '.join(CHECKLIST_STEPS)}."})
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status != Candidacy.Status.OPEN:
        raise ValidationError("This candidacy is closed.")
    if done_on < candidacy.opened_on:
        raise ValidationError({"done_on": "A step cannot be done before the candidacy opened."})
    setattr(candidacy, CHECKLIST_STEPS[step], done_on)
    candidacy.save(update_fields=[CHECKLIST_STEPS[step]])
    audit_log(
        cooperative=candidacy.cooperative, action=f"members.candidacy.{step}_done", user=recorded_by,
        obj=candidacy, after={"done_on": done_on},
    )
    return candidacy


@transaction.atomic
def candidacy_extend(*, candidacy: Candidacy, new_deadline: date, reason: str, extended_by) -> Candidacy:
    """Move an open candidacy's deadline later, with a reason (a staff decision)."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "An extension needs a reason."})
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status != Candidacy.Status.OPEN:
        raise ValidationError("Only an open candidacy can be extended.")
    if new_deadline <= candidacy.deadline:
        raise ValidationError({"new_deadline": f"The new deadline must be after {candidacy.deadline}."})
    CandidacyExtension.objects.create(
        cooperative=candidacy.cooperative, candidacy=candidacy, previous_deadline=candidacy.deadline,
        new_deadline=new_deadline, reason=reason.strip(), extended_by=extended_by,
    )
    before = candidacy.deadline
    candidacy.deadline = new_deadline
    candidacy.save(update_fields=["deadline"])
    audit_log(
        cooperative=candidacy.cooperative, action="members.candidacy.extended", user=extended_by, obj=candidacy,
        before={"deadline": before}, after={"deadline": new_deadline}, data={"reason": reason},
    )
    return candidacy


def candidacy_expiry_sweep(*, cooperative: Cooperative, today: date) -> list[Candidacy]:
    """Lapse every open candidacy whose deadline has passed; the worker stays an employee.

    Idempotent: a lapsed candidacy is no longer open, so a second run lapses nothing.
    """
    lapsed = []
    for candidacy in Candidacy.objects.filter(cooperative=cooperative, status=Candidacy.Status.OPEN, deadline__lt=today):
        lapsed.append(_candidacy_lapse(candidacy=candidacy, today=today))
    return [c for c in lapsed if c is not None]


@transaction.atomic
def _candidacy_lapse(*, candidacy: Candidacy, today: date) -> Candidacy | None:
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status != Candidacy.Status.OPEN or candidacy.deadline >= today:
        return None  # finished or extended meanwhile
    candidacy.status = Candidacy.Status.LAPSED
    candidacy.closed_on = today
    candidacy.save(update_fields=["status", "closed_on"])
    status_change(
        worker=candidacy.worker, to_status=MemberStatus.EMPLOYEE, effective_on=today,
        reason=f"Candidacy ended unfinished on its deadline {candidacy.deadline}",
    )
    audit_log(cooperative=candidacy.cooperative, action="members.candidacy.lapsed", obj=candidacy, data={"deadline": candidacy.deadline})
    return candidacy
