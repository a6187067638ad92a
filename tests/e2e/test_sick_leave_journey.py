"""Paid sick leave asked for on a phone: the worker asks, payroll staff approve it on the
desktop, the worker sees it approved and the hours come off the balance."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from payroll.models import SickLeaveEntry, SickLeaveRequest
from tests.members.factories import WorkerFactory

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_worker_asks_for_sick_leave_and_payroll_approves_it(alliedup, alliedup_users, live_server, new_page, sign_in):
    today = alliedup.today()
    with scopes_disabled():
        worker = WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", user=alliedup_users["worker"],
                               hire_date=today - timedelta(days=400))
    with scope(cooperative=alliedup):
        SickLeaveEntry.objects.create(cooperative=alliedup, worker=worker, kind="accrued", hours=Decimal("20"),
                                      workday=today - timedelta(days=30), note="Opening balance")
    base = f"{live_server.url}/c/alliedup/payroll"

    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    phone.goto(f"{base}/my/sick-leave/")
    expect(phone.locator(".stats")).to_contain_text("20.00 h")
    phone.get_by_label("Day off sick").fill(f"{today:%Y-%m-%d}")
    phone.get_by_label("Hours").fill("8")
    phone.get_by_label("Note for staff (optional)").fill("Fever")
    phone.get_by_role("button", name="Ask for sick leave").click()
    expect(phone.locator(".messages")).to_contain_text("Staff will confirm")
    expect(phone.get_by_role("list", name="My requests")).to_contain_text("Waiting for staff")

    staff = new_page()
    sign_in(staff, alliedup_users["payroll"])
    staff.goto(f"{base}/sick-leave/requests/")
    expect(staff.get_by_role("heading", name="Waiting (1)")).to_be_visible()
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messages")).to_contain_text("Approved: 8.00 h of paid sick leave for Rosa Delgado")

    phone.reload()
    expect(phone.get_by_role("list", name="My requests")).to_contain_text("Approved")
    expect(phone.locator(".stats")).to_contain_text("12.00 h")
    with scopes_disabled():
        assert SickLeaveRequest.objects.get().entry.hours == Decimal("-8")
