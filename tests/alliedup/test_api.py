import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliedup.models import Role
from tests.factories import AuditEventFactory


@pytest.fixture
def api(alliedup_users):
    client = APIClient()
    client.force_authenticate(alliedup_users["admin"])
    return client


def test_me_lists_roles_and_permissions(api, alliedup):
    body = api.get("/api/v1/c/alliedup/me/").json()
    assert body["cooperative"]["slug"] == "alliedup"
    assert body["roles"] == ["admin"]
    assert "coop.invite" in body["permissions"] and "coop.view_worker_home" not in body["permissions"]


def test_malformed_invitation_is_a_400_with_field_errors(api):
    response = api.post("/api/v1/c/alliedup/invitations/", {"email": "not-an-email", "role": "emperor"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "role"}
    assert api.post("/api/v1/c/alliedup/invitations/", "{bad json", content_type="application/json").status_code == 400


def test_service_validation_error_is_a_400_not_a_500(api, alliedup_users):
    response = api.post(
        "/api/v1/c/alliedup/invitations/",
        {"email": alliedup_users["payroll"].email, "role": Role.PAYROLL}, format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"email": ["This person already holds that role here."]}


def test_invitation_created_through_the_api(api, alliedup, in_scope):
    response = api.post("/api/v1/c/alliedup/invitations/", {"email": "x@example.com", "role": "payroll"}, format="json")
    assert response.status_code == 201
    assert response.json()["role"] == "payroll"
    listed = api.get("/api/v1/c/alliedup/invitations/").json()
    assert [i["email"] for i in listed["results"]] == ["x@example.com"]


def test_coordinator_may_read_the_team_but_not_invite(alliedup_users):
    client = APIClient()
    client.force_authenticate(alliedup_users["coordinator"])
    assert client.get("/api/v1/c/alliedup/team/").status_code == 200
    assert client.get("/api/v1/c/alliedup/invitations/").status_code == 200
    response = client.post("/api/v1/c/alliedup/invitations/", {"email": "y@example.com", "role": "worker"}, format="json")
    assert response.status_code == 403


def test_token_auth_is_tenant_scoped(alliedup_users, nursescan, login):
    session = login(alliedup_users["admin"])
    key = session.post("/api/v1/auth/token/").json()["token"]
    assert Token.objects.get(key=key).user == alliedup_users["admin"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/c/alliedup/me/").status_code == 200
    assert client.get("/api/v1/c/nursescan/me/").status_code == 403
    assert client.get("/api/v1/cooperatives/").json() == [
        {"slug": "alliedup", "name": "AlliedUP Cooperative", "time_zone": "America/Los_Angeles"}
    ]


def test_a_token_cannot_mint_a_token(alliedup_users):
    """Tokens come from a full browser login (MFA included), never from a token or password."""
    token = Token.objects.create(user=alliedup_users["admin"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post("/api/v1/auth/token/").status_code in (401, 403)


def test_audit_events_api_filters_by_action(api, alliedup):
    AuditEventFactory(cooperative=alliedup, action="members.candidacy.opened")
    AuditEventFactory(cooperative=alliedup, action="payroll.run.approved")
    body = api.get("/api/v1/c/alliedup/audit-events/?action=members.").json()
    assert [e["action"] for e in body["results"]] == ["members.candidacy.opened"]


def test_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/c/{coop_slug}/me/" in schema.content
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    # Every asset comes from our own static files, never a CDN. (Not a search for "cdn" in
    # the page: the random CSRF token it carries spells it now and then.)
    assets = re.findall(r'(?:src|href)="([^"]*)"', docs.content.decode())
    assert assets and all(url.startswith("/static/drf_spectacular_sidecar/") for url in assets), assets


def test_audit_events_filter_refuses_a_null_character(api):
    """PostgreSQL cannot compare text holding NUL: the filter refuses it (400) instead of a 500."""
    response = api.get("/api/v1/c/alliedup/audit-events/", {"action": "members.\x00"})
    assert response.status_code == 400 and set(response.json()) == {"action"}
