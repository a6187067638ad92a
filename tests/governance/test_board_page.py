"""The board page at scale (issue 17): "seat someone" takes a worker-owner typed by name (a
plain text box resolved on the server, which works without JavaScript) with at most 20
suggestions from a search endpoint, instead of a <select> of every worker; the page's queries
do not grow with the workers; the search is for the board and admins of the co-op only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import BoardTerm
from governance.services.board import seat_create
from members.models import MemberStatus
from members.services.status import status_change
from tests.governance.conftest import make_owner
from tests.members.factories import WorkerFactory


def _url(name, coop="alliedup", **kw):
    return reverse(f"governance:{name}", kwargs={"coop_slug": coop, **kw})


def _search(client, text, param="q"):
    return client.get(_url("owner_search"), {param: text})


def _options(response) -> list[str]:
    return re.findall(r'<option value="([^"]*)">', response.content.decode())


def _owners(coop, n, last_name="Bulk"):
    return [make_owner(coop, first_name=f"Owner{i:02d}", last_name=last_name, email=f"{last_name.lower()}{i}@example.com")
            for i in range(n)]


@pytest.fixture
def seat(alliedup):
    return seat_create(cooperative=alliedup, name="Worker seat 1", kind="worker_owner")


def _seat(client, seat, worker_text, **extra):
    return client.post(_url("term_add"), {"seat": seat.pk, "worker": worker_text, "source": "elected",
                                          "starts_on": "2026-11-23", **extra})


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.today("2026-11-23")
def test_the_board_page_lists_no_workers_and_its_queries_do_not_grow_with_them(alliedup, alliedup_users, login,
                                                                                django_assert_max_num_queries):
    client = login(alliedup_users["board"])
    _owners(alliedup, 3)
    with django_assert_max_num_queries(12) as few:
        small = client.get(_url("board"))
    _owners(alliedup, 150, last_name="Many")
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get(_url("board"))
    assert small.status_code == large.status_code == 200
    body = large.content.decode()
    assert "Owner0" not in body and "Many" not in body and "Bulk" not in body
    # A text box tied to the (empty) suggestions list, searching as one types.
    assert 'name="worker"' in body and 'list="term-worker-options"' in body and '<datalist id="term-worker-options"></datalist>' in body
    assert f'hx-get="{_url("owner_search")}"' in body


# --- the search ---------------------------------------------------------------------------------


def test_search_offers_at_most_20_worker_owners_by_name_in_one_query(alliedup, alliedup_users, login,
                                                                     django_assert_max_num_queries):
    _owners(alliedup, 30)
    client = login(alliedup_users["board"])
    with CaptureQueriesContext(connection) as without_search:
        _search(client, "b")  # under two letters: no search, only the request's own queries (session, roles)
    with django_assert_max_num_queries(len(without_search.captured_queries) + 1):
        response = _search(client, "BULK")
    options = _options(response)
    assert response.status_code == 200 and len(options) == 20
    assert options == sorted(options) and options[0] == "Bulk, Owner00"
    assert _options(_search(client, "bulk, owner07")) == ["Bulk, Owner07"]
    assert _options(_search(client, "owner2 bu")) == [f"Bulk, Owner2{i}" for i in range(10)]
    # htmx sends the box's own value, named like the form field
    assert _options(_search(client, "owner07", param="worker")) == ["Bulk, Owner07"]
    assert _options(_search(client, "b")) == [] and _options(_search(client, "")) == []


def test_search_offers_only_worker_owners_of_this_coop(alliedup, nursescan, alliedup_users, login, unscoped):
    make_owner(alliedup, first_name="Rosa", last_name="Delgado", email="rosa@a.example.com")
    WorkerFactory(cooperative=alliedup, first_name="Rosalind", last_name="Employee", status=MemberStatus.EMPLOYEE)
    lapsed = make_owner(alliedup, first_name="Rosamund", last_name="Lapsed")
    status_change(worker=lapsed, to_status="lapsed", reason="below 100 hours")
    with unscoped():
        make_owner(nursescan, first_name="Rosanna", last_name="Outsider")
    assert _options(_search(login(alliedup_users["admin"]), "ros")) == ["Delgado, Rosa"]


def test_namesakes_are_told_apart_by_their_email(alliedup, alliedup_users, login, seat):
    first = make_owner(alliedup, first_name="Ana", last_name="Lopez", email="ana.1@example.com")
    second = make_owner(alliedup, first_name="Ana", last_name="Lopez", email="ana.2@example.com")
    client = login(alliedup_users["board"])
    assert _options(_search(client, "lopez")) == ["Lopez, Ana &lt;ana.1@example.com&gt;", "Lopez, Ana &lt;ana.2@example.com&gt;"]
    refused = _seat(client, seat, "Lopez, Ana")
    assert refused.status_code == 400 and "2 worker-owners match" in refused.content.decode()
    assert not BoardTerm.objects.exists()
    assert _seat(client, seat, "Lopez, Ana <ana.2@example.com>").status_code == 302
    assert BoardTerm.objects.get().worker == second and first != second


@pytest.mark.parametrize("role, status", [("coordinator", 403), ("payroll", 403), ("worker", 403), ("client", 403)])
def test_search_is_for_the_board_and_admins(alliedup, alliedup_users, login, role, status):
    make_owner(alliedup, first_name="Rosa", last_name="Delgado")
    response = _search(login(alliedup_users[role]), "rosa")
    assert response.status_code == status and b"Delgado" not in response.content


def test_search_of_another_coop_is_refused_and_anonymous_must_sign_in(alliedup, nursescan, alliedup_users, nursescan_users, login, client):
    make_owner(alliedup, first_name="Rosa", last_name="Delgado")
    outsider = _search(login(nursescan_users["board"]), "rosa")  # the board of another co-op: no role here
    assert outsider.status_code == 403 and b"Delgado" not in outsider.content
    anonymous = _search(client, "rosa")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


# --- seating someone typed by name (the same with or without JavaScript) --------------------------


@pytest.mark.today("2026-11-23")
@pytest.mark.parametrize("typed", ["Delgado, Rosa", "  rosa   DELGADO ", "delgado", "Delgado, Rosa <rosa@a.example.com>"])
def test_a_worker_owner_typed_by_name_is_seated(alliedup, alliedup_users, login, seat, typed):
    rosa = make_owner(alliedup, first_name="Rosa", last_name="Delgado", email="rosa@a.example.com")
    make_owner(alliedup, first_name="Ben", last_name="Okafor")
    response = _seat(login(alliedup_users["board"]), seat, typed)
    assert response.status_code == 302
    term = BoardTerm.objects.get()
    assert (term.worker, term.holder_name, term.seat) == (rosa, str(rosa), seat)


@pytest.mark.today("2026-11-23")
def test_an_unknown_or_ambiguous_name_is_refused_with_the_matches_and_nothing_is_written(alliedup, nursescan, alliedup_users,
                                                                                         login, seat, unscoped):
    _owners(alliedup, 25)
    employee = WorkerFactory(cooperative=alliedup, first_name="Eve", last_name="Employee", status=MemberStatus.EMPLOYEE)
    with unscoped():
        make_owner(nursescan, first_name="Olga", last_name="Outsider")
    client = login(alliedup_users["board"])
    several = _seat(client, seat, "owner1")
    body = several.content.decode()
    assert several.status_code == 400 and "10 worker-owners match “owner1”: Bulk, Owner10; Bulk, Owner11;" in body
    too_many = _seat(client, seat, "bulk").content.decode()
    assert "More than 20 worker-owners match “bulk”" in too_many and "Bulk, Owner19" in too_many and "Bulk, Owner20" not in too_many
    for text in (str(employee), "Outsider, Olga", "Bulk, Owner01 <olga@nursescan.example.com>"):
        refused = _seat(client, seat, text)
        assert refused.status_code == 400 and "No worker-owner of the co-op is called" in refused.content.decode()
    assert 'value="owner1"' in body  # what was typed stays in the box
    assert not BoardTerm.objects.exists()
