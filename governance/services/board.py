"""The board: seats and terms, and the bylaws rule that worker-owners hold a majority of
the filled seats (checked whenever terms change or results are certified)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from governance.models import BoardSeat, BoardTerm
from governance.selectors import majority_status


@transaction.atomic
def seat_create(*, cooperative: Cooperative, name: str, kind: str, officer_role: str = "", created_by=None) -> BoardSeat:
    seat = BoardSeat(cooperative=cooperative, name=name.strip(), kind=kind, officer_role=officer_role.strip())
    seat.full_clean(exclude=["cooperative"], validate_unique=False)
    if BoardSeat.objects.filter(name=seat.name).exists():
        raise ValidationError({"name": "A seat with this name exists."})
    seat.save()
    audit_log(cooperative=cooperative, action="governance.seat.created", user=created_by, obj=seat, after={"name": name, "kind": kind})
    return seat


@transaction.atomic
def term_add(*, seat: BoardSeat, holder_name: str, starts_on: date, source: str, worker=None, user=None,
             ends_on: date | None = None, election=None, added_by=None) -> BoardTerm:
    """Seat someone from `starts_on`. Refused when the seat is already held then, or when the
    board would no longer have a worker-owner majority on that day."""
    coop = seat.cooperative
    type(coop).objects.select_for_update().filter(pk=coop.pk).first()  # one board change at a time
    if seat.kind == BoardSeat.Kind.WORKER_OWNER and worker is None:
        raise ValidationError({"worker": "A worker-owner seat is held by a worker-owner of the co-op."})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The term ends before it starts."})
    overlapping = BoardTerm.objects.filter(seat=seat, starts_on__lte=ends_on or date.max).exclude(ends_on__lt=starts_on)
    if overlapping.exists():
        raise ValidationError({"seat": f"{seat} is held then; end the current term first."})
    before = majority_status(coop, starts_on)
    term = BoardTerm.objects.create(
        cooperative=coop, seat=seat, holder_name=holder_name.strip() or (str(worker) if worker else ""), worker=worker, user=user,
        starts_on=starts_on, ends_on=ends_on, source=source, election=election,
    )
    _require_majority(coop, starts_on, before)
    audit_log(cooperative=coop, action="governance.term.added", user=added_by, obj=term,
              after={"seat": seat.name, "holder": term.holder_name, "from": starts_on, "to": ends_on, "source": source})
    return term


@transaction.atomic
def term_end(*, term: BoardTerm, ends_on: date, ended_by=None) -> BoardTerm:
    term = BoardTerm.objects.select_for_update().get(pk=term.pk)
    if ends_on < term.starts_on:
        raise ValidationError({"ends_on": "The term ends before it starts."})
    day_after = ends_on + timedelta(days=1)
    before, majority_before = term.ends_on, majority_status(term.cooperative, day_after)
    term.ends_on = ends_on
    term.save(update_fields=["ends_on"])
    _require_majority(term.cooperative, day_after, majority_before)
    audit_log(cooperative=term.cooperative, action="governance.term.ended", user=ended_by, obj=term, before={"to": before}, after={"to": ends_on})
    return term


def _require_majority(cooperative, on: date, before) -> None:
    """Refuse a change that breaks the rule, or worsens a board that already breaks it."""
    status = majority_status(cooperative, on)
    if not status.holds and (before.holds or status.owner_share < before.owner_share):
        raise ValidationError(
            f"The bylaws require worker-owners to hold more than half of the filled seats: on {on} they would hold "
            f"{status.owner_seats} of {status.filled_seats}."
        )
