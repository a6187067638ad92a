"""Reads of placements used by services, pages, the API and other apps."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter, TruncYear
from django.utils.translation import gettext as _

from alliedup.money import sum_to_cents
from members.choices import MemberStatus
from members.selectors import classifications_held, credentials_valid_until, required_credentials
from placements.billing import WorkedTimesheet, approved_between, approved_timesheets, billed_segments  # noqa: F401 (payroll reads them here)
from placements.models import (
    Assignment, BillRate, Client, ClientContact, ClientContract, Invoice, InvoiceLine, JobOrder, Shift, Timesheet,
    TimesheetCorrection,
)
from worktime.overtime import workday_boundary
from worktime.selectors import holidays_between

BOARD_DAYS = 14
# Rows the fill board renders at once (about 1 ms each): a day with more is paged.
BOARD_PAGE_SIZE = 50
# A filled shift stays filled once worked: it counts toward the fill rate too.
FILLED = (Shift.Status.FILLED, Shift.Status.COMPLETED)


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


def timesheets_awaiting(cooperative, client_ids=None, *, client_uuid=None, classification_code: str | None = None):
    """Submitted timesheets to approve, oldest first (ties by id, so pages never overlap),
    optionally for some clients only (`client_ids`: the ones a client contact acts for), one
    client (by uuid) or one classification (by code)."""
    qs = _submitted(cooperative, client_ids)
    if client_uuid is not None:
        qs = qs.filter(assignment__shift__job_order__contract__client__uuid=client_uuid)
    if classification_code:
        qs = qs.filter(assignment__shift__classification__code=classification_code)
    return qs.select_related(
        "assignment__worker", "assignment__shift__classification", "assignment__shift__job_order__contract__client"
    ).order_by("submitted_at", "id")


def timesheets_waiting(cooperative) -> int:
    """How many submitted timesheets wait for a decision (the partial index answers it)."""
    return _submitted(cooperative).count()


def _submitted(cooperative, client_ids=None):
    qs = Timesheet.objects.filter(cooperative=cooperative, status=Timesheet.Status.SUBMITTED)
    if client_ids is not None:
        qs = qs.filter(assignment__shift__job_order__contract__client_id__in=client_ids)
    return qs


@dataclass(frozen=True)
class QueueOption:
    """A client or classification with timesheets waiting: `value` is the client's uuid (as
    text) or the classification's code."""

    value: str
    label: str
    waiting: int


@dataclass(frozen=True)
class QueueCounts:
    """How many submitted timesheets wait, per (client uuid, classification code)."""

    cells: dict[tuple[str, str], int]
    clients: list[QueueOption]
    classifications: list[QueueOption]

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def matching(self, client_uuid=None, classification_code: str | None = None) -> int:
        """How many wait for this client and/or classification (None: any)."""
        client = str(client_uuid) if client_uuid is not None else None
        return sum(n for (c, k), n in self.cells.items() if client in (None, c) and classification_code in (None, "", k))


def timesheet_queue_counts(cooperative, client_ids=None) -> QueueCounts:
    """The waiting timesheets counted per client and classification, in one query: the
    queue's total, its filters' options and the count of any filtered page (so paging needs
    no COUNT of its own)."""
    rows = (
        _submitted(cooperative, client_ids)
        .values(
            "assignment__shift__job_order__contract__client__uuid", "assignment__shift__job_order__contract__client__name",
            "assignment__shift__classification__code", "assignment__shift__classification__name",
        )
        .annotate(waiting=Count("id"))
        .order_by()
    )
    cells: dict[tuple[str, str], int] = {}
    clients: dict[str, list] = {}
    classifications: dict[str, list] = {}
    for row in rows:
        client = str(row["assignment__shift__job_order__contract__client__uuid"])
        code = row["assignment__shift__classification__code"]
        cells[(client, code)] = row["waiting"]
        clients.setdefault(client, [row["assignment__shift__job_order__contract__client__name"], 0])[1] += row["waiting"]
        classifications.setdefault(code, [row["assignment__shift__classification__name"], 0])[1] += row["waiting"]

    def options(found):
        return sorted((QueueOption(value, label, n) for value, (label, n) in found.items()), key=lambda o: (o.label.lower(), o.value))

    return QueueCounts(cells=cells, clients=options(clients), classifications=options(classifications))


