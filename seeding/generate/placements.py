"""Generated placements, for `generate_data` and `make bench`.

Per generated co-op: 5–20 clients, each with an active contract and, per classification,
two effective-dated bill rates (the second 3 % higher, from two weeks before `until`); the
first client pays less than the CBA wage for a medical assistant (as some clients do: the
wage-floor report shows what the co-op absorbs). The client contacts of the co-op act for
the first two clients.

For the last RECENT_WEEKS weeks, the workers' real shifts: one shift per hours-ledger entry
seeding.generate.members made (its plan, left on `ctx.hours_plan`), starting 07:00 in the
co-op's zone, at the client the worker is placed with for those weeks, grouped into job orders per
client, classification and shift length; each has a confirmed assignment and a timesheet,
approved when a coordinator decided it before `until`, else submitted (the timesheet queue).
Then, for the next BOARD_DAYS days, job orders whose shifts are mostly filled and some still
open, more of them the further out they are: the fill board's work.

Shifts, assignments and timesheets go in with COPY (alliedup.bulk.copy_rows) under ids
reserved beforehand, so the children know their parents' ids without reading them back.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal
from typing import NamedTuple

from alliedup.bulk import copy_rows
from alliedup.models import Cooperative, Role
from members.models import JobClassification
from placements.models import Assignment, BillRate, Client, ClientContact, ClientContract, JobOrder, Shift, Timesheet
from seeding.generate.core import CITIES, reserve_ids
from seeding.generate.payroll import step_wage

RECENT_WEEKS = 4
BOARD_DAYS = 14
CLIENT_KINDS = (
    "Medical Center", "Community Hospital", "Skilled Nursing", "Family Clinic", "Urgent Care", "Rehabilitation Center",
    "Dialysis Center", "Home Health", "Surgery Center", "Behavioral Health", "Senior Living", "Pediatrics",
)
# What clients pay per hour over the CBA's top step (the co-op's margin and costs).
MARKUP = (Decimal("1.25"), Decimal("1.55"))
# The low client's medical-assistant rate, below the CBA's step-1 wage.
LOW_MA_RATE = Decimal("24.00")
RAISE = Decimal("1.03")
# Future shifts: positions a day per worker of the co-op (about one shift a week each), and
# the share still open on day d of the board: near days are mostly filled, far ones less.
FUTURE_POSITIONS_PER_WORKER = 1 / 7
FUTURE_PATTERNS = ((time(7, 0), 8), (time(7, 0), 8), (time(7, 0), 12), (time(19, 0), 12), (time(15, 0), 8))


def open_share(day_index: int) -> float:
    return 0.03 + 0.2 * day_index / (BOARD_DAYS - 1)


class PlannedShift(NamedTuple):
    """One shift to write: open (no worker), filled (a confirmed assignment) or worked (with
    a timesheet `submitted` or `approved`)."""

    contract_id: int
    classification_id: int
    starts_at: datetime
    ends_at: datetime
    worker_id: int | None = None
    break_minutes: int = 0
    timesheet: str | None = None
    submitted_by_id: int | None = None
    submitted_at: datetime | None = None
    decided_at: datetime | None = None


def new_uuid(rng: random.Random) -> uuid.UUID:
    # From the generator's stream: the same seed gives the same uuids (and it is faster).
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def create_clients(coop: Cooperative, classifications: dict[str, JobClassification], rng: random.Random, n: int, *,
                   contracts_from: date, raise_from: date) -> list[ClientContract]:
    """`n` clients of `coop`, each with an active contract from `contracts_from` and, for every
    classification, a bill rate from the contract's start and one 3 % higher from `raise_from`.
    The first client pays LOW_MA_RATE for a medical assistant, under the CBA's step-1 wage."""
    names = rng.sample([f"{city} {kind}" for city in CITIES for kind in CLIENT_KINDS], n)
    clients = [
        Client(cooperative=coop, uuid=new_uuid(rng), name=f"{name} (generated)", time_zone=coop.time_zone,
               contact_name=f"Unit manager {i + 1}", address=f"{rng.randrange(100, 9999)} Main St")
        for i, name in enumerate(names)
    ]
    Client.objects.bulk_create(clients)
    contracts = [
        ClientContract(cooperative=coop, uuid=new_uuid(rng), client=client, reference=f"GEN-{i + 1:02d}",
                       starts_on=contracts_from - timedelta(days=rng.randrange(0, 120)), status=ClientContract.Status.ACTIVE)
        for i, client in enumerate(clients)
    ]
    ClientContract.objects.bulk_create(contracts)
    rates = []
    for i, contract in enumerate(contracts):
        for code, classification in classifications.items():
            if i == 0 and code == "ma":
                rate = LOW_MA_RATE
            else:
                markup = Decimal(rng.uniform(float(MARKUP[0]), float(MARKUP[1]))).quantize(Decimal("0.01"))
                rate = (step_wage(code, 5) * markup).quantize(Decimal("0.01"))
            rates.append(BillRate(cooperative=coop, contract=contract, classification=classification,
                                  effective_from=contract.starts_on, regular_rate=rate))
            if raise_from > contract.starts_on:
                rates.append(BillRate(cooperative=coop, contract=contract, classification=classification,
                                      effective_from=raise_from, regular_rate=(rate * RAISE).quantize(Decimal("0.01"))))
    BillRate.objects.bulk_create(rates)
    return contracts


