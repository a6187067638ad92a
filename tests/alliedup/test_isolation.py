"""No route lets a user of `alliedup` reach `nursescan`'s data.

The routes come from walking the URL resolver, so pages and API routes added later are
tested without editing this file. A route whose URL names an object must have an entry in
OBJECT_KWARGS (how to pick the outsider's object for that kwarg): the test fails until it
does, so no new object route goes unchecked.
"""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from alliedup.models import Role
from tests.conftest import OUTSIDER_MARKER
from tests.factories import AuditEventFactory, CooperativeRoleFactory, InvitationFactory, UserFactory
from django.core.files.base import ContentFile

from members.models import AgreementSignature, Candidacy, CredentialType, MembershipAgreement, WorkerCredential
from tests.members.factories import HoursEntryFactory, JobClassificationFactory, WorkerFactory
from tests.urlwalk import all_routes

COOP_KWARG = "coop_slug"

# kwarg name -> function(outsider objects) -> value naming an outsider's object.
OBJECT_KWARGS = {
    "token": lambda objs: objs["invitation"].token,
    "worker_uuid": lambda objs: objs["worker"].uuid,
    "candidacy_uuid": lambda objs: objs["candidacy"].uuid,
    "signature_uuid": lambda objs: objs["signature"].uuid,
    "credential_uuid": lambda objs: objs["credential"].uuid,
    # set-up: catalogue entries are named by their code, unique per co-op
    "classification_code": lambda objs: objs["classification"].code,
    "credential_code": lambda objs: objs["credential_type"].code,
    # placements: routes must name their objects with exactly these kwargs
    "client_uuid": lambda objs: objs["client"].uuid,
    "contact_uuid": lambda objs: objs["contact"].uuid,
    "contract_uuid": lambda objs: objs["contract"].uuid,
    "job_order_uuid": lambda objs: objs["job_order"].uuid,
    "shift_uuid": lambda objs: objs["shift"].uuid,
    "assignment_uuid": lambda objs: objs["assignment"].uuid,
    "timesheet_uuid": lambda objs: objs["timesheet"].uuid,
    "applicant_uuid": lambda objs: objs["applicant"].uuid,
    "invoice_uuid": lambda objs: objs["invoice"].uuid,
    "shift_change_uuid": lambda objs: objs["shift_change"].uuid,
    # payroll
    "agreement_uuid": lambda objs: objs["agreement"].uuid,
    "run_uuid": lambda objs: objs["run"].uuid,
    "statement_uuid": lambda objs: objs["statement"].uuid,
    "sick_request_uuid": lambda objs: objs["sick_request"].uuid,
    # payroll: patronage
    "allocation_uuid": lambda objs: objs["allocation"].uuid,
    "installment_uuid": lambda objs: objs["redemption_installment"].uuid,
    # governance
    "election_uuid": lambda objs: objs["election"].uuid,
    "resolution_uuid": lambda objs: objs["resolution"].uuid,
    "committee_uuid": lambda objs: objs["committee"].uuid,
    "document_uuid": lambda objs: objs["document"].uuid,
    "term_uuid": lambda objs: objs["term"].uuid,
}
# Kwargs of third-party routes that name no tenant object (allauth's one-time keys).
NON_TENANT_KWARGS = {"key": "not-a-real-key", "uidb36": "zz"}
# The Django admin is for platform operators only; test_admin_is_closed_to_cooperative_users covers it.
SKIPPED_NAMESPACES = {"admin"}

ROUTES = [r for r in all_routes() if r.namespace not in SKIPPED_NAMESPACES]
TENANT_ROUTES = [r for r in ROUTES if COOP_KWARG in r.kwargs and not r.public]
# Public pages of a co-op (the job board) are open to all; one co-op's must show none of another's data.
PUBLIC_ROUTES = [r for r in ROUTES if COOP_KWARG in r.kwargs and r.public]
TENANT_OBJECT_ROUTES = [r for r in TENANT_ROUTES if r.kwargs - {COOP_KWARG}]
GLOBAL_ROUTES = [r for r in ROUTES if COOP_KWARG not in r.kwargs]


