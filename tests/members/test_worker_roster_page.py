"""The staff roster page (/members/workers/): every worker of the co-op, found by name, email
and status, each linked to their record. The pipeline lists only the people who need
attention, so without it an owner who leaves in good standing could not be reached."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from members.models import MemberStatus
from tests.conftest import OUTSIDER_MARKER
from tests.members.factories import WorkerFactory

URL = "/c/alliedup/members/workers/"


@pytest.fixture
def staff(alliedup_users, login):
    return login(alliedup_users["payroll"])  # members.view, not members.manage


@pytest.fixture
def people(alliedup, nursescan, ma, rn):
    lena = WorkerFactory(cooperative=alliedup, first_name="Lena", last_name="Okafor", email="lena@example.com",
                         status=MemberStatus.OWNER, owner_since=date(2026, 6, 1), classifications=[ma, rn])
    sam = WorkerFactory(cooperative=alliedup, first_name="Sam", last_name="Lee", email="sam.l@example.com",
                        is_active=False)
    ana = WorkerFactory(cooperative=alliedup, first_name="Ana", last_name="Okafor", email="a.okafor@example.com")
    with scopes_disabled():
        WorkerFactory(cooperative=nursescan, first_name=OUTSIDER_MARKER, last_name="Okafor")
    return {"lena": lena, "sam": sam, "ana": ana}


def _names(response) -> list[str]:
    return [f"{w.last_name}, {w.first_name}" for w in response.context["page"]]


def test_lists_every_worker_of_the_coop_by_name_with_a_link_to_the_record(staff, people):
    response = staff.get(URL)
    assert response.status_code == 200
    assert _names(response) == ["Lee, Sam", "Okafor, Ana", "Okafor, Lena"]
    body = response.content.decode()
    assert f'href="/c/alliedup/members/workers/{people["lena"].uuid}/"' in body
    assert "Worker-owner" in body and "Medical Assistant, Registered Nurse" in body
    assert "separated" in body  # Sam left, and is still found
    assert OUTSIDER_MARKER not in body


def test_every_word_must_match_a_name_or_the_email(staff, people):
    assert _names(staff.get(URL, {"q": "okafor"})) == ["Okafor, Ana", "Okafor, Lena"]
    assert _names(staff.get(URL, {"q": "Lena OKAFOR"})) == ["Okafor, Lena"]
    assert _names(staff.get(URL, {"q": "sam.l@"})) == ["Lee, Sam"]
    body = staff.get(URL, {"q": "nobody"}).content.decode()
    assert "No worker matches." in body


def test_filters_by_status_and_shows_all_for_an_unknown_one(staff, people):
    assert _names(staff.get(URL, {"status": "owner"})) == ["Okafor, Lena"]
    assert _names(staff.get(URL, {"q": "okafor", "status": "employee"})) == ["Okafor, Ana"]
    response = staff.get(URL, {"status": "bogus"})
    assert response.status_code == 200 and len(_names(response)) == 3


def test_pages_keep_the_filters(alliedup, staff):
    for n in range(52):
        WorkerFactory(cooperative=alliedup, first_name=f"W{n:02d}", last_name="Rivera")
    first = staff.get(URL, {"q": "rivera"})
    assert len(_names(first)) == 50
    assert "?q=rivera&amp;page=2" in first.content.decode()
    assert len(_names(staff.get(URL, {"q": "rivera", "page": 2}))) == 2


def test_queries_do_not_grow_with_the_roster(alliedup, staff, ma, django_assert_max_num_queries):
    for n in range(40):
        WorkerFactory(cooperative=alliedup, classifications=[ma])
    with django_assert_max_num_queries(10):
        assert staff.get(URL).status_code == 200


def test_workers_and_clients_cannot_open_it(alliedup_users, login):
    for role in ("worker", "client"):
        assert login(alliedup_users[role]).get(URL).status_code == 403


def test_the_pipeline_links_to_it(staff):
    assert f'href="{URL}"' in staff.get("/c/alliedup/members/").content.decode()
