"""Browser journeys: a person signs in through the real login form and moves through the
pages by clicking, on a desktop and on a phone viewport."""

import re

import pytest
from playwright.sync_api import expect

from alliedup.models import CooperativeRole, Role
from tests.factories import AuditEventFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PHONE_SCREENSHOT = "/tmp/staff-home-phone.png"


def path_is(live_server, path):
    return re.compile(rf"^{re.escape(live_server.url)}{re.escape(path)}$")


def test_staff_user_signs_in_to_the_staff_home_and_opens_team(page, live_server, sign_in, alliedup, alliedup_users):
    sign_in(page, alliedup_users["admin"])

    expect(page).to_have_url(path_is(live_server, "/c/alliedup/staff/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    expect(page.locator("header .brand")).to_have_text(alliedup.name)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Audit trail")).to_be_visible()

    nav.get_by_role("link", name="Team").click()

    expect(page).to_have_url(path_is(live_server, "/c/alliedup/team/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Team")
    expect(page.get_by_role("table")).to_contain_text(alliedup_users["worker"].email)


def test_worker_sees_the_worker_home_and_is_turned_away_from_staff_pages(page, live_server, sign_in, alliedup_users):
    worker = alliedup_users["worker"]
    sign_in(page, worker)

    expect(page).to_have_url(path_is(live_server, "/c/alliedup/me/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    expect(page.get_by_role("heading", name="Your path to ownership")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My ownership")).to_be_visible()
    for staff_link in ("Staff home", "Team", "Audit trail"):
        expect(nav.get_by_role("link", name=staff_link, exact=True)).to_have_count(0)

    response = page.goto(f"{live_server.url}/c/alliedup/staff/")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You can't open this page")
    page.get_by_role("link", name="Back to your cooperatives").click()
    # "/" sends a one-cooperative worker straight back to their own home.
    expect(page).to_have_url(path_is(live_server, "/c/alliedup/me/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_member_of_two_cooperatives_picks_each_in_turn(page, live_server, sign_in, alliedup, nursescan, alliedup_users):
    user = alliedup_users["worker"]
    CooperativeRole.objects.create(cooperative=nursescan, user=user, role=Role.COORDINATOR)

    sign_in(page, user)

    expect(page).to_have_url(path_is(live_server, "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cooperatives")
    picker = page.locator("main ul.cards")
    expect(picker.get_by_role("link")).to_have_text([alliedup.name, nursescan.name])

    picker.get_by_role("link", name=alliedup.name).click()
    expect(page).to_have_url(path_is(live_server, "/c/alliedup/me/"))
    expect(page.locator("header .brand")).to_have_text(alliedup.name)

    # Back to the picker through the account menu, then into the other cooperative.
    page.locator("details.account-menu summary").click()
    page.get_by_role("link", name="Your cooperatives").click()
    expect(page).to_have_url(path_is(live_server, "/"))
    page.locator("main ul.cards").get_by_role("link", name=nursescan.name).click()
    expect(page).to_have_url(path_is(live_server, "/c/nursescan/staff/"))
    expect(page.locator("header .brand")).to_have_text(nursescan.name)
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")


def test_staff_home_fits_a_phone(new_page, live_server, sign_in, alliedup, alliedup_users):
    admin = alliedup_users["admin"]
    # Long, unbreakable values in the audit table are the likeliest thing to push a page wide.
    AuditEventFactory(
        cooperative=alliedup,
        actor=admin,
        action="alliedup.invitation.created.with.a.rather.long.namespaced.action",
        object_repr="someone.with.a.very.long.address@an-unusually-long-domain-name.example.com",
        before={"role": None},
        after={"role": "coordinator", "email": "someone.with.a.very.long.address@example.com"},
    )
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)

    sign_in(page, admin)

    expect(page).to_have_url(path_is(live_server, "/c/alliedup/staff/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    expect(page.locator("header .brand")).to_have_text(alliedup.name)
    # the stylesheet loaded (the header is the accent colour, not the browser default)
    assert page.locator("header.site-header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 92, 59)"
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["inner"] == PHONE["width"]
    assert sizes["scroll"] <= sizes["inner"], f"horizontal overflow on a phone: {sizes}"
    for link in ("Staff home", "Team", "Audit trail"):
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=link)).to_be_in_viewport()

    page.screenshot(path=PHONE_SCREENSHOT, full_page=True)
