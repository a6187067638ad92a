"""Who may work a shift, ranked, and why the others may not; assigning and cancelling.

A worker may take a shift only if active, hired in the shift's classification, holding
every credential the classification requires valid through the shift's end (at the site's
date), and free of any overlapping assignment. A shift without a bill rate for its
classification on its date cannot be filled at all.

`shift_match` is the one answer pages and the API give: the ranked eligible workers and a
page of those left out (every other active worker of the co-op) with their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from alliedup.money import ZERO
from members import selectors as member_selectors
from members.choices import MemberStatus
from placements import notices, selectors
from placements.models import Assignment, Shift

if TYPE_CHECKING:
    from members.models import Worker


@dataclass
class Candidate:
    worker: Worker
    reasons: list[str] = field(default_factory=list)  # empty: eligible
    hours_toward_ownership: Decimal = ZERO
    shifts_at_client: int = 0

    in_classification: bool = True  # hired in the shift's classification

    @property
    def eligible(self) -> bool:
        return not self.reasons


# Left-out workers shown at once: a page stays small whatever the size of the co-op.
LEFT_OUT_PAGE_SIZE = 20


@dataclass
class LeftOut:
    """One page of the active workers a shift's matching left out, each with its reasons:
    first those hired in the shift's classification but blocked (the ones staff can act on:
    a credential to renew, a clash to move), then everyone else, each group by name."""

    candidates: list[Candidate]
    count: int  # all left out
    in_classification: int  # of which hired in the shift's classification
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.count / self.per_page))

    @property
    def outside_classification(self) -> int:
        return self.count - self.in_classification

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.candidates else 0

    @property
    def last_shown(self) -> int:
        return (self.page - 1) * self.per_page + len(self.candidates)

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None


@dataclass
class ShiftMatch:
    eligible: list[Candidate]  # ranked
    ineligible: list[Candidate]  # every worker hired in the classification but blocked, by name
    left_out: LeftOut


def shift_blocker(shift: Shift, *, filled_ok: bool = False) -> str | None:
    """Why nobody can fill this shift, or None. `filled_ok`: a filled shift may still be
    handed over (a swap), so only the contract and the bill rate are checked then."""
    if shift.status != Shift.Status.OPEN and not (filled_ok and shift.status == Shift.Status.FILLED):
        return _("The shift is %(status)s.") % {"status": shift.get_status_display().lower()}
    contract = shift.job_order.contract
    if contract.status != contract.Status.ACTIVE or not contract.client.is_active:
        return _("Contract %(contract)s with %(client)s is not active.") % {"contract": contract.reference, "client": contract.client}
    day = selectors.shift_local_date(shift)
    if selectors.bill_rate_on(shift.job_order.contract, shift.classification_id, day) is None:
        return _("No bill rate for %(classification)s on %(day)s in contract %(contract)s: add one first.") % {
            "classification": shift.classification, "day": day, "contract": shift.job_order.contract.reference}
    return None


def _required(shift: Shift) -> list:
    """The credential types the shift's classification requires (one query)."""
    return member_selectors.required_credentials([shift.classification_id]).get(shift.classification_id, [])


