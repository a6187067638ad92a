"""The staff insights dashboard in a browser, on a phone: its charts are real SVG images
with a name, followed by their tables, and the period picker changes the period."""

from datetime import date, datetime

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from alliedup.models import Role
from tests.insights.helpers import Builder

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_staff_dashboard_renders_its_svg_charts(alliedup, alliedup_users, live_server, new_page, sign_in):
    with scope(cooperative=alliedup):
        b = Builder(alliedup)
        b.placement(datetime(2026, 1, 5, 7))
        b.placement(datetime(2026, 2, 5, 7))
        b.hired(date(2025, 3, 1), ("candidate", date(2026, 1, 20)))
    page = new_page(**PHONE)
    sign_in(page, alliedup_users[Role.COORDINATOR])
    page.goto(f"{live_server.url}/c/alliedup/insights/")
    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-06-30")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", name="Operations dashboard")).to_be_visible()
    charts = page.locator("svg.chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4
    expect(page.get_by_role("img", name="Placements per month", exact=True)).to_be_visible()
    box = charts.first.bounding_box()
    assert box and box["width"] <= 375 and box["height"] > 100  # scales to the phone's width
    expect(page.get_by_role("table", name="Placements per month: the numbers of the chart")).to_contain_text("2026-02")
    expect(page.locator("#turnover-h")).to_be_visible()
    # Wide tables scroll inside their own box: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
