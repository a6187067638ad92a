"""Committees: the Labor-Management Committee (equal numbers of management and worker
representatives, the worker side chosen by peers — design § 2), the Workers' Culture
Committee and others; their members by side and their meetings (agenda, minutes, attendance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from governance.models import Committee, CommitteeMeeting, CommitteeMember, MeetingAttendance
from members.choices import MemberStatus

if TYPE_CHECKING:
    from members.models import Worker

# A worker chosen by peers sits for the workers while employed by the co-op.
SITTING_STATUSES = (MemberStatus.EMPLOYEE, MemberStatus.CANDIDATE, MemberStatus.OWNER)


@dataclass(frozen=True)
class CommitteeBalance:
    management: int
    workers: int
    required: bool  # the committee has equal representation (the LMC)

    @property
    def equal(self) -> bool:
        return self.management == self.workers

    @property
    def holds(self) -> bool:
        return not self.required or self.equal

    def __str__(self) -> str:
        word = "equal" if self.equal else "unequal"
        return f"{word}: {self.management} management, {self.workers} workers"


def current_members(committee: Committee, on: date):
    return committee.members.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def committee_balance(committee: Committee, on: date | None = None) -> CommitteeBalance:
    """Members sitting on `on` (default: the co-op's today) per side, in one query. A committee
    with equal representation that is unequal is allowed while it fills; pages show it."""
    on = on or committee.cooperative.today()
    counts = {side: 0 for side in CommitteeMember.Side.values}
    for side in current_members(committee, on).values_list("side", flat=True):
        counts[side] += 1
    return CommitteeBalance(counts[CommitteeMember.Side.MANAGEMENT], counts[CommitteeMember.Side.WORKERS], committee.equal_representation)


@transaction.atomic
def committee_create(*, cooperative: Cooperative, name: str, kind: str, equal_representation: bool = False,
                     created_by=None) -> Committee:
    """A committee. The LMC always has equal representation (design § 2: equal numbers of
    management and worker representatives); another committee may choose it."""
    equal_representation = bool(equal_representation) or kind == Committee.Kind.LABOR_MANAGEMENT
    committee = Committee(cooperative=cooperative, name=(name or "").strip(), kind=kind, equal_representation=equal_representation)
    committee.full_clean(exclude=["cooperative"], validate_unique=False)
    if Committee.objects.filter(name__iexact=committee.name).exists():
        raise ValidationError({"name": "A committee with this name exists."})
    committee.save()
    audit_log(cooperative=cooperative, action="governance.committee.created", user=created_by, obj=committee,
              after={"name": committee.name, "kind": kind, "equal_representation": equal_representation})
    return committee


@transaction.atomic
def committee_member_add(*, committee: Committee, side: str, starts_on: date, name: str = "", worker: Worker | None = None,
                         chosen_by_peers: bool = False, ends_on: date | None = None, added_by=None) -> CommitteeMember:
    """Seat a member on one side. A worker-side member chosen by peers must be a worker of
    this co-op (employed: employee, candidate or owner). Raises ValidationError."""
    if side not in CommitteeMember.Side.values:
        raise ValidationError({"side": "Choose management or workers."})
    if worker is not None and worker.cooperative_id != committee.cooperative_id:
        raise ValidationError({"worker": "Not a worker of this co-op."})
    if chosen_by_peers:
        if side != CommitteeMember.Side.WORKERS:
            raise ValidationError({"chosen_by_peers": "Only the worker side is chosen by peers."})
        if worker is None or worker.status not in SITTING_STATUSES:
            raise ValidationError({"worker": "A worker representative chosen by peers is a worker of the co-op."})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The membership ends before it starts."})
    name = (name or "").strip() or (str(worker) if worker else "")
    if not name:
        raise ValidationError({"name": "Name the member (or choose a worker)."})
    if worker is not None and current_members(committee, starts_on).filter(worker=worker).exists():
        raise ValidationError({"worker": f"{worker} already sits on {committee}."})
    member = CommitteeMember.objects.create(cooperative=committee.cooperative, committee=committee, name=name, worker=worker, side=side,
                                            chosen_by_peers=chosen_by_peers, starts_on=starts_on, ends_on=ends_on)
    audit_log(cooperative=committee.cooperative, action="governance.committee.member_added", user=added_by, obj=committee,
              after={"member": name, "side": side, "chosen_by_peers": chosen_by_peers, "from": starts_on, "to": ends_on},
              data={"balance": str(committee_balance(committee, starts_on))})
    return member


@transaction.atomic
def meeting_record(*, committee: Committee, held_on: date, agenda: str = "", minutes: str = "", attendees=(),
                   recorded_by=None) -> CommitteeMeeting:
    """A meeting with its agenda, minutes and attendance; attendees are members of this
    committee sitting that day. Raises ValidationError."""
    attendees = list(attendees)
    sitting = set(current_members(committee, held_on).values_list("pk", flat=True))
    strangers = [m for m in attendees if m.pk not in sitting]
    if strangers:
        raise ValidationError({"attendees": f"Not a member of {committee} on {held_on}: {', '.join(m.name for m in strangers)}."})
    meeting = CommitteeMeeting.objects.create(cooperative=committee.cooperative, committee=committee, held_on=held_on,
                                              agenda=agenda.strip(), minutes=minutes.strip())
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(cooperative=committee.cooperative, meeting=meeting, member=m) for m in attendees]
    )
    audit_log(cooperative=committee.cooperative, action="governance.meeting.recorded", user=recorded_by, obj=meeting,
              after={"committee": committee.name, "held_on": held_on, "attendees": len(attendees)})
    return meeting