@pytest.fixture
def outsider_objects(nursescan):
    """Rows of nursescan that carry the marker, so a leak shows up in any response."""
    with scopes_disabled():
        return _outsider_objects(nursescan)


def _outsider_objects(nursescan):
    classification = JobClassificationFactory(cooperative=nursescan, code="rn", name=OUTSIDER_MARKER)
    worker = WorkerFactory(cooperative=nursescan, first_name=OUTSIDER_MARKER, classifications=[classification])
    HoursEntryFactory(worker=worker, classification=classification, note=OUTSIDER_MARKER)
    candidacy = Candidacy.objects.create(
        cooperative=nursescan, worker=worker, classification=classification, opened_on=date(2026, 11, 1),
        deadline=date(2027, 1, 30), qualifying_hours="350.00",
    )
    agreement = MembershipAgreement.objects.create(
        cooperative=nursescan, version=1, title=OUTSIDER_MARKER, body=OUTSIDER_MARKER, effective_from=date(2026, 1, 1)
    )
    signature = AgreementSignature.objects.create(
        cooperative=nursescan, agreement=agreement, worker=worker, candidacy=candidacy, typed_name=OUTSIDER_MARKER,
        pdf=ContentFile(OUTSIDER_MARKER.encode(), name="outsider.pdf"),
    )
    credential_type = CredentialType.objects.create(cooperative=nursescan, code="bls", name=OUTSIDER_MARKER)
    credential = WorkerCredential.objects.create(
        cooperative=nursescan, worker=worker, credential_type=credential_type, number=OUTSIDER_MARKER,
        document=ContentFile(OUTSIDER_MARKER.encode(), name="outsider.pdf"),
    )
    return {
        **_outsider_placements(nursescan, classification, worker),
        **_outsider_payroll(nursescan, classification, worker),
        **_outsider_patronage(nursescan, worker),
        **_outsider_governance(nursescan, worker),
        "worker": worker,
        "classification": classification,
        "credential_type": credential_type,
        "credential": credential,
        "candidacy": candidacy,
        "signature": signature,
        "invitation": InvitationFactory(
            cooperative=nursescan, email=f"{OUTSIDER_MARKER.lower()}@example.com"
        ),
        "audit_event": AuditEventFactory(cooperative=nursescan, object_repr=OUTSIDER_MARKER),
        "role": CooperativeRoleFactory(
            cooperative=nursescan, user=UserFactory(full_name=OUTSIDER_MARKER), role=Role.WORKER
        ),
    }


