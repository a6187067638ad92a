"""Demo rows of the ownership path for `seed_demo` (idempotent: found by email first).

The people of a demo co-op and how much each works: seeding.demo.placements turns
DEMO_WORKERS into a year of shifts with approved timesheets (so the hours ledger, pay and
invoices agree), and `sweep` then runs the nightly eligibility sweep over those hours (Rosa
reaches 350: candidate).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.test.utils import override_settings

from alliedup.models import Cooperative, User
from members.models import EquityAccount, JobClassification, MembershipAgreement, MemberStatus, Worker
from members.services.agreement import agreement_publish
from members.services.candidacy import eligibility_sweep
from members.services.equity import equity_account_open, equity_payment_record
from members.services.status import status_change
from members.services.workers import classifications_seed_defaults, worker_hire


@dataclass(frozen=True)
class DemoWorker:
    first: str
    last: str
    local: str  # the email's local part: <local>@<co-op slug>.example.com
    code: str  # the classification they work in
    hours: Decimal  # approved hours in the 365 days before the seed
    shift: Decimal  # hours of a usual shift (12-hour shifts earn daily overtime)
    weekdays: tuple[int, ...]  # the days of the week they usually work (Monday = 0)
    owner_since_days: int | None = None  # a worker-owner since this many days ago (imported history)


# "worker", "rosa" and "owner" are the demo logins of an employee, a candidate and a worker-owner.
DEMO_WORKERS = [
    DemoWorker("Maria", "Alvarez", "worker", "ma", Decimal("312.00"), Decimal("8.00"), (0, 2)),  # near 350
    DemoWorker("Rosa", "Delgado", "rosa", "lvn", Decimal("356.00"), Decimal("8.00"), (1, 3)),  # reaches 350: candidate
    DemoWorker("James", "Okafor", "james", "rn", Decimal("240.00"), Decimal("12.00"), (4, 5)),
    DemoWorker("Lena", "Park", "lena", "phlebotomist", Decimal("120.00"), Decimal("8.00"), (2,)),
    DemoWorker("Grace", "Mensah", "owner", "cna", Decimal("620.00"), Decimal("8.00"), (1, 3), owner_since_days=220),
    DemoWorker("Tomás", "Reyes", "tomas", "cna", Decimal("700.00"), Decimal("8.00"), (0, 4, 5), owner_since_days=400),
    DemoWorker("Aisha", "Hassan", "aisha", "ma", Decimal("560.00"), Decimal("8.00"), (1, 4), owner_since_days=300),
    DemoWorker("Mei", "Chen", "mei", "lvn", Decimal("480.00"), Decimal("8.00"), (0, 3), owner_since_days=500),
    DemoWorker("Kwame", "Boateng", "kwame", "rn", Decimal("720.00"), Decimal("12.00"), (2, 6), owner_since_days=600),
    DemoWorker("Sofia", "Mendoza", "sofia", "cna", Decimal("400.00"), Decimal("8.00"), (2, 5), owner_since_days=150),
]


AGREEMENT_TEXT = """\
I join {name} as a worker-owner. I will take part in the life of the cooperative: its meetings, its elections and its committees, with one vote like every other owner.

I buy one membership share at the price the bylaws set, paid at once, in installments, or waived for hardship by decision of the staff.

I understand that the cooperative allocates its net earnings from member business to worker-owners in proportion to their patronage, that part of each allocation is retained in my capital account, and I consent to include allocations in my income as the tax law requires.

I keep my status by working at least the hours a year the bylaws set in my job classification. If my status lapses or I leave, my equity and capital account are redeemed as the bylaws set out."""


def person(local: str) -> DemoWorker:
    return next(p for p in DEMO_WORKERS if p.local == local)


def email_of(cooperative: Cooperative, person: DemoWorker) -> str:
    return f"{person.local}@{cooperative.slug}.example.com"


def seed(cooperative: Cooperative, users: dict[str, User]) -> dict[str, Worker]:
    """Hire the demo workers (linking `users`, by email local part, to their records) and give
    the owners their imported history; return the workers by email local part."""
    classifications_seed_defaults(cooperative=cooperative)
    today = cooperative.today()
    if not MembershipAgreement.objects.filter(cooperative=cooperative).exists():
        agreement_publish(cooperative=cooperative, title="Membership agreement", body=AGREEMENT_TEXT.format(name=cooperative.name),
                          effective_from=today - timedelta(days=365), published_by=None)
    by_code = {c.code: c for c in JobClassification.objects.filter(cooperative=cooperative)}
    workers = {}
    for person in DEMO_WORKERS:
        email = email_of(cooperative, person)
        worker = Worker.objects.filter(cooperative=cooperative, email=email).first()
        if worker is None:
            worker = worker_hire(
                cooperative=cooperative, first_name=person.first, last_name=person.last, email=email,
                hire_date=today - timedelta(days=400 + (person.owner_since_days or 0)),
                classifications=[(by_code[person.code], 2 if person.owner_since_days else 1)], user=users.get(person.local),
            )
            if person.owner_since_days:
                _owner_history(worker, by_code[person.code], today - timedelta(days=person.owner_since_days))
        workers[person.local] = worker
    fresh = Worker.objects.in_bulk([w.pk for w in workers.values()])  # the status changes wrote other instances
    return {local: fresh[w.pk] for local, w in workers.items()}


def sweep(cooperative: Cooperative) -> None:
    """The nightly eligibility sweep over the seeded hours. Its welcome letters are kept on the
    candidacy (downloadable in the portal) rather than printed into the terminal that shows
    the demo logins (the console email backend prints every email, PDF and all)."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        eligibility_sweep(cooperative=cooperative, check_date=cooperative.today())


def _owner_history(worker: Worker, classification: JobClassification, owner_since: date) -> None:
    """Candidate, then worker-owner with the buy-in paid in full, as imported from before the platform."""
    status_change(worker=worker, to_status=MemberStatus.CANDIDATE, reason="Reached 350 hours (imported history)",
                  effective_on=owner_since - timedelta(days=60))
    status_change(worker=worker, to_status=MemberStatus.OWNER, reason="Agreement signed and equity paid (imported history)",
                  effective_on=owner_since)
    Worker.objects.filter(pk=worker.pk).update(owner_classification=classification)
    account = equity_account_open(worker=worker, plan=EquityAccount.Plan.FULL, start_on=owner_since)
    equity_payment_record(account=account, amount=account.buy_in, effective_on=owner_since,
                          reference=f"Imported: buy-in paid {owner_since:%b %d, %Y}")
