"""Two-factor authentication required of staff and board (alliedup.mfa, MFA_REQUIRED_ROLES).

The test settings turn the requirement off for the rest of the suite (staff there sign in
without an authenticator); every test here turns it on with the `settings` fixture, as
production has it (production refuses to start without it).
"""

import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliedup.mfa import SESSION_KEY
from alliedup.models import Invitation, Role
from tests.alliedup.test_accounts import (
    LOGIN_URL,
    LOGOUT_URL,
    REAUTHENTICATE_URL,
    TOTP_ACTIVATE_URL,
    current_totp_code,
    form_login,
    links,
)
from tests.factories import PASSWORD, CooperativeRoleFactory
from tests.urlwalk import all_routes

REQUIRED = (Role.ADMIN, Role.COORDINATOR, Role.PAYROLL, Role.BOARD)
NOT_REQUIRED = (Role.WORKER, Role.CLIENT)
API_DETAIL = "Two-factor authentication must be set up"
# A page each role may open in alliedup (so a 200 there means "not held back").
HOME_OF = {
    Role.ADMIN: "/c/alliedup/staff/",
    Role.COORDINATOR: "/c/alliedup/staff/",
    Role.PAYROLL: "/c/alliedup/staff/",
    Role.BOARD: "/c/alliedup/board-home/",
    Role.WORKER: "/c/alliedup/me/",
    Role.CLIENT: "/c/alliedup/client-home/",
}


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.MFA_REQUIRED_ROLES = REQUIRED


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps login rate limits and used TOTP codes in the (locmem) cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def give_totp(user):
    """An active TOTP authenticator, as allauth's activation creates it; returns the secret."""
    secret = totp_auth.generate_totp_secret()
    totp_auth.TOTP.activate(user, secret)
    return secret


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def warnings_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", REQUIRED)
def test_staff_or_board_without_totp_is_sent_to_set_it_up(role, alliedup_users, login):
    client = login(alliedup_users[role])

    response = client.get(HOME_OF[role])

    assert response.status_code == 302
    assert response["Location"] == TOTP_ACTIVATE_URL
    [message] = warnings_of(response)
    assert "in AlliedUP Cooperative requires two-factor authentication" in message
    assert Role(role).label.lower() in message
    assert client.session[SESSION_KEY] == {"next": HOME_OF[role], "cooperative": "AlliedUP Cooperative"}


def test_the_message_saying_why_is_shown_on_the_way_to_the_setup(alliedup_users, login):
    response = login(alliedup_users["coordinator"]).get("/c/alliedup/team/?page=2", follow=True)

    # allauth asks for the password again before a factor is added, then shows the setup.
    assert [url for url, _ in response.redirect_chain][0] == TOTP_ACTIVATE_URL
    assert response.request["PATH_INFO"] == REAUTHENTICATE_URL
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your role as coordinator in AlliedUP Cooperative requires two-factor authentication" in html


def test_every_page_and_api_route_of_the_cooperative_holds_back_a_user_without_totp(alliedup, alliedup_users, login):
    """Walks the resolver like the isolation test: no route, present or added later, may
    forget the requirement (pages and session API through the middleware, token API through
    CooperativePermission). Object kwargs get a random UUID: the check comes first."""
    coordinator = alliedup_users["coordinator"]
    session, token = login(coordinator), token_client(coordinator)
    routes = [r for r in all_routes() if "coop_slug" in r.kwargs and not r.public]
    assert len(routes) > 50
    for route in routes:
        kwargs = {name: uuid.uuid4() for name in route.kwargs - {"coop_slug"}}
        url = reverse(route.name, kwargs={"coop_slug": "alliedup", **kwargs})
        if url.startswith("/api/"):
            for client in (session, token):
                response = client.get(url)
                assert response.status_code == 403, f"{route.name} {url} -> {response.status_code}"
                assert API_DETAIL in response.json()["detail"], route.name
        else:
            for method in ("get", "post"):
                response = getattr(session, method)(url)
                assert response.status_code == 302, f"{method} {route.name} {url} -> {response.status_code}"
                assert response["Location"] == TOTP_ACTIVATE_URL, route.name


def test_a_public_page_of_the_cooperative_is_not_held_back(alliedup, alliedup_users, login):
    public = [r for r in all_routes() if "coop_slug" in r.kwargs and r.public]
    assert public
    for route in public:
        kwargs = {"coop_slug": "alliedup"}
        if "token" in route.kwargs:  # the unsubscribe link of emails: a genuine token of a worker here
            from notifications.tokens import unsubscribe_token
            from tests.members.factories import WorkerFactory

            kwargs["token"] = unsubscribe_token(worker=WorkerFactory(cooperative=alliedup), kind="pay_statement", channel="email")
        response = login(alliedup_users["admin"]).get(reverse(route.name, kwargs=kwargs))
        assert response.status_code == 200, route.name


