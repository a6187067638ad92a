"""Reads of approved hours as payroll and invoicing need them: each approved timesheet cut
into the co-op's workdays, and what each part bills at under the client's contract.

Overtime is billed per the contract's multipliers on the hours that are overtime counting
only the worker's hours **at that client** (hours at another client never make this one pay
overtime); the co-op still pays the worker overtime over all their hours (payroll). Bill
rates are looked up on the shift's date at the site, as filling the shift checked them.
On a workday of the co-op's holiday calendar (worktime.Holiday) every hour bills at the larger
of its own multiplier and the contract's holiday multiplier (they do not stack).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

from django.db.models import CharField, F
from django.db.models.functions import Cast

from alliedup.models import Cooperative
from alliedup.money import ZERO, to_cents
from placements.models import BillRate, Timesheet
from worktime.overtime import STATUTORY, Segment, Split, split_into_workdays, split_overtime, workday_boundary, workweek_start
from worktime.selectors import holidays_between


class WorkedTimesheet:
    """An approved timesheet as billing and payroll read it. Its workday segments
    (worktime.overtime.split_into_workdays) are cut when first asked for: a pay run cuts its
    100,000 timesheets while its COPY writes the lines (payroll.services.pay_lines.line_stream)."""

    __slots__ = ("id", "uuid", "worker_id", "worker_name", "classification_id", "client_id", "contract_id", "shift_date",
                 "_segments", "_cut")

    def __init__(self, *, id: int, uuid: str, worker_id: int, worker_name: str, classification_id: int, client_id: int,
                 contract_id: int, shift_date: date, cut: Callable[[], list[Segment]]):
        self.id, self.uuid, self.worker_id, self.worker_name = id, uuid, worker_id, worker_name
        self.classification_id, self.client_id, self.contract_id, self.shift_date = classification_id, client_id, contract_id, shift_date
        self._segments: list[Segment] | None = None
        self._cut = cut

    @property
    def segments(self) -> list[Segment]:
        """Its parts, one per workday it has hours on (also those outside the range it was read for)."""
        if self._segments is None:
            self._segments, self._cut = self._cut(), None
        return self._segments


# What approved_timesheets reads of each timesheet, in this order (the pay-run benchmark reads
# the same, through worked_rows); the uuid as text (no UUID object per row, a pay run reads 100,000).
WORKED_COLUMNS = (
    "id", "uuid_text", "clock_in", "clock_out", "break_minutes", "assignment__worker_id", "assignment__worker__first_name",
    "assignment__worker__last_name", "assignment__shift__classification_id", "assignment__shift__starts_at",
    "assignment__shift__job_order__contract_id", "assignment__shift__job_order__contract__client_id",
    "assignment__shift__job_order__contract__client__time_zone",
)


def worked_rows(rows):
    """Timesheet rows (a queryset) as the tuples of WORKED_COLUMNS."""
    return rows.annotate(uuid_text=Cast("uuid", output_field=CharField())).values_list(*WORKED_COLUMNS)


def approved_between(cooperative: Cooperative, first_day: date, last_day: date):
    """The approved timesheets with hours on a workday in [first_day, last_day] (a queryset;
    approved_timesheets cuts them into workdays). A timesheet lasts at most 24 hours, so one
    that reaches into the range clocked in at most a day before its first workday; it has
    hours in the range when it clocks out after the range begins (its last part's workday is
    the one it clocks out in) and it has any time at all (split_into_workdays cuts nothing else)."""
    zone, start = cooperative.zone, cooperative.workday_start
    begins = workday_boundary(first_day, zone, start)
    return Timesheet.objects.filter(
        cooperative=cooperative, status=Timesheet.Status.APPROVED,
        clock_in__gte=begins - timedelta(hours=24), clock_in__lt=workday_boundary(last_day + timedelta(days=1), zone, start),
        clock_out__gt=begins,
    ).filter(clock_out__gt=F("clock_in"))


def approved_timesheets(cooperative: Cooperative, first_day: date, last_day: date, *, worker_ids=None,
                        client_ids=None, timesheet_ids=None) -> list[WorkedTimesheet]:
    """Approved timesheets with hours on a workday in [first_day, last_day], in one query;
    each is cut into all its workday segments (also those outside the range) when first used."""
    zone, start = cooperative.zone, cooperative.workday_start
    rows = approved_between(cooperative, first_day, last_day)
    if worker_ids is not None:
        rows = rows.filter(assignment__worker_id__any_of=worker_ids)
    if client_ids is not None:
        rows = rows.filter(assignment__shift__job_order__contract__client_id__in=client_ids)
    if timesheet_ids is not None:
        rows = rows.filter(id__in=timesheet_ids)
    zones: dict[str, ZoneInfo] = {}
    result = []
    for (id_, uuid, clock_in, clock_out, break_minutes, worker_id, first_name, last_name, classification_id, starts_at,
         contract_id, client_id, time_zone) in worked_rows(rows):
        site_zone = zones.get(time_zone)
        if site_zone is None:
            site_zone = zones[time_zone] = ZoneInfo(time_zone)
        result.append(WorkedTimesheet(
            id=id_, uuid=uuid, worker_id=worker_id, worker_name=f"{first_name} {last_name}",
            classification_id=classification_id, client_id=client_id, contract_id=contract_id,
            shift_date=starts_at.astimezone(site_zone).date(),
            cut=partial(split_into_workdays, key=id_, clock_in=clock_in, clock_out=clock_out, break_minutes=break_minutes,
                        zone=zone, workday_start=start),
        ))
    return result


@dataclass
class BilledSegment:
    """One workday's part of a timesheet and what the client is billed for it."""

    timesheet: WorkedTimesheet
    segment: Segment
    split: Split
    bill_rate: Decimal | None  # None: no bill rate in force (the hours cannot be billed)
    overtime_multiplier: Decimal = Decimal("1.50")
    double_time_multiplier: Decimal = Decimal("2.00")
    holiday: str = ""  # the holiday's name when the workday is one
    holiday_multiplier: Decimal = Decimal("1.50")

    @property
    def regular_multiplier(self) -> Decimal:
        return self.holiday_multiplier if self.holiday else Decimal(1)

    @property
    def overtime_rate_multiplier(self) -> Decimal:
        """What an overtime hour bills at: the contract's overtime multiplier, or its holiday
        multiplier on a holiday when that is higher."""
        return max(self.overtime_multiplier, self.holiday_multiplier) if self.holiday else self.overtime_multiplier

    @property
    def double_time_rate_multiplier(self) -> Decimal:
        return max(self.double_time_multiplier, self.holiday_multiplier) if self.holiday else self.double_time_multiplier

    @property
    def regular_amount(self) -> Decimal:
        return self._amount(self.split.regular, self.regular_multiplier)

    @property
    def overtime_amount(self) -> Decimal:
        return self._amount(self.split.overtime, self.overtime_rate_multiplier)

    @property
    def double_time_amount(self) -> Decimal:
        return self._amount(self.split.double_time, self.double_time_rate_multiplier)

    @property
    def total(self) -> Decimal:
        return self.regular_amount + self.overtime_amount + self.double_time_amount

    def _amount(self, hours: Decimal, multiplier: Decimal) -> Decimal:
        # Line-level rounding: each kind of hours of a segment is rounded half up to the cent.
        if self.bill_rate is None or not hours:
            return ZERO
        return to_cents(hours * self.bill_rate * multiplier)


