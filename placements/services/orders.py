"""Job orders and the shifts they produce."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from placements.models import ClientContract, ClientSite, JobOrder, Shift

if TYPE_CHECKING:
    from members.models import JobClassification

MAX_DAYS = 366
MAX_HEADCOUNT = 50
MAX_SHIFTS = 5000  # one order, one transaction: keep it a size staff can review


def shift_times(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Aware start and end of a shift starting on `day` at the site. An end at or before
    the start is on the next day. Wall-clock times in the zone: a night shift across the
    spring DST change is an hour shorter, across the autumn one an hour longer."""
    starts = datetime.combine(day, start, tzinfo=zone)
    ends = datetime.combine(day + timedelta(days=1) if end <= start else day, end, tzinfo=zone)
    return starts, ends


def shift_window(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """shift_times, refusing a shift the clock change leaves with no time (e.g. 02:30–03:00
    on the spring-forward day: 02:30 does not exist there). Raises ValidationError."""
    starts_at, ends_at = shift_times(day, start, end, zone)
    if ends_at.astimezone(UTC) <= starts_at.astimezone(UTC):
        raise ValidationError({"shift_start": f"On {day} the clocks change during this shift and it would last no time; pick other times."})
    return starts_at, ends_at


def job_order_shifts(order: JobOrder, zone: ZoneInfo) -> list[Shift]:
    """The order's shifts, unsaved: one per position per matching day, at the wall-clock
    times of the site's zone. Raises ValidationError for a day the clock change leaves the
    shift with no time."""
    shifts = []
    day = order.starts_on
    while day <= order.ends_on:
        if str(day.weekday()) in order.weekdays:
            starts_at, ends_at = shift_window(day, order.shift_start, order.shift_end, zone)
            shifts += [
                Shift(cooperative_id=order.cooperative_id, job_order=order, classification_id=order.classification_id,
                      starts_at=starts_at, ends_at=ends_at)
                for _ in range(order.headcount)
            ]
        day += timedelta(days=1)
    return shifts


@transaction.atomic
def job_order_create(
    *, contract: ClientContract, classification: JobClassification, starts_on: date, ends_on: date,
    shift_start: time, shift_end: time, headcount: int = 1, weekdays: str = "0123456",
    site: ClientSite | None = None, notes: str = "", created_by=None,
) -> JobOrder:
    """Create a job order and its shifts (one per position per matching day).

    Raises ValidationError on reversed dates, an over-long order, an empty pattern, a zero
    headcount, or a shift start equal to its end.
    """
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = "The order ends before it starts."
    elif (ends_on - starts_on).days >= MAX_DAYS:
        errors["ends_on"] = f"An order covers at most {MAX_DAYS} days."
    if headcount < 1:
        errors["headcount"] = "Ask for at least one worker."
    elif headcount > MAX_HEADCOUNT:
        errors["headcount"] = f"At most {MAX_HEADCOUNT} workers per order; split larger requests."
    if classification.cooperative_id != contract.cooperative_id:
        errors["classification"] = "That classification belongs to another cooperative."
    if shift_start == shift_end:
        errors["shift_end"] = "A shift cannot start and end at the same time."
    if not weekdays or set(weekdays) - set("0123456"):
        errors["weekdays"] = "Weekdays are digits 0 (Monday) to 6 (Sunday)."
    if contract.status != ClientContract.Status.ACTIVE:
        errors["contract"] = "The contract is not active."
    elif starts_on < contract.starts_on:
        errors["starts_on"] = f"The contract starts on {contract.starts_on}."
    elif contract.ends_on and ends_on > contract.ends_on:
        errors["ends_on"] = f"The contract ends on {contract.ends_on}."
    if site is not None and site.client_id != contract.client_id:
        errors["site"] = "That site belongs to another client."
    if errors:
        raise ValidationError(errors)
    order = JobOrder.objects.create(
        cooperative=contract.cooperative, contract=contract, site=site, classification=classification, starts_on=starts_on,
        ends_on=ends_on, shift_start=shift_start, shift_end=shift_end, weekdays="".join(sorted(set(weekdays))),
        headcount=headcount, notes=notes, created_by=created_by,
    )
    shifts = job_order_shifts(order, contract.client.zone)
    if len(shifts) > MAX_SHIFTS:
        raise ValidationError({"ends_on": f"This order makes {len(shifts)} shifts; at most {MAX_SHIFTS}. Split it."})
    Shift.objects.bulk_create(shifts)
    audit_log(cooperative=contract.cooperative, action="placements.job_order.created", user=created_by, obj=order,
              after={"shifts": len(shifts), "classification": classification.code})
    return order