def test_htmx_request_gets_an_hx_redirect_and_comes_back_to_its_page(alliedup_users, login):
    client = login(alliedup_users["admin"])

    response = client.post(
        "/c/alliedup/team/",
        {"email": "x@example.com", "role": "worker"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/c/alliedup/team/?page=1",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == TOTP_ACTIVATE_URL
    assert "Location" not in response
    assert client.session[SESSION_KEY]["next"] == "/c/alliedup/team/?page=1"
    with scopes_disabled():
        assert not Invitation.objects.exists()  # the view never ran


def test_a_post_comes_back_to_the_cooperative_home_and_an_offsite_htmx_url_is_ignored(alliedup_users, login):
    client = login(alliedup_users["admin"])
    assert client.post("/c/alliedup/team/", {"email": "x@example.com"})["Location"] == TOTP_ACTIVATE_URL
    assert client.session[SESSION_KEY]["next"] == "/c/alliedup/"

    client.get("/c/alliedup/team/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example.com/x")
    assert client.session[SESSION_KEY]["next"] == "/c/alliedup/"


@pytest.mark.parametrize("role", NOT_REQUIRED)
def test_workers_and_client_contacts_are_not_required_to_use_totp(role, alliedup_users, login):
    user = alliedup_users[role]
    assert login(user).get(HOME_OF[role]).status_code == 200
    assert token_client(user).get("/api/v1/c/alliedup/me/").status_code == 200
    assert login(user).post("/api/v1/auth/token/").status_code == 201


@pytest.mark.parametrize("role", REQUIRED)
def test_staff_or_board_with_totp_go_on(role, alliedup_users, login):
    user = alliedup_users[role]
    give_totp(user)
    client = login(user)
    assert client.get(HOME_OF[role]).status_code == 200
    assert client.get("/api/v1/c/alliedup/me/").status_code == 200
    key = client.post("/api/v1/auth/token/").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/c/alliedup/me/").json()["roles"] == [role]


def test_recovery_codes_alone_do_not_count(alliedup_users, login):
    user = alliedup_users["admin"]
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert login(user).get("/c/alliedup/staff/")["Location"] == TOTP_ACTIVATE_URL


def test_staff_in_one_cooperative_and_worker_in_another_is_held_back_only_where_staff(
    alliedup, nursescan, alliedup_users, login
):
    user = alliedup_users["worker"]
    CooperativeRoleFactory(cooperative=nursescan, user=user, role=Role.COORDINATOR)
    client, api = login(user), token_client(user)

    assert client.get("/c/alliedup/me/").status_code == 200
    assert api.get("/api/v1/c/alliedup/me/").status_code == 200
    assert client.get("/c/nursescan/staff/")["Location"] == TOTP_ACTIVATE_URL
    assert api.get("/api/v1/c/nursescan/me/").status_code == 403
    # The picker stays open: it is how they choose where to go.
    picker = client.get("/")
    assert picker.status_code == 200
    assert ("AlliedUP Cooperative", "/c/alliedup/") in links(picker.content.decode())


def test_no_role_is_still_the_403_not_a_redirect(nursescan, alliedup_users, login):
    assert login(alliedup_users["admin"]).get("/c/nursescan/staff/").status_code == 403


# --- API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["session", "token", "forced"])
def test_api_answers_403_with_a_json_detail(auth, alliedup_users, login):
    user = alliedup_users["payroll"]
    if auth == "session":
        client = login(user)
    elif auth == "token":
        client = token_client(user)
    else:
        client = APIClient()
        client.force_authenticate(user)

    response = client.get("/api/v1/c/alliedup/me/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert detail.startswith(API_DETAIL)
    assert TOTP_ACTIVATE_URL in detail


def test_no_token_for_a_user_who_must_set_up_totp(alliedup_users, login):
    client = login(alliedup_users["board"])

    response = client.post("/api/v1/auth/token/")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Two-factor authentication must be set up")
    assert not Token.objects.filter(user=alliedup_users["board"]).exists()


def test_no_token_for_a_worker_here_who_is_staff_in_another_cooperative(nursescan, alliedup_users, login):
    user = alliedup_users["worker"]
    CooperativeRoleFactory(cooperative=nursescan, user=user, role=Role.ADMIN)
    assert login(user).post("/api/v1/auth/token/").status_code == 403
    give_totp(user)
    assert login(user).post("/api/v1/auth/token/").status_code == 201


def test_a_role_in_an_inactive_cooperative_does_not_block_the_token(nursescan, alliedup_users, login):
    user = alliedup_users["worker"]
    CooperativeRoleFactory(cooperative=nursescan, user=user, role=Role.ADMIN)
    nursescan.is_active = False
    nursescan.save()
    assert login(user).post("/api/v1/auth/token/").status_code == 201


def test_cooperatives_list_stays_open(alliedup_users):
    response = token_client(alliedup_users["admin"]).get("/api/v1/cooperatives/")
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()] == ["alliedup"]


# --- what stays reachable ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",  # the co-op picker (one co-op: straight on to it, where the redirect happens)
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        TOTP_ACTIVATE_URL,  # asks for the password again first
        REAUTHENTICATE_URL,
        "/api/v1/cooperatives/",
        "/api/docs/",
    ],
)
def test_allauth_pages_and_the_picker_stay_reachable(url, alliedup_users, login):
    response = login(alliedup_users["admin"]).get(url)
    assert response.status_code in (200, 302), url
    if response.status_code == 302:
        assert response["Location"] in ("/c/alliedup/", f"{REAUTHENTICATE_URL}?next={quote(url, safe='')}")


