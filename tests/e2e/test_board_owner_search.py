"""Seating a worker-owner on the board page of a large co-op, in a browser (issue 17): typing
part of a name fills the box's suggestions (htmx, at most 20, no page load); the name as
suggested seats that person. Without JavaScript the same box is a plain text field and the
server finds the person from the name typed. The committee member box is the same, among
any worker not withdrawn."""

from datetime import date

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from governance.models import BoardTerm, CommitteeMember
from governance.services.board import seat_create
from governance.services.committees import committee_create
from members.models import MemberStatus
from tests.governance.conftest import make_owner
from tests.members.factories import WorkerFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def board_seats(alliedup):
    with scopes_disabled():
        for i in range(40):
            make_owner(alliedup, first_name=f"Owner{i:02d}", last_name="Bulk", email=f"bulk{i}@example.com")
        rosa = make_owner(alliedup, first_name="Rosa", last_name="Delgado", email="rosa@example.com")
        ben = make_owner(alliedup, first_name="Ben", last_name="Okafor", email="ben@example.com")
    with scope(cooperative=alliedup):
        seats = [seat_create(cooperative=alliedup, name=f"Worker seat {i}", kind="worker_owner") for i in (1, 2)]
    return {"rosa": rosa, "ben": ben, "seats": seats}


def _seat_someone(page, seat_name, start):
    form = page.get_by_role("form", name="Seat someone")
    form.get_by_label("Seat", exact=True).select_option(label=seat_name)
    form.get_by_label("Source").select_option(label="Elected")
    form.get_by_label("Starts on").fill(start)
    form.get_by_role("button", name="Add the term").click()


def test_suggestions_as_one_types_then_seat_the_person(alliedup, alliedup_users, live_server, new_page, sign_in, board_seats):
    page = new_page()
    sign_in(page, alliedup_users["board"])
    page.goto(f"{live_server.url}/c/alliedup/governance/board/")
    options = page.locator("#term-worker-options option")
    expect(options).to_have_count(0)
    box = page.get_by_label("Worker-owner (for a worker-owner seat)")
    box.press_sequentially("bulk", delay=30)
    expect(options).to_have_count(20)  # 40 match; the first 20 by name
    expect(options.first).to_have_attribute("value", "Bulk, Owner00")
    box.fill("")
    box.press_sequentially("delg", delay=30)
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "Delgado, Rosa")
    box.fill(options.first.get_attribute("value"))  # what choosing the suggestion puts in the box
    _seat_someone(page, "Worker seat 1", "2026-11-23")
    expect(page.locator(".messages")).to_contain_text("Rosa Delgado holds Worker seat 1")
    with scope(cooperative=alliedup):
        assert BoardTerm.objects.get().worker == board_seats["rosa"]


def test_without_javascript_the_name_typed_is_found_on_the_server(alliedup, alliedup_users, live_server, new_page, sign_in,
                                                                  board_seats):
    page = new_page(java_script_enabled=False)
    sign_in(page, alliedup_users["board"])
    page.goto(f"{live_server.url}/c/alliedup/governance/board/")
    box = page.get_by_label("Worker-owner (for a worker-owner seat)")
    box.fill("owner1")
    _seat_someone(page, "Worker seat 2", "2026-11-23")
    expect(page.locator("main")).to_contain_text("10 worker-owners match “owner1”")  # refused, nothing written
    page.get_by_label("Worker-owner (for a worker-owner seat)").fill("Ben Okafor")
    _seat_someone(page, "Worker seat 2", "2026-11-23")
    expect(page.locator(".messages")).to_contain_text("holds Worker seat 2")
    with scope(cooperative=alliedup):
        term = BoardTerm.objects.get()
        assert (term.worker, term.starts_on) == (board_seats["ben"], date(2026, 11, 23))


def test_the_committee_member_box_suggests_any_worker_not_withdrawn(alliedup, alliedup_users, live_server, new_page, sign_in):
    with scopes_disabled():
        make_owner(alliedup, first_name="Rosa", last_name="Delgado", email="rosa@example.com")
        eve = WorkerFactory(cooperative=alliedup, first_name="Rosie", last_name="Employee", status=MemberStatus.EMPLOYEE)
        WorkerFactory(cooperative=alliedup, first_name="Rosamund", last_name="Gone", status=MemberStatus.WITHDRAWN)
    with scope(cooperative=alliedup):
        lmc = committee_create(cooperative=alliedup, name="Labor-Management Committee", kind="lmc")
    page = new_page()
    sign_in(page, alliedup_users["board"])
    page.goto(f"{live_server.url}/c/alliedup/governance/committees/{lmc.uuid}/")
    options = page.locator("#member-worker-options option")
    page.get_by_label("Worker of the co-op").press_sequentially("ros", delay=30)
    expect(options).to_have_count(2)  # the owner and the employee, not the withdrawn
    expect(options.nth(1)).to_have_attribute("value", "Employee, Rosie")
    form = page.get_by_role("form", name="Add a member")
    form.get_by_label("Worker of the co-op").fill("Employee, Rosie")
    form.get_by_label("Side", exact=True).select_option(label="Workers")
    form.get_by_role("button", name="Add the member").click()
    expect(page.locator(".messages")).to_contain_text("Rosie Employee sits on the worker")
    with scope(cooperative=alliedup):
        assert CommitteeMember.objects.get().worker == eve
