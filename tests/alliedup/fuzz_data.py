"""A cooperative with realistic data in every app, for the API fuzz test (test_api_fuzz.py).

`make run`'s demo data (seeding.demo.seed: workers with hours, candidates and
worker-owners, a client with a contract and shifts, timesheets, a CBA, pay runs, ...), plus
what it may leave out, found first and added only when missing: an issued and a draft
invoice, votes in each state, a board term, a committee, a document, an issued patronage
allocation, an applicant, a client contact, a sick leave request. Rows are written through
the services, as the app writes them, except two "legacy" rows stored before today's code (a
count lacking keys, an issued allocation without `issued_at`) that the API must still answer
without a 500.

`build()` returns {path parameter name: [uuid or code, ...]}: the fuzz test fixes each object
path parameter to these (objects in different states, a few each) so requests reach real
objects, not 404s.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope

from alliedup import services as coop_services
from alliedup.models import Cooperative, Role, User
from governance.models import BoardTerm, Committee, Election
from governance.services import board, committees, documents, voting
from members.models import Candidacy, HoursEntry, MemberStatus, Worker
from members.services.hours import hours_post
from members.services.status import status_change
from payroll.models import CollectiveAgreement, PayRun, PayStatement, SickLeaveRequest
from patronage.models import FiscalYear, PatronageAllocation, PatronageAllocationLine
from patronage.services import allocations as patronage
from patronage.services.exit import ownership_exit
from payroll.services.runs_calculate import payrun_calculate
from placements.models import Assignment, Client, ClientContact, ClientContract, Invoice, Shift, Timesheet
from placements.services.applicants import application_submit
from placements.services.contacts import client_contact_invite
from placements.services.invoices import invoice_create, invoice_issue
from placements.services.timesheets import timesheet_approve, timesheet_correct
from seeding import demo

# A Wednesday evening in Oakland; the fuzz test runs with the clock here.
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PER_PARAMETER = 4  # objects per path parameter: each costs the fuzz test a strategy per operation
FISCAL_YEAR = (date(2025, 11, 1), date(2026, 10, 31))  # ended before NOW: it can be allocated


def _one_per_status(queryset, statuses) -> list:
    """The uuid of the first object in each of `statuses` that has one."""
    found = (queryset.filter(status=s).values_list("uuid", flat=True).first() for s in statuses)
    return [u for u in found if u is not None]


def _windows(now, *, opens: timedelta, closes: timedelta, nominations=True) -> dict:
    windows = dict(voting_opens_at=now + opens, voting_closes_at=now + closes,
                   record_date=timezone.localdate(now + opens) - timedelta(days=7))
    if nominations:
        windows.update(nominations_open_at=now + opens - timedelta(days=10), nominations_close_at=now + opens - timedelta(days=2))
    return windows


def _counted(vote, ballots):
    """Cast `ballots` [(worker, choices)] in an open vote, end its window and count it."""
    for worker, choices in ballots:
        voting.ballot_cast(vote=vote, worker=worker, choices=choices)
    type(vote).objects.filter(pk=vote.pk).update(voting_closes_at=timezone.now() - timedelta(seconds=1))
    vote.refresh_from_db()
    return voting.vote_count(vote=vote)


def _governance(coop: Cooperative, owners: list[Worker]) -> dict:
    now = timezone.now()
    term = BoardTerm.objects.filter(ends_on__isnull=True).order_by("starts_on").first()
    if term is None:
        seat = board.seat_create(cooperative=coop, name="Worker-owner seat 1", kind="worker_owner")
        term = board.term_add(seat=seat, holder_name=str(owners[0]), worker=owners[0], starts_on=date(2026, 1, 1), source="appointed")
    lmc = Committee.objects.filter(kind="lmc").first()
    if lmc is None:
        lmc = committees.committee_create(cooperative=coop, name="Labor-Management Committee", kind="lmc", equal_representation=True)
        member = committees.committee_member_add(committee=lmc, side="workers", worker=owners[0], chosen_by_peers=True,
                                                 starts_on=date(2026, 1, 1))
        committees.committee_member_add(committee=lmc, side="management", name="Dana Whitfield", starts_on=date(2026, 1, 1))
        committees.meeting_record(committee=lmc, held_on=date(2026, 10, 5), agenda="Wage tables", minutes="Agreed.", attendees=[member])
    budget = documents.document_publish(cooperative=coop, kind="budget", title="Budget 2027", is_public=True,
                                        file=ContentFile(PDF, name="budget-2027.pdf"))

    def election(title, **windows):
        e = voting.election_create(cooperative=coop, title=title, number_of_seats=1, method="plurality", **windows)
        return e, [voting.candidate_nominate(election=e, worker=w, statement=f"I am {w.first_name}.") for w in owners]

    open_now = _windows(now, opens=-timedelta(hours=1), closes=timedelta(days=1))
    counted, candidates = election("Officers' election", **open_now)
    counted = _counted(voting.voting_open(vote=counted), [(owners[0], [candidates[1].uuid]), (owners[1], [candidates[1].uuid])])
    voting_now, _ = election("Vacant seat", **open_now)  # the admin's worker-owner has not voted in it
    voting.voting_open(vote=voting_now)
    draft, _ = election("Officers 2027", **_windows(now, opens=timedelta(days=20), closes=timedelta(days=21)))
    # Counted before the count stored turnout and quorum: the API must not fail on it.
    legacy = Election.objects.create(cooperative=coop, title="Board election 2024", status="closed", result={"on_roll": 3, "voted": 2},
                                     **_windows(now, opens=-timedelta(days=700), closes=-timedelta(days=699)))

    def resolution(title, **windows):
        return voting.voting_open(vote=voting.resolution_create(cooperative=coop, title=title, text=f"Resolved: {title}.", **windows))

    res_windows = _windows(now, opens=-timedelta(hours=1), closes=timedelta(days=1), nominations=False)
    adopted = _counted(resolution("Adopt the reserve policy", **res_windows), [(owners[0], "yes"), (owners[1], "yes")])
    open_resolution = resolution("Amend article 4", **res_windows)
    return {
        "term_uuid": [term.uuid], "committee_uuid": [lmc.uuid], "document_uuid": [budget.uuid],
        "election_uuid": [counted.uuid, voting_now.uuid, draft.uuid, legacy.uuid],
        "resolution_uuid": [adopted.uuid, open_resolution.uuid],
    }


def _patronage(coop: Cooperative, admin: User, owners: list[Worker]) -> dict:
    if not HoursEntry.objects.filter(worker=owners[0], workday__range=FISCAL_YEAR).exists():
        classification = owners[0].classifications.first()
        for day in range(1, 21):
            hours_post(worker=owners[0], classification=classification, workday=date(2026, 9, day), hours=Decimal("8.00"),
                       source=HoursEntry.Source.IMPORT, source_ref=f"fuzz-{day}")
    issued = PatronageAllocation.objects.filter(status=PatronageAllocation.Status.ISSUED, issued_at__isnull=False).first()
    if issued is None:
        year = patronage.fiscal_year_create(cooperative=coop, starts_on=FISCAL_YEAR[0], ends_on=FISCAL_YEAR[1])
        allocation = patronage.allocation_draft(fiscal_year=year, net_earnings="25000.00", earnings_source="Audited statements FY2026",
                                                reserve_percent="10", reserve_decided_by="Board resolution 2026-03")
        allocation = patronage.allocation_approve(allocation=allocation, approved_by=admin)
        issued = patronage.allocation_issue(allocation=patronage.allocation_issue_request(allocation=allocation, requested_by=admin))
    # Issued before `issued_at` was recorded: the 1099-PATR export must still answer.
    old_year = FiscalYear.objects.create(cooperative=coop, starts_on=date(2019, 1, 1), ends_on=date(2019, 12, 31),
                                         status=FiscalYear.Status.ALLOCATED)
    legacy = PatronageAllocation.objects.create(
        cooperative=coop, fiscal_year=old_year, status=PatronageAllocation.Status.ISSUED, net_earnings="1000.00",
        earnings_source="2019 statements", reserve_percent="10.00", reserve_decided_by="Board", basis="hours",
        cash_percent="20.00", reserve="100.00", pool="900.00", total_units="8.00",
    )
    PatronageAllocationLine.objects.create(cooperative=coop, allocation=legacy, worker=owners[0], units="8.00",
                                           allocated="900.00", cash="180.00", retained="720.00")
    return {"allocation_uuid": [issued.uuid, legacy.uuid]}


def _invoices(client: Client, admin: User) -> list:
    """An issued and a draft invoice: the demo's, or billed here from a timesheet the client
    approves now (issued), then corrected (a missed punch: the next draft bills the difference)."""
    statuses = [Invoice.Status.DRAFT, Invoice.Status.ISSUED, Invoice.Status.PAID, Invoice.Status.VOID]
    if {Invoice.Status.DRAFT, Invoice.Status.ISSUED} - set(Invoice.objects.values_list("status", flat=True)):
        timesheet = Timesheet.objects.filter(status=Timesheet.Status.SUBMITTED, assignment__shift__job_order__contract__client=client
                                             ).order_by("clock_in").first()
        timesheet_approve(timesheet=timesheet, approved_by=admin)
        workday = timezone.localdate(timesheet.clock_in, client.zone)
        period = dict(client=client, period_start=workday - timedelta(days=6), period_end=workday)
        invoice_issue(invoice=invoice_create(**period))
        timesheet_correct(timesheet=timesheet, clock_in=timesheet.clock_in - timedelta(minutes=15), clock_out=timesheet.clock_out,
                          break_minutes=timesheet.break_minutes, reason="Missed punch at the start", corrected_by=admin)
        invoice_create(**period)
    return _one_per_status(Invoice.objects.all(), statuses)


def _placements(coop: Cooperative, admin: User) -> dict:
    client = Client.objects.filter(name="Eastbay Skilled Nursing").first() or Client.objects.order_by("pk").first()
    demo_contact = ClientContact.objects.filter(client=client, user__isnull=False).first()  # the demo's client login
    ClientContact.objects.get_or_create(cooperative=coop, client=client, user=admin)
    # A contact invited but not signed in yet (the fuzz may remove either, never the admin's).
    invited = client_contact_invite(client=client, email="dana@eastbay.example.com", name="Dana Whitfield", invited_by=admin)
    invoices = _invoices(client, admin)
    applicant = application_submit(cooperative=coop, first_name="Ana", last_name="Reyes", email="ana@example.com",
                                   resume=ContentFile(PDF, name="resume.pdf"), message="Ten years as an MA.")
    return {
        "client_uuid": [client.uuid], "contract_uuid": list(ClientContract.objects.values_list("uuid", flat=True)),
        "shift_uuid": _one_per_status(Shift.objects.order_by("-starts_at"), Shift.Status.values),
        "assignment_uuid": _one_per_status(Assignment.objects.order_by("-starts_at"), Assignment.Status.values),
        "timesheet_uuid": _one_per_status(Timesheet.objects.order_by("-clock_in"), Timesheet.Status.values),
        "invoice_uuid": invoices, "applicant_uuid": [applicant.uuid],
        "contact_uuid": [invited.uuid] + ([demo_contact.uuid] if demo_contact else []),
    }


def _shift_changes(coop: Cooperative, owner: Worker) -> dict[str, list]:
    """A drop request of the owner's next shift past the cut-off (waiting for a coordinator),
    and a swap a co-worker offers the owner (waiting for them: the admin's /me/ routes accept
    or turn it down)."""
    from placements.services.matching import shift_assign, shift_candidates, worker_reasons
    from placements.services.shift_changes import shift_drop_request, shift_swap_offer

    after_cutoff = timezone.now() + timedelta(hours=coop.shift_change_cutoff_hours, minutes=5)
    mine = Assignment.objects.filter(worker=owner, status=Assignment.Status.CONFIRMED, starts_at__gt=after_cutoff).order_by("starts_at")
    changes = []
    if (first := mine.first()) is not None:
        changes.append(shift_drop_request(assignment=first, worker=owner, reason="Family event"))
    classifications = owner.worker_classifications.values_list("classification_id", flat=True)
    for shift in Shift.objects.filter(status=Shift.Status.OPEN, classification_id__in=classifications,
                                      starts_at__gt=after_cutoff).order_by("starts_at")[:10]:
        if worker_reasons(shift, owner):
            continue
        coworker = next((c.worker for c in shift_candidates(shift)[0] if c.worker.pk != owner.pk), None)
        if coworker is not None:
            assignment = shift_assign(shift=shift, worker=coworker)
            changes.append(shift_swap_offer(assignment=assignment, worker=coworker, to_worker=owner, reason="Can you cover?"))
            break
    return {"shift_change_uuid": [c.uuid for c in changes]}


def _owners(coop: Cooperative, admin: User) -> list[Worker]:
    """Two worker-owners, the first linked to the admin's account (so the /me/ routes answer):
    the demo's owner login's record, or one more promoted from candidate."""
    owner = Worker.objects.get(email="owner@alliedup.example.com")
    Worker.objects.filter(pk=owner.pk).update(user=admin)
    other = Worker.objects.filter(status=MemberStatus.OWNER).exclude(pk=owner.pk).order_by("pk").first()
    if other is None:
        other = Worker.objects.get(email="rosa@alliedup.example.com")  # a candidate in the demo
        status_change(worker=other, to_status=MemberStatus.OWNER, reason="Agreement signed, equity paid", effective_on=date(2026, 1, 5))
    return [Worker.objects.get(pk=owner.pk), Worker.objects.get(pk=other.pk)]


def _redemption(coop: Cooperative, admin: User, owners: list[Worker]) -> dict[str, list]:
    """A worker-owner who left: their redemption schedule's installments (equity and capital)."""
    leaving = Worker.objects.filter(status=MemberStatus.OWNER).exclude(pk__in=[o.pk for o in owners]).order_by("pk").first()
    schedule = ownership_exit(worker=leaving, reason="withdrawal", effective_on=coop.today(), recorded_by=admin)
    return {"installment_uuid": list(schedule.installments.values_list("uuid", flat=True))}


