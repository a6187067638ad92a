"""Accounts through allauth's real views: login, logout, signup with email verification,
password reset, TOTP two-factor authentication, and the role-based navigation users land in.

Every flow goes through the HTML forms a person uses (no `client.login` shortcut where the
flow itself is under test).
"""

import re
import time
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.core import mail
from django.core.cache import cache
from django.test import Client

from alliedup.models import CooperativeRole, Role
from tests.factories import PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
MFA_AUTHENTICATE_URL = "/accounts/2fa/authenticate/"
TOTP_ACTIVATE_URL = "/accounts/2fa/totp/activate/"
REAUTHENTICATE_URL = "/accounts/reauthenticate/"
VERIFICATION_SENT_URL = "/accounts/confirm-email/"
LOGIN_ERROR = "The email address and/or password you specified are not correct."
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate-limit counters and used TOTP codes in the (locmem) cache, which
    outlives a test; start each test without another test's login attempts."""
    cache.clear()
    yield
    cache.clear()


# --- helpers -----------------------------------------------------------------------------


def form_login(client, email, password=PASSWORD, **kwargs):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **kwargs)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def final_path(response):
    return response.request["PATH_INFO"]


def link_in(message, path_fragment):
    urls = re.findall(r"https?://\S+", message.body)
    matches = [u for u in urls if path_fragment in u]
    assert len(matches) == 1, f"expected one link with {path_fragment!r} in:\n{message.body}"
    return matches[0]


def local_path(url):
    """http://testserver/accounts/... -> /accounts/... (the test client needs no host)."""
    return re.sub(r"^https?://[^/]+", "", url)


def current_totp_codes(secret):
    """Every code allauth accepts right now (the current period and its tolerance)."""
    return {
        totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter))
        for counter in totp_auth.yield_hotp_counters_from_time()
    }


def current_totp_code(secret):
    """The code of the current period. allauth's default tolerance is 0 periods, so a code
    computed just before a period ends could be stale when the view checks it: wait for
    the next period instead of being flaky."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 2:
        time.sleep(remaining + 0.05)
    counter = int(time.time()) // period
    return totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter))


def wrong_totp_code(secret):
    valid = current_totp_codes(secret)
    return next(code for code in ("000000", "111111", "123456", "999999") if code not in valid)


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def links(html):
    parser = _LinkCollector()
    parser.feed(html)
    return parser.links


def main_nav_links(response):
    """(text, href) of the links in the layout's main navigation."""
    html = response.content.decode()
    match = re.search(r'<nav aria-label="Main"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "the page has no main navigation"
    return links(match.group(1))


# --- login and logout ----------------------------------------------------------------------


def test_login_with_email_and_password_lands_in_the_cooperative_home(alliedup_users):
    client = Client()
    admin = alliedup_users["admin"]

    page = client.get(LOGIN_URL)
    assert page.status_code == 200
    assert 'name="login"' in page.content.decode()
    assert 'name="password"' in page.content.decode()

    response = form_login(client, admin.email, follow=True)

    assert response.status_code == 200
    assert [url for url, _ in response.redirect_chain] == ["/", "/c/alliedup/", "/c/alliedup/staff/"]
    assert final_path(response) == "/c/alliedup/staff/"
    assert "<h1>Staff home</h1>" in response.content.decode()
    assert logged_in_user_id(client) == str(admin.pk)


def test_a_worker_lands_in_the_worker_home(alliedup_users):
    client = Client()
    response = form_login(client, alliedup_users["worker"].email, follow=True)
    assert final_path(response) == "/c/alliedup/me/"
    assert "Your path to ownership" in response.content.decode()


def test_login_email_is_case_insensitive(alliedup_users):
    client = Client()
    response = form_login(client, alliedup_users["admin"].email.upper(), follow=True)
    assert final_path(response) == "/c/alliedup/staff/"


def test_wrong_password_shows_the_form_error_and_opens_no_session(alliedup_users):
    client = Client()
    response = form_login(client, alliedup_users["admin"].email, "not the password")

    assert response.status_code == 200  # the form again, not a redirect
    assert LOGIN_ERROR in response.content.decode()
    assert logged_in_user_id(client) is None
    assert client.get("/c/alliedup/staff/").status_code == 302


def test_unknown_email_shows_the_same_error(db):
    client = Client()
    response = form_login(client, "nobody@example.com")
    assert response.status_code == 200
    assert LOGIN_ERROR in response.content.decode()
    assert logged_in_user_id(client) is None


def test_logout_ends_the_session(alliedup_users):
    client = Client()
    form_login(client, alliedup_users["admin"].email)
    assert logged_in_user_id(client) is not None
    assert client.get("/c/alliedup/staff/").status_code == 200

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert logged_in_user_id(client) is None
    again = client.get("/c/alliedup/staff/")
    assert again.status_code == 302
    assert again["Location"].startswith(f"{LOGIN_URL}?next=")


def test_the_layouts_sign_out_button_posts_to_logout(alliedup_users, login):
    html = login(alliedup_users["admin"]).get("/c/alliedup/staff/").content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)


