import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliedup.models import CooperativeRole, Invitation, Role
from tests.factories import AuditEventFactory, CooperativeRoleFactory, InvitationFactory, UserFactory
from tests.members.factories import WorkerFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize("url", ["/c/alliedup/team/", "/c/alliedup/audit/"])
def test_staff_pages_query_count_does_not_grow_with_data(url, alliedup, alliedup_users, login):
    client = login(alliedup_users["admin"])
    CooperativeRoleFactory(cooperative=alliedup, role=Role.WORKER)
    AuditEventFactory(cooperative=alliedup, actor=alliedup_users["admin"])
    InvitationFactory(cooperative=alliedup, invited_by=alliedup_users["admin"])
    small = _queries(client, url)
    for _ in range(30):
        CooperativeRoleFactory(cooperative=alliedup, role=Role.WORKER)
        AuditEventFactory(cooperative=alliedup, actor=alliedup_users["admin"])
        InvitationFactory(cooperative=alliedup, invited_by=alliedup_users["admin"])
    assert _queries(client, url) == small
    assert small <= 12


def test_admin_invites_through_the_team_page(alliedup, alliedup_users, login, in_scope, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with in_scope(alliedup):  # a worker is invited through their employee record
        worker = WorkerFactory(cooperative=alliedup, email="rn@example.com")
    client = login(alliedup_users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/c/alliedup/team/", {"email": "rn@example.com", "role": "worker"})
    assert response.status_code == 302
    with in_scope(alliedup):
        assert Invitation.objects.filter(email="rn@example.com", worker=worker).exists()
    assert len(mail.outbox) == 1  # eager Celery in tests: the on_commit hook ran the send


def test_bad_invitation_form_is_a_400_with_errors_and_nothing_written(alliedup, alliedup_users, login, in_scope):
    client = login(alliedup_users["admin"])
    response = client.post("/c/alliedup/team/", {"email": "nope", "role": "worker"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert b"<html" not in response.content  # the htmx fragment, not the page
    with in_scope(alliedup):
        assert not Invitation.objects.exists()


def test_coordinator_cannot_invite(alliedup_users, login):
    response = login(alliedup_users["coordinator"]).post("/c/alliedup/team/", {"email": "a@example.com", "role": "admin"})
    assert response.status_code == 403


def test_invitee_accepts_and_enters(alliedup, login, in_scope):
    invitation = InvitationFactory(cooperative=alliedup, email="invitee@example.com", role=Role.WORKER)
    invitee = UserFactory(email="invitee@example.com")
    client = login(invitee)
    url = f"/c/alliedup/invitations/{invitation.token}/"
    assert b"Accept the invitation" in client.get(url).content
    assert client.post(url)["Location"] == "/c/alliedup/"
    with in_scope(alliedup):
        assert CooperativeRole.objects.filter(user=invitee, role=Role.WORKER).exists()
    assert client.get("/c/alliedup/", follow=True).redirect_chain[-1][0] == "/c/alliedup/me/"


def test_someone_elses_invitation_is_not_found(alliedup, login):
    invitation = InvitationFactory(cooperative=alliedup, email="invitee@example.com")
    other = UserFactory(email="other@example.com")
    assert login(other).get(f"/c/alliedup/invitations/{invitation.token}/").status_code == 404


def test_audit_trail_filters_by_action(alliedup, alliedup_users, login):
    AuditEventFactory(cooperative=alliedup, action="members.candidacy.opened", object_repr="Candidacy A")
    AuditEventFactory(cooperative=alliedup, action="payroll.run.approved", object_repr="Run B")
    body = login(alliedup_users["admin"]).get("/c/alliedup/audit/?action=members.").content
    assert b"Candidacy A" in body and b"Run B" not in body
