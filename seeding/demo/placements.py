"""Demo rows of placements for `seed_demo` (idempotent: found by name first).

A client with a contract since January of last year, and a year of history: every demo
worker's shifts of the 365 days before the seed (seeding.demo.members.DEMO_WORKERS: how many
hours, which weekdays), worked and approved, with their hours in the ledger. The history is
written in bulk, the way the data generator writes it
(seeding.generate.placements.write_shifts), because a year of shifts through one service call
each would take minutes. This week goes through the services: job orders with open shifts,
yesterday's timesheets waiting for the client, the worker's next shift. `seed_invoices` then
bills the past months (after seeding.demo.payroll, as in a real month's close).
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from alliedup.bulk import copy_rows
from alliedup.models import Cooperative, User
from members.models import CredentialType, HoursEntry, JobClassification, Worker, WorkerCredential
from members.selectors import required_credentials
from members.services.hours import hours_rollup_rebuild
from placements.billing import approved_between
from placements.models import Client, ClientContact, Invoice, Shift, Timesheet
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.invoices import invoice_create, invoice_issue, invoice_mark_paid
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_submit, workday_of
from seeding.demo.members import DEMO_WORKERS, DemoWorker
from seeding.generate.core import analyze
from seeding.generate.placements import PlannedShift, write_shifts
from worktime.overtime import worked_hours

CLIENT_NAME = "Eastbay Skilled Nursing"
# (classification, regular bill rate): the MA rate is deliberately low, a client paying
# less than the CBA wage (payroll's wage-protection report will show what the co-op absorbs).
RATES = [("ma", "31.0000"), ("cna", "34.5000"), ("lvn", "52.0000"), ("rn", "88.0000"), ("phlebotomist", "36.0000")]
HISTORY_DAYS = 365
RECENT_DAYS = 2  # the last days before the seed are this week's, through the services
SHIFT_START = time(7, 0)
UNPAID_MONTHS = 2  # the latest months' invoices are issued and not paid yet


def seed(cooperative: Cooperative, client_user: User | None, coordinator: User | None, workers: dict[str, Worker]) -> None:
    if Client.objects.filter(cooperative=cooperative, name=CLIENT_NAME).exists():
        return
    today = cooperative.today()
    by_code = {c.code: c for c in JobClassification.objects.filter(cooperative=cooperative)}
    client = client_create(cooperative=cooperative, name=CLIENT_NAME, address="2100 Telegraph Ave, Oakland, CA",
                           contact_name="Dana Whitfield", contact_email="dwhitfield@eastbay.example.com")
    if client_user is not None:
        ClientContact.objects.create(cooperative=cooperative, client=client, user=client_user,
                                     name=client_user.full_name[:120], email=client_user.email)
    starts = date(today.year - 1, 1, 1)  # before the year of history, whatever the day of the year
    contract = contract_create(client=client, reference=f"ESN-{starts.year}", starts_on=starts)
    for code, rate in RATES:
        bill_rate_set(contract=contract, classification=by_code[code], effective_from=starts, regular_rate=rate)
    _credentials(cooperative, workers, by_code, today)
    _history(cooperative, contract, workers, by_code, coordinator, today)
    _this_week(cooperative, contract, workers, by_code, today)


def _credentials(cooperative, workers, by_code, today: date) -> None:
    """What each worker's classification requires, valid; Maria's TB test expires in 20 days
    (the credential-expiry warning shows)."""
    required = required_credentials([c.pk for c in by_code.values()])
    extra = [CredentialType.objects.get(cooperative=cooperative, code=code) for code in ("bls", "tb-test")]
    for person in DEMO_WORKERS:
        worker = workers[person.local]
        kinds = {t.pk: t for t in [*required.get(by_code[person.code].pk, []), *(extra if person.local == "worker" else [])]}
        for kind in kinds.values():
            days = 20 if (person.local, kind.code) == ("worker", "tb-test") else 400
            WorkerCredential.objects.get_or_create(
                cooperative=cooperative, worker=worker, credential_type=kind,
                defaults={"number": f"{kind.code.upper()}-{worker.pk:05d}", "expires_on": today + timedelta(days=days)},
            )


def work_days(person: DemoWorker, today: date) -> list[tuple[date, Decimal]]:
    """(day, hours) of the person's history, oldest first: their weekdays in the year before
    this week, evenly spread from the most recent back until their hours are reached; the
    oldest shift is shorter when the hours are not a whole number of shifts."""
    first, last = today - timedelta(days=HISTORY_DAYS - 1), today - timedelta(days=RECENT_DAYS + 1)
    days = [last - timedelta(days=n) for n in range((last - first).days + 1)]
    days = [d for d in days if d.weekday() in person.weekdays]
    needed = int(-(-person.hours // person.shift))  # ceiling
    step = len(days) / needed
    picked = sorted(days[int(i * step)] for i in range(needed))
    hours = [person.shift] * needed
    hours[0] = person.hours - person.shift * (needed - 1)  # the oldest shift takes the remainder
    return list(zip(picked, hours))


def _history(cooperative, contract, workers, by_code, coordinator, today: date) -> None:
    rng = random.Random(f"demo:{cooperative.slug}")  # the same history on every machine
    zone = cooperative.zone
    planned = []
    for person in DEMO_WORKERS:
        worker = workers[person.local]
        for day, hours in work_days(person, today):
            # In UTC: elapsed time, so a shift on the day the clocks change lasts what it says.
            start = datetime.combine(day, SHIFT_START, tzinfo=zone).astimezone(UTC)
            break_minutes = 30 if hours > 6 else 0
            end = start + timedelta(hours=float(hours), minutes=break_minutes)
            submitted = end + timedelta(minutes=rng.randrange(15, 300))
            planned.append(PlannedShift(
                contract.pk, by_code[person.code].pk, start, end, worker.pk, break_minutes, Timesheet.Status.APPROVED,
                worker.user_id, submitted, submitted + timedelta(hours=rng.randrange(2, 40)),
            ))
    coordinators = [coordinator.pk] if coordinator is not None else [None]
    write_shifts(cooperative, planned, rng, created_by_ids=coordinators, created_at=min(s.starts_at for s in planned))
    # The ledger entries timesheet_approve would have posted: one per approved timesheet.
    approved = Timesheet.objects.filter(cooperative=cooperative, status=Timesheet.Status.APPROVED).select_related(
        "assignment__shift")
    copy_rows(HoursEntry, (
        {"cooperative_id": cooperative.pk, "worker_id": t.assignment.worker_id, "classification_id": t.assignment.shift.classification_id,
         "workday": workday_of(t.clock_in, cooperative), "hours": worked_hours(t.clock_in, t.clock_out, t.break_minutes),
         "source": HoursEntry.Source.TIMESHEET, "source_ref": str(t.uuid), "note": "", "posted_at": t.decided_at,
         "posted_by_id": t.decided_by_id}
        for t in approved
    ))
    hours_rollup_rebuild(cooperative_ids=[cooperative.pk])  # the monthly rollup those postings would have kept
    # A year of rows written in bulk while the planner's statistics still describe empty
    # tables: without them the pay runs and invoices that follow choose nested loops over
    # seq scans (minutes on PostgreSQL inside the seed's transaction, instead of seconds).
    analyze()


def _this_week(cooperative, contract, workers, by_code, today: date) -> None:
    """Job orders around today: yesterday's and the day before's shifts worked, their
    timesheets submitted and waiting for the client; the next days' shifts partly filled
    (the demo logins' next shifts), partly open (the fill board's work)."""
    ma = job_order_create(contract=contract, classification=by_code["ma"], starts_on=today - timedelta(days=RECENT_DAYS),
                          ends_on=today + timedelta(days=7), shift_start=time(7, 0), shift_end=time(15, 30), headcount=2,
                          notes="Outpatient clinic, 2nd floor. Ask for the charge nurse.")
    cna = job_order_create(contract=contract, classification=by_code["cna"], starts_on=today - timedelta(days=RECENT_DAYS),
                           ends_on=today + timedelta(days=13), shift_start=time(7, 0), shift_end=time(15, 30), headcount=2,
                           notes="Long-term care wing. Badge in at the staff entrance.")
    job_order_create(contract=contract, classification=by_code["lvn"], starts_on=today + timedelta(days=1),
                     ends_on=today + timedelta(days=5), shift_start=time(19, 0), shift_end=time(7, 0))

    def first_shift(order, days_after_start: int) -> Shift:
        return Shift.objects.filter(job_order=order).order_by("starts_at", "id")[days_after_start * order.headcount]

    # (order, day of the order, worker): the order starts RECENT_DAYS before today.
    worked = [(ma, 1, workers["worker"]), (cna, 0, workers["tomas"]), (cna, 1, workers["owner"]), (ma, 0, workers["aisha"])]
    for order, n, worker in worked:
        shift = first_shift(order, n)
        assignment = shift_assign(shift=shift, worker=worker)
        local = shift.starts_at.astimezone(contract.client.zone)
        timesheet_submit(assignment=assignment, clock_in=local.replace(hour=6, minute=58),
                         clock_out=local.replace(hour=15, minute=34), break_minutes=30, submitted_by=worker.user)
    # The next shifts of the demo logins: the employee's in two days, the worker-owner's in three.
    shift_assign(shift=first_shift(ma, RECENT_DAYS + 2), worker=workers["worker"])
    shift_assign(shift=first_shift(cna, RECENT_DAYS + 3), worker=workers["owner"])


def seed_invoices(cooperative: Cooperative) -> None:
    """One invoice per month of the history that has ended, issued two days after the month
    ends and paid three weeks later, except the last UNPAID_MONTHS (the client's home shows
    them unpaid)."""
    client = Client.objects.filter(cooperative=cooperative, name=CLIENT_NAME).first()
    if client is None or Invoice.objects.filter(client=client).exists():
        return
    today = cooperative.today()
    month = (today - timedelta(days=HISTORY_DAYS - 1)).replace(day=1)
    invoices = []
    while (end := _month_end(month)) < today:
        if approved_between(cooperative, month, end).exists():
            invoices.append(invoice_issue(invoice=invoice_create(client=client, period_start=month, period_end=end)))
        month = end + timedelta(days=1)
    # The services issue and record payments as of today; the past months' dates move back to
    # when they would have happened (no service backdates an invoice, so it is done here). In
    # issue order, so a number is free before another invoice takes it.
    per_year: dict[int, int] = {}
    for n, invoice in enumerate(invoices):
        issued_on = min(invoice.period_end + timedelta(days=2), today)
        per_year[issued_on.year] = per_year.get(issued_on.year, 0) + 1
        dates = {"number": f"INV-{issued_on.year}-{per_year[issued_on.year]:05d}", "due_on": issued_on + timedelta(days=30),
                 "issued_at": datetime.combine(issued_on, time(10, 0), tzinfo=cooperative.zone)}
        if n < len(invoices) - UNPAID_MONTHS:
            invoice_mark_paid(invoice=invoice, paid_on=today, reference=f"ACH {dates['number']}")
            dates["paid_on"] = min(issued_on + timedelta(days=21), today)
        Invoice.objects.filter(pk=invoice.pk).update(**dates)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
