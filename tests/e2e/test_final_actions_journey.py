"""Final actions ask for a confirmation, in a browser with JavaScript switched off (issue 14):
payroll staff approve a run that pays a worker less than nothing only with the box ticked and
a reason for the override; patronage staff approve an allocation only with the box ticked; the
board opens voting on a resolution only with the box ticked."""

from datetime import date, datetime, timezone as dt_timezone

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from governance.models import Resolution
from governance.services.voting import resolution_create
from payroll.models import PayRun
from patronage.models import PatronageAllocation
from patronage.services.allocations import fiscal_year_create
from payroll.services.periods import pay_period_create
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_calculate import payrun_calculate
from tests.members.factories import JobClassificationFactory, WorkerFactory
from tests.patronage.test_patronage import YEAR, draft, hours, owner

pytestmark = pytest.mark.e2e

NO_JS = {"java_script_enabled": False}


def test_payroll_approves_negative_pay_only_with_the_box_ticked_and_a_reason(alliedup, alliedup_users, live_server, new_page,
                                                                            sign_in):
    with scopes_disabled():
        worker = WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado")
    with scope(cooperative=alliedup):
        run = pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 1)).run
        pay_adjustment_add(run=run, worker=worker, amount="-50.00", reason="Overpaid in October")
        run = payrun_calculate(run=run)

    staff = new_page(**NO_JS)
    sign_in(staff, alliedup_users["payroll"])
    staff.goto(f"{live_server.url}/c/alliedup/payroll/runs/{run.uuid}/")
    expect(staff.locator("#negative-pay")).to_contain_text("Delgado, Rosa")

    staff.get_by_role("button", name="Approve (final)").click()  # nothing ticked
    expect(staff.locator(".messages")).to_contain_text("Tick the confirmation to approve the pay run.")
    with scope(cooperative=alliedup):
        assert PayRun.objects.get(pk=run.pk).status == PayRun.Status.CALCULATED

    staff.get_by_label("I confirm: approve this pay run.").check()
    staff.get_by_role("button", name="Approve (final)").click()  # ticked, but no reason
    expect(staff.locator(".messages")).to_contain_text("Negative pay for Rosa Delgado")

    staff.get_by_label("Reason to approve negative pay anyway").fill("Recovering the October overpayment")
    staff.get_by_label("I confirm: approve this pay run.").check()
    staff.get_by_role("button", name="Approve (final)").click()
    expect(staff.locator(".messages")).to_contain_text("approved: it is final")
    expect(staff.locator("main")).to_contain_text("Negative pay approved")
    with scope(cooperative=alliedup):
        run.refresh_from_db()
        assert run.status == PayRun.Status.APPROVED and run.negative_override_reason == "Recovering the October overpayment"


@pytest.mark.today("2026-03-02")  # fiscal 2025 has ended
def test_patronage_staff_approve_an_allocation_only_with_the_box_ticked(alliedup, alliedup_users, live_server, new_page,
                                                                       sign_in):
    with scope(cooperative=alliedup):
        ma = JobClassificationFactory(cooperative=alliedup, code="ma")
        hours(owner(alliedup, date(2024, 1, 1), first_name="Rosa", last_name="Diaz"), ma, date(2025, 2, 3), "120.00")
        allocation = draft(fiscal_year_create(cooperative=alliedup, starts_on=YEAR[0], ends_on=YEAR[1]))

    staff = new_page(**NO_JS)
    sign_in(staff, alliedup_users["payroll"])
    staff.goto(f"{live_server.url}/c/alliedup/payroll/patronage/allocations/{allocation.uuid}/")
    staff.get_by_role("button", name="Approve (final)").click()  # nothing ticked
    expect(staff.locator(".messages")).to_contain_text("Tick the confirmation to approve the allocation.")
    with scope(cooperative=alliedup):
        assert PatronageAllocation.objects.get(pk=allocation.pk).status == PatronageAllocation.Status.DRAFT

    staff.get_by_label("I confirm: approve this allocation.").check()
    staff.get_by_role("button", name="Approve (final)").click()
    expect(staff.locator(".messages")).to_contain_text("Allocation approved: it can no longer change.")
    expect(staff.get_by_role("button", name="Issue notices and post capital accounts")).to_be_visible()
    with scope(cooperative=alliedup):
        assert PatronageAllocation.objects.get(pk=allocation.pk).status == PatronageAllocation.Status.APPROVED


def test_the_board_opens_voting_only_with_the_box_ticked(alliedup, alliedup_users, live_server, new_page, sign_in):
    with scope(cooperative=alliedup):
        resolution = resolution_create(
            cooperative=alliedup, title="Amend article 4", text="Resolved: we amend article 4.", record_date=date(2026, 11, 13),
            voting_opens_at=datetime(2026, 11, 20, 17, tzinfo=dt_timezone.utc),
            voting_closes_at=datetime(2026, 11, 27, 17, tzinfo=dt_timezone.utc))

    board = new_page(**NO_JS)
    sign_in(board, alliedup_users["board"])
    board.goto(f"{live_server.url}/c/alliedup/governance/resolutions/{resolution.uuid}/")
    board.get_by_role("button", name="Open voting (fix the roll)").click()
    expect(board.locator(".messages")).to_contain_text("Tick the confirmation to open voting: nothing was changed.")
    with scope(cooperative=alliedup):
        assert Resolution.objects.get(pk=resolution.pk).status == Resolution.Status.DRAFT

    board.get_by_label("I confirm: open voting now.").check()
    board.get_by_role("button", name="Open voting (fix the roll)").click()
    expect(board.locator(".messages")).to_contain_text("Voting is open")
    with scope(cooperative=alliedup):
        assert Resolution.objects.get(pk=resolution.pk).status == Resolution.Status.VOTING
