"""A worker-owner votes on a phone: opens the ballot, chooses, confirms, notes the receipt,
and after the count finds it in the published ballots."""

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from governance.models import Election
from tests.governance.conftest import make_owner
from tests.governance.helpers import close_and_count, open_election, owner_with_login

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


def _fits(page):
    sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert sizes["scroll"] <= sizes["inner"], f"horizontal overflow on a phone: {sizes}"


def test_owner_votes_on_a_phone_and_finds_the_receipt_after_the_count(new_page, live_server, sign_in, alliedup, alliedup_users):
    with scope(cooperative=alliedup):
        owner_with_login(alliedup, alliedup_users["worker"], first_name="Rosa", last_name="Delgado")
        candidates = [make_owner(alliedup, first_name=f, last_name="Okafor" if f == "Ana" else "Lee") for f in ("Ana", "Ben")]
        election, _ = open_election(alliedup, candidates, title="Board election 2026")

    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, alliedup_users["worker"])
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="My votes").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My votes")
    phone.get_by_role("link", name="Vote now").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Board election 2026")
    _fits(phone)

    choice = phone.get_by_role("checkbox", name="Ana Okafor")
    box = phone.locator("label.choice").filter(has_text="Ana Okafor").bounding_box()
    assert box["height"] >= 44, "touch target too small"  # WCAG 2.5.5
    choice.check()
    phone.get_by_role("button", name="Review my ballot").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your ballot")
    expect(phone.locator("#your-choices")).to_have_text("Ana Okafor")
    with scope(cooperative=alliedup):
        assert election.ballots.count() == 0  # nothing cast before the confirmation
    _fits(phone)

    phone.get_by_role("button", name="Cast my ballot").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    receipt = phone.locator("#receipt").inner_text().strip()
    assert len(receipt) == 14 and receipt.count("-") == 2
    expect(phone.locator("main")).to_contain_text("shown only this once")
    _fits(phone)

    with scope(cooperative=alliedup):
        for w in candidates:  # the candidates vote too, so the quorum is met
            from governance.services.voting import ballot_cast

            ballot_cast(vote=election, worker=w, choices=[str(election.candidates.get(worker=w).uuid)])
        close_and_count(Election.objects.get(pk=election.pk))

    phone.get_by_role("link", name="Back to my votes").click()
    phone.get_by_role("link", name="Results and my receipt").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Results: Board election 2026")
    expect(phone.locator("table.receipts")).to_contain_text(receipt)
    phone.get_by_label("Your receipt code").fill(receipt.lower().replace("-", ""))
    phone.get_by_role("button", name="Check").click()
    expect(phone.locator(".found")).to_contain_text(f"Your ballot {receipt} was counted: Ana Okafor")
    _fits(phone)