# The fill board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardDay:
    """A day of the fill board (a date in the co-op's zone): its open shifts and its filled
    ones (a completed shift was filled)."""

    day: date
    open: int
    filled: int
    holiday: str = ""  # the co-op's holiday on that day: shifts bill and pay holiday rates

    @property
    def fill_rate(self) -> int | None:
        total = self.open + self.filled
        return round(100 * self.filled / total) if total else None


def local_midnight(day: date, zone) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _board_counts(cooperative, start: datetime, end: datetime) -> dict[date, tuple[int, int]]:
    """{day in the co-op's zone: (open, filled)} of the shifts starting in [start, end)."""
    rows = (
        Shift.objects.filter(cooperative=cooperative, status__in=[Shift.Status.OPEN, *FILLED], starts_at__gte=start, starts_at__lt=end)
        .annotate(day=TruncDate("starts_at", tzinfo=cooperative.zone))
        .values("day")
        .annotate(open=Count("id", filter=Q(status=Shift.Status.OPEN)), filled=Count("id", filter=Q(status__in=FILLED)))
        .order_by()
    )
    return {row["day"]: (row["open"], row["filled"]) for row in rows}


def board_days(cooperative, today: date) -> list[BoardDay]:
    """The fill board's BOARD_DAYS days from `today`, each with its open and filled shifts
    (every day, none left out for having no shift) and its holiday. Two queries: the days'
    shifts only, and the holiday calendar."""
    zone = cooperative.zone
    found = _board_counts(cooperative, local_midnight(today, zone), local_midnight(today + timedelta(days=BOARD_DAYS), zone))
    days = [today + timedelta(days=n) for n in range(BOARD_DAYS)]
    holidays = holidays_between(cooperative, days[0], days[-1])
    return [BoardDay(day, *found.get(day, (0, 0)), holiday=holidays.get(day, "")) for day in days]


def board_day(cooperative, day: date) -> BoardDay:
    """One day of the board with its counts (for a day loaded on its own). Two queries."""
    zone = cooperative.zone
    found = _board_counts(cooperative, local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone))
    return BoardDay(day, *found.get(day, (0, 0)), holiday=holidays_between(cooperative, day, day).get(day, ""))


def placements_in_year(cooperative, today: date) -> int:
    """Placements of today's year: its completed shifts, by start in the co-op's zone. A plain
    COUNT (the (cooperative, status, starts_at) index can serve it), kept apart from the
    board's days so that a year of shifts is counted, never grouped by day. One query."""
    zone = cooperative.zone
    return Shift.objects.filter(
        cooperative=cooperative, status=Shift.Status.COMPLETED,
        starts_at__gte=local_midnight(today.replace(month=1, day=1), zone),
        starts_at__lt=local_midnight(today.replace(year=today.year + 1, month=1, day=1), zone),
    ).count()


def board_days_shown(days: list[BoardDay], limit: int = BOARD_PAGE_SIZE) -> list[BoardDay]:
    """The days the board opens with: the first day with open shifts and the days after it
    while all their open shifts fit in one page of `limit` rows (a small co-op sees its whole
    fortnight at once, a large one its first day or days; a first day with more than `limit`
    alone, to be paged). Empty when nothing is open."""
    first = next((i for i, d in enumerate(days) if d.open), None)
    if first is None:
        return []
    shown, rows = [days[first]], days[first].open
    for d in days[first + 1:]:
        if rows + d.open > limit:
            break
        shown.append(d)
        rows += d.open
    return shown


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


def client_ids_for(cooperative, user) -> set[int]:
    """The clients a user acts for (is a ClientContact of) in this co-op."""
    return set(ClientContact.objects.filter(cooperative=cooperative, user=user).values_list("client_id", flat=True))


def invoices_for_clients(cooperative, client_ids):
    """The issued and paid invoices of these clients: what a client contact may see and
    download (never drafts, nor void invoices)."""
    return Invoice.objects.filter(
        cooperative=cooperative, client_id__in=client_ids, status__in=[Invoice.Status.ISSUED, Invoice.Status.PAID]
    ).select_related("client")