def test_login_and_logout_stay_reachable(alliedup_users):
    client = Client()
    assert client.get(LOGIN_URL).status_code == 200
    response = form_login(client, alliedup_users["admin"].email)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(alliedup_users["admin"].pk)
    assert client.post(LOGOUT_URL)["Location"] == LOGIN_URL
    assert client.session.get("_auth_user_id") is None


def test_setup_from_the_redirect_to_activation_and_back_to_the_page_asked_for(alliedup_users):
    """The whole way through allauth's real forms, as a person goes."""
    user = alliedup_users["coordinator"]
    client = Client()
    form_login(client, user.email)

    sent = client.get("/c/alliedup/team/")
    assert sent["Location"] == TOTP_ACTIVATE_URL
    reauth = client.get(TOTP_ACTIVATE_URL)
    assert reauth["Location"].startswith(REAUTHENTICATE_URL)
    assert client.post(reauth["Location"], {"password": PASSWORD})["Location"] == TOTP_ACTIVATE_URL
    page = client.get(TOTP_ACTIVATE_URL)
    assert page.status_code == 200
    secret = client.session[totp_auth.SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # readable without a camera

    activated = client.post(TOTP_ACTIVATE_URL, {"code": current_totp_code(secret)}, follow=True)

    assert activated.status_code == 200
    assert activated.request["PATH_INFO"] == "/accounts/2fa/recovery-codes/"
    assert ("Continue to AlliedUP Cooperative", "/c/alliedup/team/") in links(activated.content.decode())
    back = client.get("/c/alliedup/team/")
    assert back.status_code == 200
    assert SESSION_KEY not in client.session  # the way back is offered once
    assert "Continue to" not in client.get("/accounts/2fa/recovery-codes/").content.decode()


def test_the_way_back_is_also_offered_on_the_two_factor_overview(alliedup_users, login):
    client = login(alliedup_users["admin"])
    client.get("/c/alliedup/audit/")
    give_totp(alliedup_users["admin"])
    html = client.get("/accounts/2fa/").content.decode()
    assert ("Continue to AlliedUP Cooperative", "/c/alliedup/audit/") in links(html)


def test_deactivating_totp_holds_the_user_back_again_at_the_next_request(alliedup_users):
    user = alliedup_users["admin"]
    give_totp(user)
    client = Client()
    client.force_login(user)
    assert client.get("/c/alliedup/staff/").status_code == 200

    # allauth's own deactivation: the password again, then the form.
    reauth = client.get("/accounts/2fa/totp/deactivate/")
    assert reauth["Location"].startswith(REAUTHENTICATE_URL)
    client.post(reauth["Location"], {"password": PASSWORD})
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    assert client.get("/c/alliedup/staff/")["Location"] == TOTP_ACTIVATE_URL
    assert client.get("/api/v1/c/alliedup/me/").status_code == 403


# --- cost ----------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize("url", ["/c/alliedup/staff/", "/c/alliedup/team/", "/api/v1/c/alliedup/me/"])
def test_the_check_costs_one_query_for_staff(url, settings, alliedup_users, login):
    admin = alliedup_users["admin"]
    give_totp(admin)
    client = login(admin)
    _count(client, url)  # warm up (the session's first save, the site)
    settings.MFA_REQUIRED_ROLES = ()
    off = _count(client, url)
    settings.MFA_REQUIRED_ROLES = REQUIRED
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx) == off + 1
    assert sum("mfa_authenticator" in q["sql"] for q in ctx.captured_queries) == 1


def test_the_check_costs_nothing_for_a_worker(settings, alliedup_users, login):
    client = login(alliedup_users["worker"])
    _count(client, "/c/alliedup/me/")
    settings.MFA_REQUIRED_ROLES = ()
    off = _count(client, "/c/alliedup/me/")
    settings.MFA_REQUIRED_ROLES = REQUIRED
    assert _count(client, "/c/alliedup/me/") == off


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, refused",
    [("admin,coordinator", "must include board, payroll in production"), ("", "must include admin, board"), (None, None)],
)
def test_production_refuses_to_drop_the_requirement(value, refused):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alliedup.settings.production",
        "SECRET_KEY": "x" * 30 + "abcdefghijklmnopqrstuvwxyz0123456789",
        "ALLOWED_HOSTS": "coop.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env.pop("MFA_REQUIRED_ROLES", None)
    if value is not None:
        env["MFA_REQUIRED_ROLES"] = value
    code = "import django; django.setup(); from django.conf import settings; print(settings.MFA_REQUIRED_ROLES)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    if refused:
        assert result.returncode != 0
        assert refused in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "('admin', 'coordinator', 'payroll', 'board')"


def test_an_unknown_role_name_stops_the_start():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliedup.settings.base", "MFA_REQUIRED_ROLES": "admin,coordinater"}
    code = "import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "MFA_REQUIRED_ROLES names unknown roles ['coordinater']" in result.stderr