def _evaluate(shift: Shift, workers: list[Worker], *, required: list | None = None, ranking: bool = True) -> list[Candidate]:
    """Reasons for each of `workers`, in a fixed number of queries. `required`: the
    classification's credential types if already loaded; `ranking=False` skips the figures
    only eligible workers are ranked by (the left-out list has no use for them)."""
    if not workers:
        return []
    ids = [w.pk for w in workers]
    end_day = selectors.shift_local_date(shift, shift.ends_at)
    site_zone = shift.job_order.contract.client.zone
    held = set(member_selectors.classifications_held(ids, classification_ids=[shift.classification_id]))
    required = _required(shift) if required is None else required
    valid_until = member_selectors.credentials_valid_until(ids, [ctype.pk for ctype in required])
    overlaps = {}
    for worker_id, starts_at, ends_at in Assignment.objects.filter(
        worker_id__in=ids, status__in=Assignment.ACTIVE, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at
    ).exclude(shift=shift).values_list("worker_id", "starts_at", "ends_at"):
        overlaps.setdefault(worker_id, (starts_at, ends_at))
    hours, at_client = _ranking_figures(shift, ids, end_day) if ranking else ({}, {})
    result = []
    for worker in workers:
        reasons = []
        if not worker.is_active or worker.status == MemberStatus.WITHDRAWN:
            reasons.append(_("Not an active employee."))
        if worker.pk not in held:
            reasons.append(_("Not hired as %(classification)s.") % {"classification": shift.classification})
        for ctype in required:
            until = valid_until.get((worker.pk, ctype.pk))
            if until is None:
                reasons.append(_("No %(credential)s on file.") % {"credential": ctype})
            elif until < end_day:
                reasons.append(_("%(credential)s expires %(until)s, before the shift ends on %(day)s.")
                               % {"credential": ctype, "until": until, "day": end_day})
        if worker.pk in overlaps:
            start, end = (t.astimezone(site_zone) for t in overlaps[worker.pk])
            reasons.append(_("Already working %(start)s–%(end)s (site time), which overlaps.")
                           % {"start": dateformat.format(start, _("M j H:i")), "end": dateformat.format(end, "H:i")})
        result.append(Candidate(worker, reasons, hours.get(worker.pk) or ZERO, at_client.get(worker.pk, 0),
                                in_classification=worker.pk in held))
    return result


def _ranking_figures(shift: Shift, ids: list[int], end_day) -> tuple[dict, dict]:
    """({worker id: hours in the classification toward ownership on the shift's last day},
    {worker id: shifts worked or booked at the shift's client}): two queries."""
    hours = member_selectors.hours_toward_ownership(shift.cooperative, end_day, worker_ids=ids,
                                                    classification_id=shift.classification_id)
    at_client = dict(
        Assignment.objects.filter(worker_id__in=ids, shift__job_order__contract__client_id=shift.job_order.contract.client_id)
        .filter(Q(status=Assignment.Status.CONFIRMED) | Q(timesheet__status="approved"))
        .values("worker_id").annotate(n=Count("id")).values_list("worker_id", "n")
    )
    return hours, at_client


def shift_candidates(shift: Shift) -> tuple[list[Candidate], list[Candidate]]:
    """(eligible, ineligible) among the active workers hired in the shift's classification.

    Eligible ones are ranked: employees closest to the ownership threshold first (the
    co-op's path), then those who know the client, then by name.
    """
    shift = _loaded(shift)
    return _ranked(shift, _evaluate(shift, _pool(shift)))


def shift_match(shift: Shift, *, left_out_page: int = 1, per_page: int = LEFT_OUT_PAGE_SIZE) -> ShiftMatch:
    """The shift's candidates (as `shift_candidates`) and one page of the workers left out.

    Left out: the classification's ineligible workers, then the co-op's other active
    workers (not hired in the classification), whose reasons come from the same rules; only
    the page's outsiders are loaded and checked, so the cost does not grow with the co-op.
    A page past the last gives the last. A fixed number of queries.
    """
    shift = _loaded(shift)
    required = _required(shift)
    eligible, ineligible = _ranked(shift, _evaluate(shift, _pool(shift), required=required))
    others = member_selectors.active_workers_qs(shift.cooperative, not_hired_in=shift.classification_id)
    others_count = others.count()
    count = len(ineligible) + others_count
    page = min(max(1, left_out_page), max(1, ceil(count / per_page)))
    start, end = (page - 1) * per_page, page * per_page
    shown = ineligible[start:end]
    if end > len(ineligible) and others_count:
        page_others = list(others[max(0, start - len(ineligible)):end - len(ineligible)])
        shown += _evaluate(shift, page_others, required=required, ranking=False)
    return ShiftMatch(eligible, ineligible, LeftOut(shown, count, len(ineligible), page, per_page))


def _pool(shift: Shift) -> list[Worker]:
    """The active workers hired in the shift's classification, by name."""
    return list(member_selectors.active_workers_qs(shift.cooperative, hired_in=shift.classification_id))


