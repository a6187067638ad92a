"""Leaving the co-op: the one door through which a worker-owner's ownership ends (withdrawal,
lapse, termination) and the bylaws' redemption is scheduled, in one transaction.

Staff (the exit page and API, patronage.views.exit / patronage.api.exit) call it here; members'
own callers reach it through the exit hook in members.services.exit (described there).
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from members.choices import MemberStatus
from members.services.exit import EXIT_REASONS, EXIT_STATUS, MAX_DAYS_AHEAD
from members.services.status import status_change
from patronage.models import RedemptionSchedule
from patronage.services.redemption import redemption_schedule_create


@transaction.atomic
def ownership_exit(*, worker, reason: str, effective_on: date, recorded_by=None, note: str = "") -> RedemptionSchedule:
    """End `worker`'s ownership for `reason` ("withdrawal", "lapse" or "termination") on
    `effective_on`, and create its redemption schedule (the equity buy-in paid and the capital
    account balance, in the bylaws' installments), in one transaction. The status change and
    the schedule are audited.

    Returns the RedemptionSchedule. Raises ValidationError, writing nothing, for an unknown
    reason, a worker who is not a worker-owner (a second exit included: the first ended the
    ownership), or a date before ownership began.
    """
    if reason not in EXIT_STATUS:
        raise ValidationError({"reason": f"The reason for leaving is one of {', '.join(EXIT_STATUS)}."})
    # Locked: two exits at once (staff and the nightly check) serialise here; the second
    # finds the worker no longer an owner.
    worker = type(worker).objects.select_for_update().select_related("cooperative").get(pk=worker.pk)
    if worker.status != MemberStatus.OWNER:
        previous = RedemptionSchedule.objects.filter(worker=worker).order_by("-effective_on", "-id").first()
        ended = (f" Their ownership ended on {previous.effective_on:%b %-d, %Y} ({previous.get_reason_display().lower()}) "
                 "and its redemption schedule exists.") if previous else ""
        raise ValidationError(f"{worker} is {worker.get_status_display().lower()}, not a worker-owner.{ended}")
    if effective_on < worker.owner_since:
        raise ValidationError({"effective_on": f"Ownership began on {worker.owner_since:%b %-d, %Y}; it cannot end before that."})
    latest = worker.cooperative.today() + timedelta(days=MAX_DAYS_AHEAD)
    if effective_on > latest:
        # Also keeps the schedule's due dates (years after this day) within the calendar.
        raise ValidationError({"effective_on": f"Record an exit at most {MAX_DAYS_AHEAD} days ahead (by {latest:%b %-d, %Y})."})
    owner_since = worker.owner_since
    change = status_change(
        worker=worker, to_status=EXIT_STATUS[reason], changed_by=recorded_by, effective_on=effective_on,
        reason=f"{EXIT_REASONS[reason]}: {note.strip()}" if note.strip() else EXIT_REASONS[reason],
    )
    schedule = redemption_schedule_create(
        worker=worker, reason=reason, effective_on=effective_on, owner_since=owner_since, status_change=change,
        created_by=recorded_by,
    )
    audit_log(cooperative=worker.cooperative, action="members.ownership.ended", user=recorded_by, obj=worker,
              data={"reason": reason, "effective_on": effective_on, "schedule": str(schedule.uuid)})
    return schedule