def _outsider_placements(nursescan, classification, worker):
    from datetime import UTC, datetime

    from placements.models import Assignment, Client, ClientContract, JobOrder, Shift, Timesheet

    client = Client.objects.create(cooperative=nursescan, name=OUTSIDER_MARKER, contact_name=OUTSIDER_MARKER)
    contract = ClientContract.objects.create(cooperative=nursescan, client=client, reference=OUTSIDER_MARKER, starts_on=date(2026, 1, 1))
    job_order = JobOrder.objects.create(
        cooperative=nursescan, contract=contract, classification=classification, starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 2), shift_start="07:00", shift_end="15:00", notes=OUTSIDER_MARKER,
    )
    starts, ends = datetime(2026, 11, 2, 15, tzinfo=UTC), datetime(2026, 11, 2, 23, tzinfo=UTC)
    shift = Shift.objects.create(cooperative=nursescan, job_order=job_order, classification=classification, starts_at=starts, ends_at=ends)
    assignment = Assignment.objects.create(cooperative=nursescan, shift=shift, worker=worker, starts_at=starts, ends_at=ends)
    timesheet = Timesheet.objects.create(cooperative=nursescan, assignment=assignment, clock_in=starts, clock_out=ends)
    from placements.models import Applicant

    applicant = Applicant.objects.create(
        cooperative=nursescan, first_name=OUTSIDER_MARKER, last_name="X", email="applicant@example.com",
        resume=ContentFile(b"%PDF " + OUTSIDER_MARKER.encode(), name="cv.pdf"),
    )
    from placements.models import Invoice, InvoiceLine

    # Issued, so it would show wherever a client contact may look; the marker is its number.
    invoice = Invoice.objects.create(
        cooperative=nursescan, client=client, number=OUTSIDER_MARKER, period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30), status=Invoice.Status.ISSUED, total="100.00", paid_reference=OUTSIDER_MARKER,
    )
    InvoiceLine.objects.create(
        cooperative=nursescan, invoice=invoice, timesheet=timesheet, workday=date(2026, 11, 2), kind=InvoiceLine.Kind.REGULAR,
        classification=classification, worker_name=OUTSIDER_MARKER, hours="8.00", rate="12.5000", amount="100.00",
    )
    from placements.models import ClientContact

    contact = ClientContact.objects.create(cooperative=nursescan, client=client, name=OUTSIDER_MARKER, email="contact@example.com")
    from placements.models import ShiftChangeRequest

    shift_change = ShiftChangeRequest.objects.create(cooperative=nursescan, kind="drop", status="pending", assignment=assignment,
                                                     worker=worker, reason=OUTSIDER_MARKER)
    return {"client": client, "contract": contract, "job_order": job_order, "shift": shift, "assignment": assignment,
            "timesheet": timesheet, "applicant": applicant, "invoice": invoice, "contact": contact, "shift_change": shift_change}


def _outsider_payroll(nursescan, classification, worker):
    from payroll.models import (
        CollectiveAgreement, PayLine, PayPeriod, PayRun, PayStatement, SickLeaveRequest, WageStep, WageTable,
    )

    agreement = CollectiveAgreement.objects.create(
        cooperative=nursescan, name=OUTSIDER_MARKER, union=OUTSIDER_MARKER, starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31),
    )
    table = WageTable.objects.create(cooperative=nursescan, agreement=agreement, classification=classification,
                                     effective_from=date(2026, 1, 1), benchmark_note=OUTSIDER_MARKER)
    WageStep.objects.create(cooperative=nursescan, table=table, step=1, hourly_rate="12.3456")
    period = PayPeriod.objects.create(cooperative=nursescan, starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 14),
                                      pay_date=date(2026, 11, 20))
    run = PayRun.objects.create(cooperative=nursescan, period=period, status=PayRun.Status.APPROVED)
    PayLine.objects.create(cooperative=nursescan, run=run, worker=worker, workday=date(2026, 11, 2), kind=PayLine.Kind.ADJUSTMENT,
                           amount="98.76", description=OUTSIDER_MARKER, is_manual=True)
    statement = PayStatement.objects.create(cooperative=nursescan, run=run, worker=worker, hours_worked="8.00", gross="98.76")
    sick_request = SickLeaveRequest.objects.create(cooperative=nursescan, worker=worker, workday=date(2026, 11, 20), hours="8.00",
                                                   note=OUTSIDER_MARKER)
    return {"agreement": agreement, "run": run, "statement": statement, "sick_request": sick_request}