def _ranked(shift: Shift, evaluated: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    threshold = shift.cooperative.candidacy_hours_threshold

    def rank(c: Candidate):
        toward = c.hours_toward_ownership if c.worker.status == MemberStatus.EMPLOYEE else Decimal("0")
        return (-min(toward, threshold), -c.shifts_at_client, c.worker.last_name, c.worker.first_name)

    eligible = sorted((c for c in evaluated if c.eligible), key=rank)
    return eligible, [c for c in evaluated if not c.eligible]


def worker_reasons(shift: Shift, worker: Worker) -> list[str]:
    """Why this worker may not take this shift (empty: they may)."""
    return _evaluate(_loaded(shift), [worker])[0].reasons


def _loaded(shift: Shift) -> Shift:
    return Shift.objects.select_related("job_order__contract__client", "classification", "cooperative").get(pk=shift.pk)


@transaction.atomic
def shift_assign(*, shift: Shift, worker: Worker, assigned_by=None, status: str = Assignment.Status.CONFIRMED) -> Assignment:
    """Assign `worker` to `shift` after every check; the shift becomes filled.

    Raises ValidationError with the reasons when the shift cannot be filled or the worker
    may not take it. The shift row is locked, and the overlap check runs after locking the
    worker, so two staff filling at once cannot double-book either.
    """
    shift = Shift.objects.select_for_update().select_related("job_order__contract__client", "classification", "cooperative").get(pk=shift.pk)
    (worker,) = member_selectors.workers_locked([worker.pk])
    if blocker := shift_blocker(shift):
        raise ValidationError(blocker)
    if reasons := worker_reasons(shift, worker):
        raise ValidationError({"worker": reasons})
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                cooperative=shift.cooperative, shift=shift, worker=worker, status=status,
                starts_at=shift.starts_at, ends_at=shift.ends_at, created_by=assigned_by,
            )
    except IntegrityError:
        raise ValidationError(_("Someone else filled this shift a moment ago.")) from None
    shift.status = Shift.Status.FILLED
    shift.save(update_fields=["status"])
    audit_log(cooperative=shift.cooperative, action="placements.shift.assigned", user=assigned_by, obj=assignment,
              after={"worker": str(worker), "shift": shift.starts_at})
    notices.shift_confirmed(assignment=assignment)
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, reason: str, cancelled_by=None, no_show: bool = False) -> Assignment:
    """Cancel (or mark a no-show); the shift opens again for someone else."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the assignment is cancelled."})
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in Assignment.ACTIVE:
        raise ValidationError("This assignment is not active.")
    if hasattr(assignment, "timesheet"):
        raise ValidationError("A timesheet exists for this assignment; dispute it instead.")
    assignment.status = Assignment.Status.NO_SHOW if no_show else Assignment.Status.CANCELLED
    assignment.cancel_reason = reason.strip()
    assignment.save(update_fields=["status", "cancel_reason"])
    Shift.objects.filter(pk=assignment.shift_id, status=Shift.Status.FILLED).update(status=Shift.Status.OPEN)
    audit_log(cooperative=assignment.cooperative, action=f"placements.assignment.{assignment.status}", user=cancelled_by,
              obj=assignment, data={"reason": reason})
    notices.shift_cancelled(assignment=assignment)
    return assignment


@transaction.atomic
def shift_request(*, shift: Shift, worker: Worker, requested_by=None) -> Assignment:
    """A worker asks for an open shift they qualify for (self-scheduling): the shift is held
    for them as "accepted" until staff confirm it. Same checks as staff assignment, and
    only for shifts not yet started (staff may assign after the fact; workers may not)."""
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    return shift_assign(shift=shift, worker=worker, assigned_by=requested_by, status=Assignment.Status.ACCEPTED)


@transaction.atomic
def assignment_confirm(*, assignment: Assignment, confirmed_by) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in (Assignment.Status.OFFERED, Assignment.Status.ACCEPTED):
        raise ValidationError("Only a requested or offered assignment can be confirmed.")
    assignment.status = Assignment.Status.CONFIRMED
    assignment.save(update_fields=["status"])
    audit_log(cooperative=assignment.cooperative, action="placements.assignment.confirmed", user=confirmed_by, obj=assignment)
    notices.shift_confirmed(assignment=assignment)
    return assignment
