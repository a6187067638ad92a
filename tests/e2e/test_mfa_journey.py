"""Two-factor authentication required of staff (alliedup.mfa): a coordinator without an
authenticator signs in, is sent to allauth's TOTP set-up with the reason, activates it with a
code computed from the secret shown on the page (no camera), and goes on to the staff home."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.alliedup.test_accounts import current_totp_code

pytestmark = pytest.mark.e2e


def path_is(live_server, path):
    return re.compile(rf"^{re.escape(live_server.url)}{re.escape(path)}(\?.*)?$")


def test_coordinator_without_totp_sets_it_up_on_entering_and_reaches_the_staff_home(
    page, live_server, sign_in, settings, alliedup, alliedup_users
):
    settings.MFA_REQUIRED_ROLES = ("admin", "coordinator", "payroll", "board")  # as in production
    coordinator = alliedup_users["coordinator"]

    sign_in(page, coordinator)

    # allauth asks for the password again before a factor is added; the reason is shown.
    expect(page).to_have_url(path_is(live_server, "/accounts/reauthenticate/"))
    expect(page.locator(".messages")).to_contain_text(
        "Your role as coordinator in AlliedUP Cooperative requires two-factor authentication"
    )
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(path_is(live_server, "/accounts/2fa/totp/activate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Authenticator code").fill(current_totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    # allauth shows the recovery codes it generated; the way back is offered below them.
    expect(page).to_have_url(path_is(live_server, "/accounts/2fa/recovery-codes/"))
    expect(page.locator(".messages")).to_contain_text("Authenticator app activated.")
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    page.get_by_role("link", name="Continue to AlliedUP Cooperative").click()

    expect(page).to_have_url(path_is(live_server, "/c/alliedup/staff/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    expect(page).to_have_url(path_is(live_server, "/c/alliedup/team/"))