# --- signup and email verification -----------------------------------------------------------


def test_signup_sends_a_verification_email_and_login_waits_for_it(db):
    email = "new.person@example.com"
    signup_client = Client()

    response = signup_client.post(
        "/accounts/signup/", {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT_URL
    assert logged_in_user_id(signup_client) is None
    address = EmailAddress.objects.get(email=email)
    assert not address.verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    confirm_url = local_path(link_in(message, "/accounts/confirm-email/"))

    # Until the address is confirmed, logging in only leads back to "check your email".
    other = Client()
    refused = form_login(other, email, NEW_PASSWORD)
    assert refused.status_code == 302
    assert refused["Location"] == VERIFICATION_SENT_URL
    assert logged_in_user_id(other) is None
    assert other.get("/").status_code == 302

    # The link shows a confirmation form (ACCOUNT_CONFIRM_EMAIL_ON_GET=False): a GET alone
    # (e.g. a mail scanner prefetching it) confirms nothing.
    page = signup_client.get(confirm_url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    address.refresh_from_db()
    assert not address.verified

    confirmed = signup_client.post(confirm_url)
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: the browser that signed up is now signed in.
    assert confirmed["Location"] == "/"
    assert logged_in_user_id(signup_client) == str(address.user_id)

    # Now the password opens a session; a person with no cooperative sees the empty picker.
    fresh = Client()
    response = form_login(fresh, email, NEW_PASSWORD, follow=True)
    assert logged_in_user_id(fresh) == str(address.user_id)
    assert final_path(response) == "/"
    assert "You do not belong to a cooperative yet" in response.content.decode()


def test_a_bad_confirmation_key_verifies_nothing(db):
    Client().post(
        "/accounts/signup/",
        {"email": "x@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    client = Client()
    client.post("/accounts/confirm-email/not-a-real-key/")
    assert not EmailAddress.objects.get(email="x@example.com").verified


# --- password reset ------------------------------------------------------------------------


def test_password_reset_by_email_link(alliedup_users):
    user = alliedup_users["coordinator"]
    client = Client()

    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    reset_url = local_path(link_in(message, "/accounts/password/reset/key/"))

    # The key link stores the key in the session and redirects to a key-less form URL.
    response = client.get(reset_url, follow=True)
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()
    form_url = final_path(response)
    assert form_url.startswith("/accounts/password/reset/key/")

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"

    old = Client()
    assert LOGIN_ERROR in form_login(old, user.email, PASSWORD).content.decode()
    assert logged_in_user_id(old) is None

    new = Client()
    response = form_login(new, user.email, NEW_PASSWORD, follow=True)
    assert logged_in_user_id(new) == str(user.pk)
    assert final_path(response) == "/c/alliedup/staff/"


def test_password_reset_for_an_unknown_address_sends_no_link(db):
    Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert not any("/accounts/password/reset/key/" in m.body for m in mail.outbox)


# --- TOTP two-factor authentication ---------------------------------------------------------


def _start_totp_activation(client):
    """Open the activation page and return the pending secret allauth keeps in the session.

    allauth 65 (MFA_REAUTHENTICATION_REQUIRED, default on) sends even a freshly logged-in
    user to re-enter the password before adding a factor; only a "reauthenticated" record
    younger than ACCOUNT_REAUTHENTICATION_TIMEOUT counts, not the login itself.
    """
    first = client.get(TOTP_ACTIVATE_URL)
    assert first.status_code == 302
    assert first["Location"].startswith(REAUTHENTICATE_URL)
    back = client.post(first["Location"], {"password": PASSWORD})
    assert back.status_code == 302
    assert back["Location"] == TOTP_ACTIVATE_URL
    page = client.get(TOTP_ACTIVATE_URL)
    assert page.status_code == 200
    secret = client.session[totp_auth.SECRET_SESSION_KEY]
    assert secret and secret in page.content.decode()  # shown for manual entry
    return secret


def test_totp_enrolment_then_login_asks_for_the_code(alliedup_users):
    user = alliedup_users["admin"]
    client = Client()
    form_login(client, user.email)  # a fresh form login: no reauthentication needed

    secret = _start_totp_activation(client)

    wrong = client.post(TOTP_ACTIVATE_URL, {"code": wrong_totp_code(secret)})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()

    activated = client.post(TOTP_ACTIVATE_URL, {"code": current_totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert totp_auth.SECRET_SESSION_KEY not in client.session
    client.post(LOGOUT_URL)

    # Password alone no longer logs in: allauth asks for the code.
    second = Client()
    response = form_login(second, user.email)
    assert response.status_code == 302
    assert response["Location"] == MFA_AUTHENTICATE_URL
    assert logged_in_user_id(second) is None
    assert second.get("/c/alliedup/staff/").status_code == 302

    page = second.get(MFA_AUTHENTICATE_URL)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()

    refused = second.post(MFA_AUTHENTICATE_URL, {"code": wrong_totp_code(secret)})
    assert refused.status_code == 200
    assert "Incorrect code." in refused.content.decode()
    assert logged_in_user_id(second) is None

    response = second.post(MFA_AUTHENTICATE_URL, {"code": current_totp_code(secret)}, follow=True)
    assert logged_in_user_id(second) == str(user.pk)
    assert final_path(response) == "/c/alliedup/staff/"


def test_a_wrong_code_at_activation_leaves_totp_off(alliedup_users):
    user = alliedup_users["worker"]
    client = Client()
    form_login(client, user.email)
    secret = _start_totp_activation(client)

    response = client.post(TOTP_ACTIVATE_URL, {"code": wrong_totp_code(secret)})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    client.post(LOGOUT_URL)
    again = Client()
    response = form_login(again, user.email, follow=True)
    assert MFA_AUTHENTICATE_URL not in [url for url, _ in response.redirect_chain]
    assert final_path(response) == "/c/alliedup/me/"


def test_totp_activation_asks_for_the_password_again(alliedup_users):
    """Adding a second factor needs the password re-entered; a wrong one adds nothing."""
    user = alliedup_users["admin"]
    client = Client()
    form_login(client, user.email)
    response = client.get(TOTP_ACTIVATE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE_URL)

    refused = client.post(response["Location"], {"password": "not the password"})
    assert refused.status_code == 200
    assert "Incorrect password." in refused.content.decode()
    assert client.get(TOTP_ACTIVATE_URL)["Location"].startswith(REAUTHENTICATE_URL)
    assert not Authenticator.objects.filter(user=user).exists()


# --- role-based navigation -------------------------------------------------------------------


def test_admin_sees_staff_home_team_and_audit_trail(alliedup_users, login):
    response = login(alliedup_users["admin"]).get("/c/alliedup/staff/")
    assert response.status_code == 200
    nav = main_nav_links(response)
    assert ("Staff home", "/c/alliedup/staff/") in nav
    assert ("Team", "/c/alliedup/team/") in nav
    assert ("Audit trail", "/c/alliedup/audit/") in nav


def test_coordinator_sees_team_but_not_the_audit_trail(alliedup_users, login):
    response = login(alliedup_users["coordinator"]).get("/c/alliedup/staff/")
    assert response.status_code == 200
    nav = main_nav_links(response)
    assert ("Staff home", "/c/alliedup/staff/") in nav
    assert ("Team", "/c/alliedup/team/") in nav
    assert "Audit trail" not in [text for text, _ in nav]
    assert "/c/alliedup/audit/" not in response.content.decode()


def test_payroll_sees_staff_home_only(alliedup_users, login):
    response = login(alliedup_users["payroll"]).get("/c/alliedup/staff/")
    nav_texts = [text for text, _ in main_nav_links(response)]
    assert "Staff home" in nav_texts
    assert "Team" not in nav_texts
    assert "Audit trail" not in nav_texts


def test_worker_sees_my_ownership_and_no_staff_links(alliedup_users, login):
    response = login(alliedup_users["worker"]).get("/c/alliedup/me/")
    assert response.status_code == 200
    nav = main_nav_links(response)
    texts = [text for text, _ in nav]
    assert "My ownership" in texts
    assert not {"Staff home", "Team", "Audit trail"} & set(texts)
    assert all(href.startswith("/c/alliedup/") for _, href in nav)
    html = response.content.decode()
    for staff_path in ("/c/alliedup/staff/", "/c/alliedup/team/", "/c/alliedup/audit/"):
        assert staff_path not in html


@pytest.mark.parametrize("path", ["/c/alliedup/staff/", "/c/alliedup/team/", "/c/alliedup/audit/"])
def test_worker_asking_for_a_staff_page_gets_403_with_a_way_back(alliedup_users, login, path):
    response = login(alliedup_users["worker"]).get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You can&#x27;t open this page" in html or "You can't open this page" in html
    assert ("Back to your cooperatives", "/") in links(html)


def test_user_with_two_cooperatives_sees_the_picker(alliedup, nursescan, alliedup_users, login):
    user = alliedup_users["worker"]
    CooperativeRole.objects.create(cooperative=nursescan, user=user, role=Role.COORDINATOR)

    client = Client()
    response = form_login(client, user.email, follow=True)

    assert final_path(response) == "/"
    assert response.status_code == 200
    found = links(response.content.decode())
    assert (alliedup.name, "/c/alliedup/") in found
    assert (nursescan.name, "/c/nursescan/") in found
    # and each entry leads to that cooperative's home for the role held there
    assert client.get("/c/alliedup/", follow=True).request["PATH_INFO"] == "/c/alliedup/me/"
    assert client.get("/c/nursescan/", follow=True).request["PATH_INFO"] == "/c/nursescan/staff/"


def test_user_with_one_cooperative_goes_straight_in(alliedup_users, login):
    response = login(alliedup_users["coordinator"]).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/c/alliedup/"


@pytest.mark.parametrize(
    "path", ["/", "/c/alliedup/", "/c/alliedup/staff/", "/c/alliedup/me/", "/c/alliedup/team/"]
)
def test_anonymous_user_is_sent_to_the_login_page(alliedup, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")
    assert path in response["Location"]


def test_an_unverified_user_cannot_log_in(alliedup):
    user = UserFactory(email="unverified@example.com", verified=False)
    CooperativeRole.objects.create(cooperative=alliedup, user=user, role=Role.WORKER)
    client = Client()
    response = form_login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT_URL
    assert logged_in_user_id(client) is None