# --- role homes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientHome:
    """What waits for a client contact on their home: timesheets to approve (how many, and
    the oldest few), job orders still running, and issued invoices not paid yet."""

    timesheets_waiting: int
    oldest_waiting: list
    open_orders: int
    open_shifts: int
    unpaid_invoices: int
    unpaid_total: object  # Decimal, to the cent
    overdue_invoices: int


def client_home(cooperative, client_ids, today: date, *, oldest: int = 5) -> ClientHome:
    """The client home's figures for the clients `client_ids` (four queries)."""
    waiting = _submitted(cooperative, client_ids)
    still_open = Q(shifts__status=Shift.Status.OPEN, shifts__starts_at__gte=local_midnight(today, cooperative.zone))
    orders = JobOrder.objects.filter(cooperative=cooperative, contract__client_id__in=client_ids, ends_on__gte=today).aggregate(
        orders=Count("id", distinct=True), open_shifts=Count("shifts", filter=still_open),
    )
    unpaid = Invoice.objects.filter(cooperative=cooperative, client_id__in=client_ids, status=Invoice.Status.ISSUED).aggregate(
        n=Count("id"), total=Sum("total"), overdue=Count("id", filter=Q(due_on__lt=today)),
    )
    return ClientHome(
        timesheets_waiting=waiting.count(),
        oldest_waiting=list(timesheets_awaiting(cooperative, client_ids=client_ids)[:oldest]),
        open_orders=orders["orders"], open_shifts=orders["open_shifts"],
        unpaid_invoices=unpaid["n"], unpaid_total=sum_to_cents(unpaid["total"]), overdue_invoices=unpaid["overdue"],
    )


def next_assignment(worker, now: datetime):
    """The worker's next active assignment that has not ended yet, with its shift, client
    and classification (one query), or None."""
    return (
        Assignment.objects.filter(worker=worker, status__in=Assignment.ACTIVE, ends_at__gt=now)
        .select_related("shift__job_order__contract__client", "shift__classification")
        .order_by("starts_at", "id").first()
    )


# --- for payroll: approved hours, corrections and clients as a pay run reads them ----------
# (approved_timesheets and billed_segments, from placements.billing, are imported above)


def approved_timesheet_count(cooperative, first_day: date, last_day: date) -> int:
    """How many approved timesheets may have hours on a workday in [first_day, last_day]
    (billing.approved_between). One query."""
    return approved_between(cooperative, first_day, last_day).count()


def approved_timesheet_ids(cooperative, first_day: date, before_day: date, *, exclude_ids=None) -> list[int]:
    """Ids of the approved timesheets that clocked in on a workday in [first_day, before_day),
    less `exclude_ids` (ids or a subquery: e.g. the timesheets approved runs paid). One query."""
    zone, start = cooperative.zone, cooperative.workday_start
    rows = Timesheet.objects.filter(
        cooperative=cooperative, status=Timesheet.Status.APPROVED,
        clock_in__gte=workday_boundary(first_day, zone, start), clock_in__lt=workday_boundary(before_day, zone, start),
    )
    if exclude_ids is not None:
        rows = rows.exclude(id__in=exclude_ids)
    return list(rows.values_list("id", flat=True))


def timesheets_undecided(cooperative, first_day: date, last_day: date):
    """Submitted and disputed timesheets clocking in on a workday in [first_day, last_day],
    with their worker, by clock-in (a queryset)."""
    zone, start = cooperative.zone, cooperative.workday_start
    return (
        Timesheet.objects.filter(cooperative=cooperative, status__in=[Timesheet.Status.SUBMITTED, Timesheet.Status.DISPUTED])
        .filter(clock_in__gte=workday_boundary(first_day, zone, start),
                clock_in__lt=workday_boundary(last_day + timedelta(days=1), zone, start))
        .select_related("assignment__worker").order_by("clock_in")
    )


