"""Demo rows of placements for `seed_demo` (idempotent: found by name first)."""

from datetime import date, time, timedelta

from django.utils import timezone

from alliedup.models import Cooperative, User
from members.models import CredentialType, JobClassification, Worker, WorkerCredential
from placements.models import Client, ClientContact, Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_submit

# (classification, regular bill rate): the MA rate is deliberately low, a client paying
# less than the CBA wage (payroll's wage-protection report will show what the co-op absorbs).
RATES = [("ma", "31.0000"), ("cna", "34.5000"), ("lvn", "52.0000"), ("rn", "88.0000")]


def seed(cooperative: Cooperative, client_user: User | None) -> None:
    if Client.objects.filter(cooperative=cooperative, name="Eastbay Skilled Nursing").exists():
        return
    today = cooperative.today()
    by_code = {c.code: c for c in JobClassification.objects.filter(cooperative=cooperative)}
    client = client_create(cooperative=cooperative, name="Eastbay Skilled Nursing", address="2100 Telegraph Ave, Oakland, CA",
                           contact_name="Dana Whitfield", contact_email="dwhitfield@eastbay.example.com")
    if client_user is not None:
        ClientContact.objects.create(cooperative=cooperative, client=client, user=client_user)
    contract = contract_create(client=client, reference=f"ESN-{today.year}", starts_on=date(today.year, 1, 1))
    for code, rate in RATES:
        bill_rate_set(contract=contract, classification=by_code[code], effective_from=contract.starts_on, regular_rate=rate)
    job_order_create(contract=contract, classification=by_code["ma"], starts_on=today - timedelta(days=1),
                     ends_on=today + timedelta(days=7), shift_start=time(7, 0), shift_end=time(15, 30), headcount=2,
                     notes="Outpatient clinic, 2nd floor. Ask for the charge nurse.")
    job_order_create(contract=contract, classification=by_code["lvn"], starts_on=today + timedelta(days=1),
                     ends_on=today + timedelta(days=5), shift_start=time(19, 0), shift_end=time(7, 0))
    maria = Worker.objects.filter(cooperative=cooperative, email__startswith="worker@").first()
    if maria is None:
        return
    for code in ("bls", "tb-test"):
        WorkerCredential.objects.get_or_create(
            cooperative=cooperative, worker=maria, credential_type=CredentialType.objects.get(cooperative=cooperative, code=code),
            defaults={"number": f"{code.upper()}-{maria.pk:05d}", "expires_on": today + timedelta(days=20 if code == "tb-test" else 400)},
        )
    yesterday = Shift.objects.filter(cooperative=cooperative, job_order__contract=contract, classification=by_code["ma"]).order_by("starts_at").first()
    assignment = shift_assign(shift=yesterday, worker=maria)
    local = yesterday.starts_at.astimezone(client.zone)
    clock_in = local.replace(hour=6, minute=58)
    clock_out = local.replace(hour=15, minute=34)
    if clock_out < timezone.now():
        timesheet_submit(assignment=assignment, clock_in=clock_in, clock_out=clock_out, break_minutes=30)