def build() -> tuple[Cooperative, User, dict[str, list]]:
    """Seed; return the co-op, its admin (also a worker-owner, board member and client
    contact, so the /me/ and client routes answer too) and the objects to fuzz with."""
    demo.seed()
    coop = Cooperative.objects.get(slug="alliedup")
    admin = User.objects.get(email="admin@alliedup.example.com")
    with scope(cooperative=coop):
        for role in (Role.WORKER, Role.BOARD, Role.CLIENT):
            coop_services.role_grant(cooperative=coop, user=admin, role=role)
        owners = _owners(coop, admin)
        # Written directly: a worker may have accrued no sick leave yet, and the service refuses then.
        sick = SickLeaveRequest.objects.create(cooperative=coop, worker=owners[0], workday=timezone.localdate() + timedelta(days=9),
                                               hours="4.00", note="Dentist")
        placements = _placements(coop, admin)
        shift_changes = _shift_changes(coop, owners[0])
        if not PayStatement.objects.exists():  # the approved timesheet is paid by the open run
            payrun_calculate(run=PayRun.objects.order_by("-period__starts_on").first())
        statements = PayStatement.objects.order_by("-run__period__starts_on")
        uuids = {
            "classification_code": ["ma", "cna"], "credential_code": ["bls", "tb-test"],
            "worker_uuid": [owners[0].uuid, Worker.objects.get(email="worker@alliedup.example.com").uuid],
            "candidacy_uuid": list(Candidacy.objects.values_list("uuid", flat=True)),
            "agreement_uuid": list(CollectiveAgreement.objects.values_list("uuid", flat=True)),
            "run_uuid": _one_per_status(PayRun.objects.order_by("-period__starts_on"), PayRun.Status.values),
            "statement_uuid": [*statements.filter(worker=owners[0]).values_list("uuid", flat=True)[:1],
                               *statements.exclude(worker=owners[0]).values_list("uuid", flat=True)[:1]],
            "sick_request_uuid": [sick.uuid],
            **placements,
            **shift_changes,
            **_governance(coop, owners),
            **_patronage(coop, admin, owners),
            **_redemption(coop, admin, owners),
        }
    empty = [name for name, values in uuids.items() if not values]
    assert not empty, f"the fuzz data has no objects for {empty}"
    return coop, admin, {name: [str(u) for u in values[:PER_PARAMETER]] for name, values in uuids.items()}
