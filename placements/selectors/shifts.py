"""Shifts as workers and staff see them: the bill rate on a day, the open shifts a worker may
take and whether each can still be booked, a worker's schedule, open positions."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from members.choices import MemberStatus
from members.selectors import (
    classifications_held,
    credentials_valid_until,
    required_credentials,
)
from placements.models import (
    Assignment,
    BillRate,
    ClientContract,
    Shift,
)
from placements.selectors.board import local_midnight


def bill_rate_on(contract: ClientContract, classification_id: int, day: date) -> BillRate | None:
    """The rate in force on `day`: the latest effective_from on or before it."""
    return (
        BillRate.objects.filter(contract=contract, classification_id=classification_id, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def shift_local_date(shift: Shift, at: datetime | None = None) -> date:
    """A moment of the shift (default: its start) as a date at the client's site."""
    client = shift.job_order.contract.client
    return (at or shift.starts_at).astimezone(client.zone).date()


def shifts_open_to(worker, start: datetime, end: datetime) -> list[tuple[Shift, list[str]]]:
    """Open shifts in the worker's classifications starting in [start, end), each with the
    reasons the worker may not take it (empty: they may), in a fixed number of queries."""
    if not worker.is_active or worker.status == MemberStatus.WITHDRAWN:
        return []  # an employee who has left sees no shifts to take
    classification_ids = list(classifications_held([worker.pk]).get(worker.pk, ()))
    shifts = list(
        Shift.objects.filter(cooperative_id=worker.cooperative_id, status=Shift.Status.OPEN, classification_id__in=classification_ids,
                             starts_at__gte=start, starts_at__lt=end, job_order__contract__status=ClientContract.Status.ACTIVE,
                             job_order__contract__client__is_active=True)
        .select_related("job_order__contract__client", "job_order__site", "classification")
        .order_by("starts_at", "id")
    )
    required = required_credentials(classification_ids)
    valid_until = credentials_valid_until([worker.pk])
    busy = list(Assignment.objects.filter(worker=worker, status__in=Assignment.ACTIVE, starts_at__lt=end + timedelta(days=1),
                                          ends_at__gt=start - timedelta(days=1)).values_list("starts_at", "ends_at"))
    rates = shifts_bookable(shifts)
    result = []
    for shift in shifts:
        reasons = []
        end_day = shift_local_date(shift, shift.ends_at)
        for ctype in required.get(shift.classification_id, []):
            if valid_until.get((worker.pk, ctype.pk), date.min) < end_day:
                reasons.append(_("Your %(credential)s is missing or expires before %(day)s.") % {"credential": ctype, "day": end_day})
        if any(s < shift.ends_at and e > shift.starts_at for s, e in busy):
            reasons.append(_("Overlaps a shift you already have."))
        if not rates.get(shift.pk):
            reasons.append(_("Not bookable yet (the co-op is setting the client's rate)."))
        result.append((shift, reasons))
    return result


def shifts_bookable(shifts: list[Shift]) -> dict[int, bool]:
    """Whether each shift can be booked: its contract has a bill rate for the classification on
    the shift's date. One query for all of them."""
    if not shifts:
        return {}
    pairs = {(s.job_order.contract_id, s.classification_id) for s in shifts}
    q = Q()
    for contract_id, classification_id in pairs:
        q |= Q(contract_id=contract_id, classification_id=classification_id)
    first_rate: dict[tuple[int, int], date] = {}
    for contract_id, classification_id, effective_from in BillRate.objects.filter(q).values_list(
        "contract_id", "classification_id", "effective_from"
    ):
        key = (contract_id, classification_id)
        first_rate[key] = min(first_rate.get(key, date.max), effective_from)
    return {
        s.pk: first_rate.get((s.job_order.contract_id, s.classification_id), date.max) <= shift_local_date(s) for s in shifts
    }


def worker_schedule(worker, since: datetime):
    """The worker's active and worked assignments from `since`, with shift, client and timesheet."""
    return (
        Assignment.objects.filter(worker=worker, ends_at__gte=since)
        .exclude(status__in=[Assignment.Status.CANCELLED])
        .select_related("shift__job_order__contract__client", "shift__job_order__site", "shift__classification", "timesheet")
        .order_by("starts_at")
    )


def open_shifts_between(cooperative, first: date, last: date):
    """Open shifts starting from `first` through `last` (days in the co-op's zone), by start,
    with the client, site and classification a board row shows."""
    zone = cooperative.zone
    return (
        Shift.objects.filter(cooperative=cooperative, status=Shift.Status.OPEN, starts_at__gte=local_midnight(first, zone),
                             starts_at__lt=local_midnight(last + timedelta(days=1), zone))
        .select_related("job_order__contract__client", "job_order__site", "classification")
        .order_by("starts_at", "id")
    )


def open_positions(cooperative, since: datetime) -> list[dict]:
    """The public job board: per classification, how many open shifts start from `since` and
    the cities they are in. Names no client (their contracts are private). One query."""
    rows = (
        Shift.objects.filter(cooperative=cooperative, status=Shift.Status.OPEN, starts_at__gte=since,
                             job_order__contract__status="active", job_order__contract__client__is_active=True)
        .values("classification_id", "classification__name", "classification__code")
        .annotate(open_shifts=Count("id"), first_start=Min("starts_at"))
        .order_by("classification__name")
    )
    return list(rows)


def next_assignment(worker, now: datetime):
    """The worker's next active assignment that has not ended yet, with its shift, client
    and classification (one query), or None."""
    return (
        Assignment.objects.filter(worker=worker, status__in=Assignment.ACTIVE, ends_at__gt=now)
        .select_related("shift__job_order__contract__client", "shift__classification")
        .order_by("starts_at", "id").first()
    )
