"""Generated data of the ownership path, for `generate_data` and `make bench`.

Per generated co-op: the default classifications; a `Worker` for every generated worker
(one classification each); their shifts as `HoursEntry` rows over the generated weeks; and
the ownership history those hours imply. Replaying each worker's rolling 365-day hours
gives the day they reached the threshold: those past it long enough are owners (candidacy
completed, equity paid), the recent ones candidates, some lapsed back to employee. The
nightly sweep then meets a steady state, as in production.

Hours go in with PostgreSQL COPY (alliedup.bulk.copy_rows: a million rows in seconds; bulk_create takes minutes);
other databases use bulk_create. The monthly rollup of the ledger (HoursMonth) is then filled from them with one
INSERT … SELECT (members.services.hours.hours_rollup_rebuild).
"""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from alliedup.bulk import bulk_insert as _bulk, copy_rows
from members.models import (
    Candidacy,
    EquityAccount,
    EquityEntry,
    HoursEntry,
    JobClassification,
    MemberStatus,
    MemberStatusChange,
    Worker,
    WorkerClassification,
)
from members.services.hours import hours_rollup_rebuild
from members.services.workers import DEFAULT_CLASSIFICATIONS

# Expected shifts a week and how common each kind of worker is (per diem … full time).
INTENSITY = ((0.4, 0.25), (0.8, 0.20), (1.5, 0.15), (3.5, 0.15), (5.3, 0.25))
SHIFT_HOURS = (Decimal("8.00"), Decimal("8.00"), Decimal("10.00"), Decimal("12.00"), Decimal("4.00"))
CLASSIFICATION_WEIGHTS = {"ma": 5, "cna": 5, "lvn": 3, "rn": 3, "phlebotomist": 2, "lab-tech": 1, "rt": 1, "slp": 1, "coder": 1}


def generate_members(ctx) -> dict[str, int]:
    rng = ctx.rng("members")
    until: date = ctx.until.date()
    counts = {"classifications": 0, "workers": 0, "hours entries": 0, "candidacies": 0, "owners": 0}
    classifications: dict[int, dict[str, JobClassification]] = {}
    for coop in ctx.coops:
        rows = [JobClassification(cooperative=coop, code=code, name=name) for code, name in DEFAULT_CLASSIFICATIONS]
        JobClassification.objects.bulk_create(rows)
        classifications[coop.pk] = {c.code: c for c in JobClassification.objects.filter(cooperative=coop)}
        counts["classifications"] += len(rows)

    codes, weights = zip(*CLASSIFICATION_WEIGHTS.items())
    people = [p for p in ctx.people if p.role == "worker"]
    workers = []
    for person in people:
        first, _, last = (person.user.full_name or "Worker").partition(" ")
        workers.append(Worker(
            cooperative=person.cooperative, user=person.user, first_name=first, last_name=last or "-",
            email=person.user.email, hire_date=person.joined.date(),
        ))
    Worker.objects.bulk_create(workers, batch_size=5000)
    if workers and workers[0].pk is None:  # backends without RETURNING
        ids = dict(Worker.objects.filter(email__in=[w.email for w in workers]).values_list("email", "id"))
        for w in workers:
            w.pk = ids[w.email]
    counts["workers"] = len(workers)

    held = []
    plan = []  # (worker, classification, [(day, hours)])
    for worker in workers:
        classification = classifications[worker.cooperative_id][rng.choices(codes, weights)[0]]
        held.append(WorkerClassification(cooperative_id=worker.cooperative_id, worker=worker, classification=classification,
                                         since=worker.hire_date, wage_step=rng.randint(1, 5)))
        per_week = rng.choices([i for i, _ in INTENSITY], [w for _, w in INTENSITY])[0]
        shifts, day = [], max(worker.hire_date, ctx.start.date())
        while day < until:
            if rng.random() < per_week / 7:
                shifts.append((day, rng.choice(SHIFT_HOURS)))
            day += timedelta(days=1)
        plan.append((worker, classification, shifts))
    _bulk(WorkerClassification, held)
    ctx.hours_plan = plan  # seeding.generate.placements gives the last weeks' shifts timesheets

    counts["hours entries"] = _insert_hours(plan)
    hours_rollup_rebuild(cooperative_ids=[c.pk for c in ctx.coops])  # one INSERT … SELECT into the monthly rollup
    history = _ownership_history(ctx, rng, plan, until)
    counts["candidacies"], counts["owners"] = history
    return counts