def write_shifts(coop: Cooperative, shifts: list[PlannedShift], rng: random.Random, *, created_by_ids: list[int],
                 created_at: datetime) -> dict[str, int]:
    """Write `shifts` as job orders (one per contract, classification and local start and end
    time, over the days its shifts cover, headcount the most on one day), shifts, confirmed
    assignments and timesheets; a coordinator of `created_by_ids` posted, filled and decided
    them. Returns counts by kind."""
    zone = coop.zone
    groups: dict[tuple, list[PlannedShift]] = defaultdict(list)
    for s in shifts:
        local_start, local_end = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
        groups[(s.contract_id, s.classification_id, local_start.timetz().replace(tzinfo=None),
                local_end.timetz().replace(tzinfo=None))].append(s)
    orders, members = [], []
    for (contract_id, classification_id, start, end), rows in groups.items():
        per_day: dict[date, int] = defaultdict(int)
        for s in rows:
            per_day[s.starts_at.astimezone(zone).date()] += 1
        orders.append(JobOrder(
            cooperative=coop, uuid=new_uuid(rng), contract_id=contract_id, classification_id=classification_id,
            starts_on=min(per_day), ends_on=max(per_day), shift_start=start, shift_end=end,
            headcount=min(max(per_day.values()), 32767), created_at=created_at - timedelta(days=rng.randrange(1, 21)),
            created_by_id=rng.choice(created_by_ids),
        ))
        members.append(rows)
    JobOrder.objects.bulk_create(orders, batch_size=5000)

    n_assigned = sum(1 for s in shifts if s.worker_id is not None)
    n_timesheets = sum(1 for s in shifts if s.timesheet is not None)
    shift_id, assignment_id, timesheet_id = (
        reserve_ids(Shift, len(shifts)), reserve_ids(Assignment, n_assigned), reserve_ids(Timesheet, n_timesheets)
    )
    shift_rows, assignment_rows, timesheet_rows = [], [], []
    for order, rows in zip(orders, members):
        for s in rows:
            status = (Shift.Status.OPEN if s.worker_id is None
                      else Shift.Status.COMPLETED if s.timesheet == Timesheet.Status.APPROVED else Shift.Status.FILLED)
            shift_rows.append({"id": shift_id, "cooperative_id": coop.pk, "uuid": new_uuid(rng), "job_order_id": order.pk,
                               "classification_id": s.classification_id, "starts_at": s.starts_at, "ends_at": s.ends_at,
                               "status": status})
            if s.worker_id is not None:
                coordinator = rng.choice(created_by_ids)
                assignment_rows.append({
                    "id": assignment_id, "cooperative_id": coop.pk, "uuid": new_uuid(rng), "shift_id": shift_id,
                    "worker_id": s.worker_id, "status": Assignment.Status.CONFIRMED, "starts_at": s.starts_at,
                    "ends_at": s.ends_at, "created_at": min(order.created_at + timedelta(days=1), s.starts_at),
                    "created_by_id": coordinator,
                })
                if s.timesheet is not None:
                    approved = s.timesheet == Timesheet.Status.APPROVED
                    timesheet_rows.append({
                        "id": timesheet_id, "cooperative_id": coop.pk, "uuid": new_uuid(rng), "assignment_id": assignment_id,
                        "clock_in": s.starts_at, "clock_out": s.ends_at, "break_minutes": s.break_minutes,
                        "status": s.timesheet, "submitted_at": s.submitted_at, "submitted_by_id": s.submitted_by_id,
                        "decided_at": s.decided_at if approved else None, "decided_by_id": coordinator if approved else None,
                        "decided_on_behalf_of_client": approved,
                    })
                    timesheet_id += 1
                assignment_id += 1
            shift_id += 1
    return {
        "job orders": len(orders),
        "shifts": copy_rows(Shift, shift_rows),
        "assignments": copy_rows(Assignment, assignment_rows),
        "timesheets": copy_rows(Timesheet, timesheet_rows),
    }


