"""Each role's home (insights/views/home.py): the staff home's counts of what waits, its cost,
and the worker home's rules of the co-op. (The homes on the demo's data: tests/seeding/test_demo.py;
the set-up checklist on the staff home: tests/onboarding/test_coop_setup.py.)"""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from alliedup.models import Role
from payroll.models import SickLeaveRequest
from tests.factories import AuditEventFactory, CooperativeRoleFactory, InvitationFactory
from tests.members.factories import WorkerFactory

STAFF_HOME = "/c/alliedup/staff/"


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def test_staff_home_query_count_does_not_grow_with_data(alliedup, alliedup_users, login):
    client = login(alliedup_users["admin"])
    CooperativeRoleFactory(cooperative=alliedup, role=Role.WORKER)
    AuditEventFactory(cooperative=alliedup, actor=alliedup_users["admin"])
    InvitationFactory(cooperative=alliedup, invited_by=alliedup_users["admin"])
    small = _queries(client, STAFF_HOME)
    for _ in range(30):
        CooperativeRoleFactory(cooperative=alliedup, role=Role.WORKER)
        AuditEventFactory(cooperative=alliedup, actor=alliedup_users["admin"])
        InvitationFactory(cooperative=alliedup, invited_by=alliedup_users["admin"])
    assert _queries(client, STAFF_HOME) == small
    # The staff home also counts what waits for an admin (timesheets, corrected hours to
    # invoice, sick leave requests, runs to approve, shift drops and swaps): a few fixed queries more.
    assert small <= 14


def test_worker_home_shows_the_cooperatives_own_rules(alliedup, alliedup_users, login):
    alliedup.candidacy_hours_threshold = 400
    alliedup.save()
    response = login(alliedup_users["worker"]).get("/c/alliedup/me/")
    assert b"400 hours in one job classification" in response.content
    assert b"$250.00" in response.content


def test_staff_home_lists_what_waits_for_each_role(alliedup, alliedup_users, login, django_assert_max_num_queries):
    admin, coordinator = login(alliedup_users["admin"]), login(alliedup_users["coordinator"])
    assert "Waiting for you" not in admin.get("/c/alliedup/staff/").content.decode()
    with scope(cooperative=alliedup):
        worker = WorkerFactory(cooperative=alliedup)
        SickLeaveRequest.objects.create(cooperative=alliedup, worker=worker, workday=date(2026, 11, 20), hours=Decimal("8"))
    with django_assert_max_num_queries(16):
        text = admin.get("/c/alliedup/staff/").content.decode()
    assert "Waiting for you" in text and "Sick leave requests</a>: <strong>1</strong>" in text
    # Coordinators do not decide sick leave: nothing waits for them.
    assert "Sick leave requests" not in coordinator.get("/c/alliedup/staff/").content.decode()