def _insert_hours(plan) -> int:
    now = timezone.now()
    return copy_rows(HoursEntry, (
        {"cooperative_id": worker.cooperative_id, "worker_id": worker.pk, "classification_id": classification.pk,
         "workday": day, "hours": hours, "source": HoursEntry.Source.IMPORT, "source_ref": f"gen-{worker.pk}-{n}",
         "note": "", "posted_at": now}
        for worker, classification, shifts in plan for n, (day, hours) in enumerate(shifts)
    ))


def _reached_on(shifts, threshold: Decimal, lookback: int) -> date | None:
    """The first day the hours in the `lookback` days ending on it reach `threshold`."""
    window, total = deque(), Decimal("0.00")
    for day, hours in shifts:
        window.append((day, hours))
        total += hours
        while window[0][0] <= day - timedelta(days=lookback):
            total -= window.popleft()[1]
        if total >= threshold:
            return day
    return None


def _ownership_history(ctx, rng, plan, until: date) -> tuple[int, int]:
    coops = {c.pk: c for c in ctx.coops}
    candidacies, changes, accounts, owners = [], [], [], []
    for worker, classification, shifts in plan:
        coop = coops[worker.cooperative_id]
        reached = _reached_on(shifts, coop.candidacy_hours_threshold, coop.candidacy_lookback_days)
        changes.append(MemberStatusChange(cooperative=coop, worker=worker, from_status="", to_status=MemberStatus.EMPLOYEE,
                                          effective_on=worker.hire_date, reason="Hired"))
        if reached is None:
            continue
        deadline = reached + timedelta(days=coop.candidacy_window_days)
        candidacy = Candidacy(cooperative=coop, worker=worker, classification=classification, opened_on=reached,
                              deadline=deadline, qualifying_hours=coop.candidacy_hours_threshold)
        changes.append(MemberStatusChange(cooperative=coop, worker=worker, from_status=MemberStatus.EMPLOYEE,
                                          to_status=MemberStatus.CANDIDATE, effective_on=reached, reason="Reached the hours threshold"))
        finished = reached + timedelta(days=rng.randint(20, 85))
        outcome = rng.random()
        if finished < until and outcome < 0.85:
            candidacy.status, candidacy.closed_on = Candidacy.Status.COMPLETED, finished
            worker.status, worker.owner_since, worker.owner_classification = MemberStatus.OWNER, finished, classification
            changes.append(MemberStatusChange(cooperative=coop, worker=worker, from_status=MemberStatus.CANDIDATE,
                                              to_status=MemberStatus.OWNER, effective_on=finished, reason="Agreement signed and equity paid"))
            accounts.append(EquityAccount(cooperative=coop, worker=worker, buy_in=coop.equity_buy_in))
            owners.append(worker)
        elif deadline < until:
            candidacy.status, candidacy.closed_on = Candidacy.Status.LAPSED, deadline + timedelta(days=1)
            changes.append(MemberStatusChange(cooperative=coop, worker=worker, from_status=MemberStatus.CANDIDATE,
                                              to_status=MemberStatus.EMPLOYEE, effective_on=deadline + timedelta(days=1), reason="Candidacy lapsed"))
        else:
            worker.status = MemberStatus.CANDIDATE
        candidacies.append(candidacy)
    _bulk(Candidacy, candidacies)
    _bulk(MemberStatusChange, changes)
    Worker.objects.bulk_update([w for w, _, _ in plan if w.status != MemberStatus.EMPLOYEE],
                               ["status", "owner_since", "owner_classification"], batch_size=5000)
    _bulk(EquityAccount, accounts)
    _bulk(EquityEntry, (
        EquityEntry(cooperative_id=a.cooperative_id, account=a, kind=EquityEntry.Kind.PAYMENT, amount=a.buy_in,
                    effective_on=a.worker.owner_since, reference="gen-buy-in")
        for a in accounts
    ))
    return len(candidacies), len(owners)
