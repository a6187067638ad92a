"""The worker role invited from the Team page (or the invitations API) names the worker's
employee record, so accepting links it, as a hire's invitation does; an address on no
worker of the co-op is refused with a pointer to hiring (issue 15)."""

import pytest
from django_scopes import scope
from rest_framework.test import APIClient

from alliedup import services
from alliedup.models import AuditEvent, CooperativeRole, Invitation, Role
from members.models import Worker
from tests.factories import UserFactory
from tests.members.factories import WorkerFactory

TEAM = "/c/alliedup/team/"


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


@pytest.fixture
def rosa(alliedup):
    return WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", email="rosa@example.com")


def test_a_worker_invited_from_the_team_page_is_linked_to_their_record_on_accepting(alliedup, alliedup_users, rosa, login):
    client = login(alliedup_users["admin"])
    response = client.post(TEAM, {"email": "Rosa@Example.com", "role": "worker"})
    assert response.status_code == 302
    (invitation,) = Invitation.objects.all()
    assert (invitation.worker, invitation.email, invitation.role) == (rosa, "rosa@example.com", Role.WORKER)
    assert "Accepting it links their account to Rosa Delgado&#x27;s employee record." in client.get(TEAM).content.decode()

    account = UserFactory(email="rosa@example.com")
    services.invitation_accept(invitation=invitation, user=account)
    assert Worker.objects.get(pk=rosa.pk).user == account
    assert CooperativeRole.objects.filter(user=account, role=Role.WORKER, cooperative=alliedup).exists()
    assert AuditEvent.objects.filter(action="members.worker.account_linked", data__via="invitation").exists()


def test_an_address_on_no_worker_is_refused_with_the_way_to_hire(alliedup, alliedup_users, rosa, nursescan, login):
    with scope(cooperative=nursescan):
        WorkerFactory(cooperative=nursescan, email="outsider@example.com")
    client = login(alliedup_users["admin"])
    for email in ("nobody@example.com", "outsider@example.com"):  # another co-op's worker is no worker here
        response = client.post(TEAM, {"email": email, "role": "worker"}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert response.status_code == 400
        assert f"No worker of AlliedUP Cooperative has the address {email}." in body
        assert 'href="/c/alliedup/members/workers/new/"' in body and 'href="/c/alliedup/members/workers/import/"' in body
    assert not Invitation.objects.exists()


def test_a_worker_who_signs_in_already_is_not_invited_again(alliedup, alliedup_users, rosa, login):
    rosa.user = UserFactory(email="rosa@example.com")
    rosa.save()
    response = login(alliedup_users["admin"]).post(TEAM, {"email": "rosa@example.com", "role": "worker"})
    assert response.status_code == 400 and "Rosa Delgado already signs in as rosa@example.com" in response.content.decode()
    assert not Invitation.objects.exists()


def test_other_roles_are_invited_as_before(alliedup, alliedup_users, login):
    assert login(alliedup_users["admin"]).post(TEAM, {"email": "new@example.com", "role": "coordinator"}).status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.worker) == (Role.COORDINATOR, None)


def test_the_invitations_api_does_the_same(alliedup, alliedup_users, rosa):
    api = APIClient()
    api.force_authenticate(alliedup_users["admin"])
    refused = api.post("/api/v1/c/alliedup/invitations/", {"email": "nobody@example.com", "role": "worker"}, format="json")
    assert refused.status_code == 400 and "hire them" in refused.json()["role"][0]
    created = api.post("/api/v1/c/alliedup/invitations/", {"email": "rosa@example.com", "role": "worker"}, format="json")
    assert created.status_code == 201
    assert Invitation.objects.get().worker == rosa