def corrections_to_pay(cooperative, last_day: date, *, settled_runs) -> list[tuple[int, int]]:
    """(correction id, timesheet id) of the timesheet corrections that no run of
    `settled_runs` (payroll's approved runs, a queryset) has paid, for timesheets that clock in
    by the end of workday `last_day` (later ones are later runs'). One query."""
    until = workday_boundary(last_day + timedelta(days=1), cooperative.zone, cooperative.workday_start)
    return list(
        TimesheetCorrection.objects.filter(cooperative=cooperative, timesheet__clock_in__lt=until)
        .exclude(paid_in_run__in=settled_runs).values_list("id", "timesheet_id")
    )


def corrections_paid_in(run):
    """The timesheet corrections pay run `run` settles, with their worker, oldest first."""
    return (TimesheetCorrection.objects.filter(paid_in_run=run).select_related("timesheet__assignment__worker")
            .order_by("corrected_at", "id"))


def corrections_since(cooperative, since: datetime, on_or_before: date):
    """The timesheet corrections made at or after `since` that move hours from or to a workday
    on or before `on_or_before` (a queryset): a pay run calculated at `since` whose period
    ends on that day did not see them."""
    until = workday_boundary(on_or_before + timedelta(days=1), cooperative.zone, cooperative.workday_start)
    return TimesheetCorrection.objects.filter(cooperative=cooperative, corrected_at__gte=since).filter(
        Q(clock_in_before__lt=until) | Q(clock_in_after__lt=until))


def client_uuids(cooperative, client_ids) -> dict:
    """{client id: uuid} of these clients of the co-op. One query."""
    return dict(Client.objects.filter(cooperative=cooperative, pk__in=client_ids).values_list("id", "uuid"))


# Read by insights (the co-op's figures: aggregates in SQL, one query each) ---------------------


def placement_counts(cooperative, first: datetime, after: datetime, *, per: str) -> list[dict]:
    """Placements (assignments whose timesheet is approved) of the co-op's shifts starting in
    [first, after), counted by `per` ("month" or "year") of the shift's start in the co-op's
    zone: [{per: the period's first moment as the database gives it (a datetime in the co-op's
    zone, or a date), "n": count}]; a period without one is absent. One query."""
    trunc = {"month": TruncMonth, "year": TruncYear}[per]
    return list(
        Assignment.objects.filter(
            cooperative=cooperative, timesheet__status=Timesheet.Status.APPROVED,
            shift__starts_at__gte=first, shift__starts_at__lt=after,
        )
        .annotate(**{per: trunc("shift__starts_at", tzinfo=cooperative.zone)}).values(per).annotate(n=Count("id")).order_by()
    )


def shift_fill_counts(cooperative, first: datetime, after: datetime) -> list[dict]:
    """The co-op's shifts starting in [first, after), cancelled ones left out, by calendar
    month of their start in the co-op's zone: [{"month": its first moment as the database
    gives it, "requested": shifts, "filled": those filled or completed}]; a month without
    shifts is absent. One query."""
    filled = Q(status__in=[Shift.Status.FILLED, Shift.Status.COMPLETED])
    return list(
        Shift.objects.filter(cooperative=cooperative, starts_at__gte=first, starts_at__lt=after)
        .exclude(status=Shift.Status.CANCELLED)
        .annotate(month=TruncMonth("starts_at", tzinfo=cooperative.zone)).values("month")
        .annotate(requested=Count("id"), filled=Count("id", filter=filled)).order_by()
    )


def billed_by_client_and_quarter(cooperative, first_day: date, last_day: date) -> list[dict]:
    """What the co-op billed for workdays from `first_day` to `last_day`: the lines of issued
    or paid invoices (drafts and void invoices are not revenue) summed by calendar quarter of
    the workday and client: [{"quarter": its first day, "client_id", "client_name", "billed":
    the SQL sum}], unordered. One query."""
    return [
        {"quarter": r["quarter"], "client_id": r["invoice__client_id"], "client_name": r["invoice__client__name"],
         "billed": r["billed"]}
        for r in InvoiceLine.objects.filter(
            cooperative=cooperative, invoice__status__in=[Invoice.Status.ISSUED, Invoice.Status.PAID],
            workday__gte=first_day, workday__lte=last_day,
        )
        .annotate(quarter=TruncQuarter("workday")).values("quarter", "invoice__client_id", "invoice__client__name")
        .annotate(billed=Sum("amount")).order_by()
    ]