def _outsider_patronage(nursescan, worker):
    from patronage.models import CapitalAccountEntry, FiscalYear, PatronageAllocation, PatronageAllocationLine

    year = FiscalYear.objects.create(cooperative=nursescan, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
                                     status=FiscalYear.Status.ALLOCATED)
    # Issued, so its notices and 1099-PATR rows would show if a route leaked them.
    allocation = PatronageAllocation.objects.create(
        cooperative=nursescan, fiscal_year=year, status=PatronageAllocation.Status.ISSUED, net_earnings="1000.00",
        earnings_source=OUTSIDER_MARKER, reserve_percent="10.00", reserve_decided_by=OUTSIDER_MARKER, basis="hours",
        cash_percent="20.00", reserve="100.00", pool="900.00", total_units="8.00",
    )
    line = PatronageAllocationLine.objects.create(cooperative=nursescan, allocation=allocation, worker=worker, units="8.00",
                                                  allocated="900.00", cash="180.00", retained="720.00")
    CapitalAccountEntry.objects.create(cooperative=nursescan, worker=worker, kind=CapitalAccountEntry.Kind.PATRONAGE, amount="720.00",
                                       effective_on=date(2025, 12, 31), reference=OUTSIDER_MARKER, note=OUTSIDER_MARKER,
                                       allocation_line=line)
    from members.models import MemberStatusChange
    from patronage.models import RedemptionInstallment, RedemptionSchedule

    change = MemberStatusChange.objects.create(cooperative=nursescan, worker=worker, from_status="owner", to_status="withdrawn",
                                               effective_on=date(2026, 6, 1), reason=OUTSIDER_MARKER)
    schedule = RedemptionSchedule.objects.create(
        cooperative=nursescan, worker=worker, reason="withdrawal", effective_on=date(2026, 6, 1), owner_since=date(2025, 1, 1),
        status_change=change, equity_paid="250.00", capital_balance="720.00", equity_due="250.00", capital_due="720.00",
    )
    installment = RedemptionInstallment.objects.create(cooperative=nursescan, schedule=schedule, number=1, part="equity",
                                                       due_on=date(2026, 8, 30), amount="250.00")
    return {"fiscal_year": year, "allocation": allocation, "allocation_line": line, "redemption_installment": installment}


def _outsider_governance(nursescan, worker):
    from datetime import UTC, datetime

    from governance.models import BoardSeat, BoardTerm, Committee, CommitteeMember, Election, GovernanceDocument, Resolution

    # Counted, so results, published ballots and PDFs would show the marker if a route leaked them.
    window = dict(voting_opens_at=datetime(2026, 10, 1, tzinfo=UTC), voting_closes_at=datetime(2026, 10, 2, tzinfo=UTC),
                  record_date=date(2026, 9, 1), status="closed", result={"names": {"1": OUTSIDER_MARKER}, "on_roll": 1, "voted": 1})
    election = Election.objects.create(cooperative=nursescan, title=OUTSIDER_MARKER, description=OUTSIDER_MARKER,
                                       nominations_open_at=datetime(2026, 9, 1, tzinfo=UTC), nominations_close_at=datetime(2026, 9, 2, tzinfo=UTC),
                                       **window)
    resolution = Resolution.objects.create(cooperative=nursescan, title=OUTSIDER_MARKER, text=OUTSIDER_MARKER, **window)
    seat = BoardSeat.objects.create(cooperative=nursescan, name=OUTSIDER_MARKER, kind="worker_owner")
    term = BoardTerm.objects.create(cooperative=nursescan, seat=seat, holder_name=OUTSIDER_MARKER, worker=worker,
                                    starts_on=date(2026, 1, 1), source="appointed")
    committee = Committee.objects.create(cooperative=nursescan, name=OUTSIDER_MARKER, kind="lmc", equal_representation=True)
    CommitteeMember.objects.create(cooperative=nursescan, committee=committee, name=OUTSIDER_MARKER, side="workers",
                                   starts_on=date(2026, 1, 1))
    document = GovernanceDocument.objects.create(cooperative=nursescan, kind="budget", title=OUTSIDER_MARKER, is_public=True,
                                                 file=ContentFile(b"%PDF " + OUTSIDER_MARKER.encode(), name="budget.pdf"))
    return {"election": election, "resolution": resolution, "term": term, "committee": committee, "document": document}


@pytest.fixture
def insider(alliedup):
    """An alliedup user holding every role there, so no page is closed to them for role."""
    user = UserFactory(email="everything@alliedup.example.com")
    for role in Role.values:
        CooperativeRoleFactory(cooperative=alliedup, user=user, role=role)
    return user


