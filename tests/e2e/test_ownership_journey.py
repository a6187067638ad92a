"""The ownership path in a browser: 350 hours reached, agreement signed, installments
chosen, the first payment recorded by staff, and the worker sees they are a worker-owner."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from members.services.agreement import agreement_publish
from members.services.candidacy import eligibility_sweep
from tests.members.factories import HoursEntryFactory, JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def rosa(alliedup, alliedup_users):
    """The alliedup worker login, as an employee with exactly 350 MA hours, now a candidate."""
    today = timezone.localdate(timezone=alliedup.zone)
    with scopes_disabled():
        ma = JobClassificationFactory(cooperative=alliedup, code="ma", name="Medical Assistant")
        worker = WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado",
                               user=alliedup_users["worker"], classifications=[ma])
        for i in range(35):
            HoursEntryFactory(worker=worker, classification=ma, workday=today - timedelta(days=i), hours="10.00")
    with scope(cooperative=alliedup):
        agreement_publish(cooperative=alliedup, title="Membership agreement", body="We own this together.",
                          effective_from=today, published_by=alliedup_users["admin"])
        eligibility_sweep(cooperative=alliedup, check_date=today)
    return worker


def test_worker_signs_pays_first_installment_and_becomes_an_owner(new_page, live_server, sign_in, rosa, alliedup_users):
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(phone, alliedup_users["worker"])
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="My ownership").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My ownership")
    expect(phone.locator("main")).to_contain_text("350.00 / 350 h")
    expect(phone.locator("main")).to_contain_text("Threshold reached.")
    expect(phone.locator(".badge")).to_have_text("Candidate")

    phone.get_by_role("link", name="read and sign").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Membership agreement")
    phone.get_by_label("Type your full name to sign").fill("Rosa Delgado")
    phone.get_by_label("I have read the membership agreement and agree to it").check()
    phone.get_by_role("button", name="Sign the agreement").click()
    expect(phone.locator(".messages")).to_contain_text("You signed the membership agreement.")

    phone.get_by_label("Pay in installments").check()
    phone.get_by_role("button", name="Choose").click()
    schedule = phone.get_by_role("table").filter(has_text="Installment schedule")
    expect(schedule.locator("tbody tr")).to_have_count(5)
    expect(schedule.locator("tbody tr").first).to_contain_text("$50.00")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    desk = new_page()
    sign_in(desk, alliedup_users["payroll"])
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    desk.get_by_role("table").filter(has_text="Checklist").get_by_role("link", name="Rosa Delgado").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Rosa Delgado")
    payment = desk.get_by_role("form", name="Record a payment")
    payment.get_by_label("Amount").fill("50.00")
    payment.get_by_label("Receipt, check or pay-run number").fill("R-2026-001")
    payment.get_by_role("button", name="Record payment").click()
    expect(desk.locator(".messages")).to_contain_text("Saved.")
    expect(desk.locator("main")).to_contain_text("Worker-owner")

    phone.reload()
    expect(phone.locator(".badge")).to_have_text("Worker-owner")
    expect(phone.get_by_role("table").filter(has_text="Installment schedule").locator("tbody tr").first).to_contain_text("paid")