def billed_segments(cooperative: Cooperative, timesheets: list[WorkedTimesheet], *,
                    context: list[WorkedTimesheet] | None = None,
                    holidays: dict[date, str] | None = None) -> dict[tuple[int, date], BilledSegment]:
    """What each segment of `timesheets` bills: {(timesheet id, workday): BilledSegment}.

    Overtime needs the worker's whole workweek at the client, so the approved timesheets of
    those weeks are read too (one more query) unless the caller passes them as `context`
    (a pay run already holds whole workweeks); bill rates in one query; the holiday calendar
    in one more unless the caller passes it ({day: name} covering the segments' workdays)."""
    billed_for = billing_by_worker(cooperative, timesheets, context=context, holidays=holidays)
    result = {}
    for worker_id in dict.fromkeys(t.worker_id for t in timesheets):
        result.update(billed_for(worker_id))
    return result


def billing_by_worker(cooperative: Cooperative, timesheets: list[WorkedTimesheet], *,
                      context: list[WorkedTimesheet] | None = None, holidays: dict[date, str] | None = None):
    """billed_segments one worker at a time: reads what billing needs now (the queries
    billed_segments names) and returns `billed_for(worker_id)` → {(timesheet id, workday):
    BilledSegment} of that worker's `timesheets`, which runs no query (a pay run prices each
    worker's lines while a COPY writes the previous ones). A worker's overtime at a client
    depends on their own timesheets only, so the pieces are exactly billed_segments'."""
    if not timesheets:
        return lambda worker_id: {}
    if holidays is None:
        days = [s.workday for t in timesheets for s in t.segments]
        holidays = holidays_between(cooperative, min(days), max(days))
    if context is None:
        week_day = cooperative.workweek_start
        days = [s.workday for t in timesheets for s in t.segments]
        first = workweek_start(min(days), week_day)
        last = workweek_start(max(days), week_day) + timedelta(days=6)
        context = approved_timesheets(
            cooperative, first, last, worker_ids={t.worker_id for t in timesheets}, client_ids={t.client_id for t in timesheets}
        )
    by_worker: dict[int, list[WorkedTimesheet]] = defaultdict(list)
    for t in timesheets:
        by_worker[t.worker_id].append(t)
    context_by_worker: dict[int, list[WorkedTimesheet]] = defaultdict(list)
    for t in context:
        context_by_worker[t.worker_id].append(t)
    rates = _bill_rates({t.contract_id for t in timesheets})
    rate_on: dict[tuple, BillRate | None] = {}  # (contract, classification, day) → the rate in force
    week_day = cooperative.workweek_start

    def billed_for(worker_id: int) -> dict[tuple[int, date], BilledSegment]:
        by_client: dict[int, list[Segment]] = defaultdict(list)
        for t in context_by_worker.get(worker_id, ()):
            by_client[t.client_id].extend(t.segments)
        splits: dict = {}
        for segments in by_client.values():
            splits.update(split_overtime(segments, week_start_weekday=week_day, rules=STATUTORY))
        result = {}
        for t in by_worker.get(worker_id, ()):
            rate_key = (t.contract_id, t.classification_id, t.shift_date)
            if rate_key not in rate_on:
                rate_on[rate_key] = _rate_on(rates.get((t.contract_id, t.classification_id), []), t.shift_date)
            rate = rate_on[rate_key]
            for segment in t.segments:
                result[segment.key] = BilledSegment(
                    timesheet=t, segment=segment, split=splits.get(segment.key, Split(regular=segment.hours)),
                    bill_rate=rate.regular_rate if rate else None,
                    overtime_multiplier=rate.overtime_multiplier if rate else Decimal("1.50"),
                    double_time_multiplier=rate.double_time_multiplier if rate else Decimal("2.00"),
                    holiday=holidays.get(segment.workday, ""),
                    holiday_multiplier=rate.holiday_multiplier if rate else Decimal("1.50"),
                )
        return result

    return billed_for


def _bill_rates(contract_ids) -> dict[tuple[int, int], list[BillRate]]:
    rates: dict[tuple[int, int], list[BillRate]] = defaultdict(list)
    for rate in BillRate.objects.filter(contract_id__in=contract_ids).order_by("-effective_from"):
        rates[(rate.contract_id, rate.classification_id)].append(rate)
    return rates


def _rate_on(rates: list[BillRate], day: date) -> BillRate | None:
    """The latest rate effective on or before `day` (`rates` newest first)."""
    return next((r for r in rates if r.effective_from <= day), None)
