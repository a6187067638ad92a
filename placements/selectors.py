"""Reads of placements used by services, pages, the API and other apps."""

from datetime import date, datetime, timedelta

from django.db.models import Q

from placements.models import BillRate, ClientContract, Shift


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
    from members.models import MemberStatus, WorkerClassification
    from members.selectors import credentials_valid_until, required_credentials
    from placements.models import Assignment, ClientContract

    if not worker.is_active or worker.status == MemberStatus.WITHDRAWN:
        return []  # an employee who has left sees no shifts to take
    classification_ids = list(WorkerClassification.objects.filter(worker=worker).values_list("classification_id", flat=True))
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
    rates = _rate_days(shifts)
    result = []
    for shift in shifts:
        reasons = []
        end_day = shift_local_date(shift, shift.ends_at)
        for ctype in required.get(shift.classification_id, []):
            if valid_until.get((worker.pk, ctype.pk), date.min) < end_day:
                reasons.append(f"Your {ctype} is missing or expires before {end_day}.")
        if any(s < shift.ends_at and e > shift.starts_at for s, e in busy):
            reasons.append("Overlaps a shift you already have.")
        if not rates.get(shift.pk):
            reasons.append("Not bookable yet (the co-op is setting the client's rate).")
        result.append((shift, reasons))
    return result


def _rate_days(shifts: list[Shift]) -> dict[int, bool]:
    """Whether each shift has a bill rate on its date, with one query for all of them."""
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
    from placements.models import Assignment

    return (
        Assignment.objects.filter(worker=worker, ends_at__gte=since)
        .exclude(status__in=[Assignment.Status.CANCELLED])
        .select_related("shift__job_order__contract__client", "shift__job_order__site", "shift__classification", "timesheet")
        .order_by("starts_at")
    )


def timesheets_awaiting(cooperative, client_ids=None):
    """Submitted timesheets to approve, oldest first (optionally for some clients only)."""
    from placements.models import Timesheet

    qs = Timesheet.objects.filter(cooperative=cooperative, status=Timesheet.Status.SUBMITTED)
    if client_ids is not None:
        qs = qs.filter(assignment__shift__job_order__contract__client_id__in=client_ids)
    return qs.select_related(
        "assignment__worker", "assignment__shift__classification", "assignment__shift__job_order__contract__client"
    ).order_by("submitted_at")


def open_positions(cooperative, since: datetime) -> list[dict]:
    """The public job board: per classification, how many open shifts start from `since` and
    the cities they are in. Names no client (their contracts are private). One query."""
    from django.db.models import Count, Min

    rows = (
        Shift.objects.filter(cooperative=cooperative, status=Shift.Status.OPEN, starts_at__gte=since,
                             job_order__contract__status="active", job_order__contract__client__is_active=True)
        .values("classification_id", "classification__name", "classification__code")
        .annotate(open_shifts=Count("id"), first_start=Min("starts_at"))
        .order_by("classification__name")
    )
    return list(rows)


def client_ids_for(cooperative, user) -> set[int]:
    """The clients a user acts for (is a ClientContact of) in this co-op."""
    from placements.models import ClientContact

    return set(ClientContact.objects.filter(cooperative=cooperative, user=user).values_list("client_id", flat=True))


def invoices_for_clients(cooperative, client_ids):
    """The issued and paid invoices of these clients: what a client contact may see and
    download (never drafts, nor void invoices)."""
    from placements.models import Invoice

    return Invoice.objects.filter(
        cooperative=cooperative, client_id__in=client_ids, status__in=[Invoice.Status.ISSUED, Invoice.Status.PAID]
    ).select_related("client")