def worked_shift(contract_id: int, classification_id: int, start: datetime, hours: Decimal, *, worker_id: int,
                 user_id: int | None, until: datetime, rng: random.Random) -> PlannedShift:
    """A shift of `hours` worked from `start` (plus an unpaid 30-minute meal break over six
    hours, so the timesheet's hours are `hours`), submitted some hours after it ended and
    approved a few hours to two days later; what has not happened by `until` has not."""
    break_minutes = 30 if hours > 6 else 0
    start = start.astimezone(dt_timezone.utc)  # elapsed time: across a DST change too
    end = start + timedelta(hours=float(hours), minutes=break_minutes)
    submitted = end + timedelta(minutes=rng.randrange(15, 600))
    decided = submitted + timedelta(hours=rng.randrange(2, 48))
    status = None if submitted >= until else Timesheet.Status.SUBMITTED if decided >= until else Timesheet.Status.APPROVED
    return PlannedShift(contract_id, classification_id, start, end, worker_id, break_minutes, status,
                        user_id, submitted if status else None, decided if status else None)


def generate_placements(ctx) -> dict[str, int]:
    rng = ctx.rng("placements")
    until = ctx.until.date()
    recent_from = until - timedelta(weeks=RECENT_WEEKS)
    counts: dict[str, int] = defaultdict(int)
    plan_by_coop = defaultdict(list)
    for worker, classification, shifts in ctx.hours_plan:
        plan_by_coop[worker.cooperative_id].append((worker, classification, [s for s in shifts if s[0] >= recent_from]))
    classifications: dict[int, dict[str, JobClassification]] = defaultdict(dict)
    for c in JobClassification.objects.filter(cooperative__in=ctx.coops):
        classifications[c.cooperative_id][c.code] = c

    for coop in ctx.coops:
        zone = coop.zone
        contracts = create_clients(coop, classifications[coop.pk], rng, rng.randint(5, 20),
                                   contracts_from=ctx.start.date(), raise_from=until - timedelta(days=14))
        counts["clients"] += len(contracts)
        contacts = [p.user for p in ctx.in_coop(coop, Role.CLIENT)]
        ClientContact.objects.bulk_create([
            ClientContact(cooperative=coop, client_id=contract.client_id, user=user, name=user.full_name[:120], email=user.email)
            for contract, user in zip(contracts, contacts)
        ])
        coordinators = [p.user.pk for p in ctx.in_coop(coop, Role.COORDINATOR)]
        weights = [rng.randint(1, 5) for _ in contracts]

        planned = []
        by_classification = defaultdict(list)
        for worker, classification, shifts in plan_by_coop[coop.pk]:
            by_classification[classification.pk].append(worker.pk)
            contract = rng.choices(contracts, weights)[0]  # placed with one client for these weeks
            for day, hours in shifts:
                planned.append(worked_shift(
                    contract.pk, classification.pk, datetime.combine(day, time(7, 0), tzinfo=zone), hours,
                    worker_id=worker.pk, user_id=worker.user_id, until=ctx.until, rng=rng,
                ))
        planned += _future_shifts(coop, contracts, weights, by_classification, until, rng)
        for kind, n in write_shifts(coop, planned, rng, created_by_ids=coordinators, created_at=ctx.until).items():
            counts[kind] += n
    return dict(counts)


def _future_shifts(coop, contracts, weights, by_classification, until: date, rng) -> list[PlannedShift]:
    """Job orders over the next BOARD_DAYS days, about one position a week per worker of the
    co-op; each day's positions are filled by workers of the classification (at most one
    shift a day each) except a share that grows with the distance (open_share)."""
    zone = coop.zone
    workforce = {cid: len(ids) for cid, ids in by_classification.items()}
    if not workforce:
        return []
    target = max(1, round(sum(workforce.values()) * FUTURE_POSITIONS_PER_WORKER))
    class_ids, class_weights = zip(*workforce.items())
    orders, positions = [], 0
    while positions < target:
        headcount = min(rng.randint(1, max(1, target // 25)), target - positions)
        start, hours = rng.choice(FUTURE_PATTERNS)
        orders.append((rng.choices(contracts, weights)[0].pk, rng.choices(class_ids, class_weights)[0], start, hours, headcount))
        positions += headcount
    result = []
    for d in range(BOARD_DAYS):
        day = until + timedelta(days=d)
        pools = {cid: rng.sample(ids, len(ids)) for cid, ids in by_classification.items()}
        for contract_id, classification_id, start, hours, headcount in orders:
            starts_at = datetime.combine(day, start, tzinfo=zone).astimezone(dt_timezone.utc)
            ends_at = starts_at + timedelta(hours=hours, minutes=30)
            for _ in range(headcount):
                pool = pools[classification_id]
                worker_id = pool.pop() if pool and rng.random() >= open_share(d) else None
                result.append(PlannedShift(contract_id, classification_id, starts_at, ends_at, worker_id, 30))
    return result