def _kwargs(route, slug, objects):
    values = {COOP_KWARG: slug}
    for name in route.kwargs - {COOP_KWARG}:
        if name in OBJECT_KWARGS:
            values[name] = OBJECT_KWARGS[name](objects)
        elif name in NON_TENANT_KWARGS and COOP_KWARG not in route.kwargs:
            values[name] = NON_TENANT_KWARGS[name]
        else:
            pytest.fail(
                f"Route {route.name} ({route.route}) has kwarg {name!r}: add to OBJECT_KWARGS "
                "how to pick the outsider's object for it."
            )
    if COOP_KWARG not in route.kwargs:
        values.pop(COOP_KWARG)
    return values


def _assert_no_leak(response, route, method):
    body = response.content.decode(errors="replace").lower()
    assert OUTSIDER_MARKER.lower() not in body, f"{method} {route.name} leaked outsider data"
    assert response.status_code < 500, f"{method} {route.name} answered {response.status_code}"


def _assert_refused(client, url, route):
    """GET and POST are each refused (403/404) or not offered (405, decided before any
    lookup); at least one of them must reach the view, so the route is really tested."""
    statuses = []
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404, 405), f"{method.upper()} {url} -> {response.status_code}"
        _assert_no_leak(response, route, method.upper())
        statuses.append(response.status_code)
    assert statuses != [405, 405], f"{url} answers neither GET nor POST"


def test_every_route_is_named():
    unnamed = [r.route for r in ROUTES if r.name is None]
    assert not unnamed, f"Name these routes so the isolation tests can reverse them: {unnamed}"


def test_the_walk_finds_the_tenant_routes():
    """A guard on the walker itself: it must see pages and API routes of the tenant."""
    names = {r.name for r in TENANT_ROUTES}
    assert {"staff_home", "worker_home", "team", "audit_trail", "api_me", "api_audit_events"} <= names


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: r.name)
def test_outsider_cooperative_is_refused_on_every_tenant_route(route, insider, outsider_objects, login):
    _assert_refused(login(insider), reverse(route.name, kwargs=_kwargs(route, "nursescan", outsider_objects)), route)


@pytest.mark.parametrize("route", TENANT_OBJECT_ROUTES, ids=lambda r: r.name)
def test_outsider_object_under_own_cooperative_is_not_found(route, insider, outsider_objects, login):
    _assert_refused(login(insider), reverse(route.name, kwargs=_kwargs(route, "alliedup", outsider_objects)), route)


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=lambda r: r.name)
def test_a_public_page_of_one_cooperative_shows_none_of_anothers_data(route, insider, outsider_objects, client):
    url = reverse(route.name, kwargs=_kwargs(route, "alliedup", outsider_objects))
    for response in (client.get(url), client.post(url)):
        _assert_no_leak(response, route, "GET/POST")


def test_the_walk_finds_the_public_job_board():
    # The one-click unsubscribe link of emails (signed token, no sign-in): tests/notifications/test_unsubscribe.py.
    assert {r.name for r in PUBLIC_ROUTES} == {"jobs:board", "notifications:unsubscribe"}


@pytest.mark.parametrize("route", GLOBAL_ROUTES, ids=lambda r: r.name)
def test_routes_outside_any_cooperative_show_no_outsider_data(route, insider, outsider_objects, login):
    client = login(insider)
    url = reverse(route.name, kwargs=_kwargs(route, None, outsider_objects))
    _assert_no_leak(client.get(url), route, "GET")


def test_admin_is_closed_to_cooperative_users(insider, login):
    response = login(insider).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_unknown_cooperative_is_a_404_page_and_a_json_404(insider, login):
    client = login(insider)
    page = client.get("/c/no-such-coop/staff/")
    assert page.status_code == 404 and b"Page not found" in page.content
    api = client.get("/api/v1/c/no-such-coop/me/")
    assert api.status_code == 404 and api.json() == {"detail": "No cooperative with that slug."}


def test_no_role_is_a_403_with_a_way_back(insider, nursescan, login):
    response = login(insider).get("/c/nursescan/staff/")
    assert response.status_code == 403
    assert b"no role in this cooperative" in response.content
    assert b'href="/"' in response.content
