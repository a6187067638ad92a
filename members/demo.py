"""Demo rows of the ownership path for `seed_demo` (idempotent: found by email first)."""

from datetime import date, timedelta
from decimal import Decimal

from django.test.utils import override_settings

from alliedup.models import Cooperative, User
from members.models import HoursEntry, JobClassification, MembershipAgreement, Worker
from members.services.agreement import agreement_publish
from members.services.candidacy import eligibility_sweep
from members.services.hours import hours_post
from members.services.status import status_change
from members.services.workers import classifications_seed_defaults, worker_hire

# (first, last, email local part, classification, hours in the last year, shift length)
DEMO_WORKERS = [
    ("Maria", "Alvarez", "worker", "ma", Decimal("312.00"), Decimal("8.00")),  # the demo login: near 350
    ("Rosa", "Delgado", "rosa", "lvn", Decimal("356.00"), Decimal("8.00")),  # reaches 350: candidate
    ("James", "Okafor", "james", "rn", Decimal("240.00"), Decimal("12.00")),
    ("Lena", "Park", "lena", "phlebotomist", Decimal("120.00"), Decimal("8.00")),
]


AGREEMENT_TEXT = """\
I join {name} as a worker-owner. I will take part in the life of the cooperative: its meetings, its elections and its committees, with one vote like every other owner.

I buy one membership share at the price the bylaws set, paid at once, in installments, or waived for hardship by decision of the staff.

I understand that the cooperative allocates its net earnings from member business to worker-owners in proportion to their patronage, that part of each allocation is retained in my capital account, and I consent to include allocations in my income as the tax law requires.

I keep my status by working at least the hours a year the bylaws set in my job classification. If my status lapses or I leave, my equity and capital account are redeemed as the bylaws set out."""


def seed(cooperative: Cooperative, worker_user: User | None) -> None:
    classifications_seed_defaults(cooperative=cooperative)
    if not MembershipAgreement.objects.filter(cooperative=cooperative).exists():
        agreement_publish(cooperative=cooperative, title="Membership agreement", body=AGREEMENT_TEXT.format(name=cooperative.name),
                          effective_from=cooperative.today() - timedelta(days=365), published_by=None)
    by_code = {c.code: c for c in JobClassification.objects.filter(cooperative=cooperative)}
    today = cooperative.today()
    for first, last, local, code, hours, shift in DEMO_WORKERS:
        email = worker_user.email if local == "worker" and worker_user else f"{local}@{cooperative.slug}.example.com"
        worker = Worker.objects.filter(cooperative=cooperative, email=email).first()
        if worker is None:
            worker = worker_hire(
                cooperative=cooperative, first_name=first, last_name=last, email=email,
                hire_date=today - timedelta(days=400), classifications=[(by_code[code], 1)],
                user=worker_user if local == "worker" else None,
            )
        if not HoursEntry.objects.filter(worker=worker).exists():
            _post_shifts(worker, by_code[code], hours, shift, today)
    # Demo letters are kept on the candidacy (downloadable in the portal) rather than
    # printing a PDF's base64 into the terminal that shows the demo logins.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        eligibility_sweep(cooperative=cooperative, check_date=today)
    _demo_owner(cooperative, by_code["cna"], today)


def _post_shifts(worker: Worker, classification: JobClassification, total: Decimal, shift: Decimal, today: date) -> None:
    day, left, n = today - timedelta(days=1), total, 0
    while left > 0:
        if day.weekday() < 5:  # weekdays only, like a regular schedule
            chunk = min(shift, left)
            hours_post(worker=worker, classification=classification, workday=day, hours=chunk,
                       source=HoursEntry.Source.IMPORT, source_ref=f"demo-{worker.pk}-{n}")
            left -= chunk
            n += 1
        day -= timedelta(days=1)


def _demo_owner(cooperative: Cooperative, cna: JobClassification, today: date) -> None:
    email = f"owner@{cooperative.slug}.example.com"
    if Worker.objects.filter(cooperative=cooperative, email=email).exists():
        return
    worker = worker_hire(cooperative=cooperative, first_name="Grace", last_name="Mensah", email=email,
                         hire_date=today - timedelta(days=900), classifications=[(cna, 2)])
    status_change(worker=worker, to_status="candidate", reason="Reached 350 hours (imported history)", effective_on=today - timedelta(days=300))
    status_change(worker=worker, to_status="owner", reason="Agreement signed and equity paid (imported history)", effective_on=today - timedelta(days=220))
