"""The election's nominate form and the committee member form at scale (issue 17): like the
board's "seat someone", each names a worker in a text box resolved on the server (no <select>
of every worker) with suggestions from the one search endpoint; each keeps its own rule of who
may be named (a worker-owner not yet on the ballot; any worker not withdrawn)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from governance.models import Candidate, CommitteeMember
from governance.services.committees import committee_create
from governance.services.voting import candidate_nominate, election_create
from members.models import MemberStatus
from members.services.status import status_change
from tests.governance.conftest import make_owner
from tests.governance.helpers import live_windows
from tests.members.factories import WorkerFactory


def _url(name, **kw):
    return reverse(f"governance:{name}", kwargs={"coop_slug": "alliedup", **kw})


def _options(response) -> list[str]:
    return re.findall(r'<option value="([^"]*)">', response.content.decode())


def _workers(coop, n, last_name):
    """Half worker-owners, half employees: both kinds count for the committee form."""
    def one(i):
        names = {"first_name": f"Person{i:02d}", "last_name": last_name, "email": f"{last_name.lower()}{i}@example.com"}
        return make_owner(coop, **names) if i % 2 else WorkerFactory(cooperative=coop, status=MemberStatus.EMPLOYEE, **names)

    return [one(i) for i in range(n)]


@pytest.fixture
def election(alliedup):
    return election_create(cooperative=alliedup, title="Board 2027", number_of_seats=1, method="plurality", **live_windows())


@pytest.fixture
def lmc(alliedup):
    return committee_create(cooperative=alliedup, name="Labor-Management Committee", kind="lmc")


def _nominate(client, election, text):
    return client.post(_url("election_nominate", election_uuid=election.uuid), {"worker": text, "statement": "Hi"})


def _seat_member(client, committee, text, **extra):
    return client.post(_url("committee_member_add", committee_uuid=committee.uuid),
                       {"worker": text, "side": "workers", "starts_on": "2026-11-23", **extra})


# --- the pages: no list of workers, queries that do not grow with them ----------------------------


@pytest.mark.today("2026-11-23")
@pytest.mark.parametrize("page", ["election", "committee"])
def test_the_page_lists_no_workers_and_its_queries_do_not_grow_with_them(alliedup, alliedup_users, login, election, lmc, page,
                                                                         django_assert_max_num_queries):
    client = login(alliedup_users["board"])
    url, among, datalist = {
        "election": (_url("election_detail", election_uuid=election.uuid), "owners", "nominate-worker-options"),
        "committee": (_url("committee_detail", committee_uuid=lmc.uuid), "workers", "member-worker-options"),
    }[page]
    _workers(alliedup, 3, "Few")
    with django_assert_max_num_queries(20) as few:
        small = client.get(url)
    _workers(alliedup, 40, "Many")
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    body = large.content.decode()
    assert "Person0" not in body and "Many" not in body and "<select name=\"worker\"" not in body
    assert f'list="{datalist}"' in body and f'<datalist id="{datalist}"></datalist>' in body
    assert f'hx-get="{_url("owner_search")}"' in body and f"{{&quot;among&quot;: &quot;{among}&quot;}}" in body


# --- the one search endpoint, for either kind of box ----------------------------------------------


def test_search_among_workers_offers_anyone_of_this_coop_not_withdrawn(alliedup, nursescan, alliedup_users, login, unscoped):
    make_owner(alliedup, first_name="Rosa", last_name="Delgado")
    WorkerFactory(cooperative=alliedup, first_name="Rosalind", last_name="Employee", status=MemberStatus.EMPLOYEE)
    WorkerFactory(cooperative=alliedup, first_name="Rosamund", last_name="Gone", status=MemberStatus.WITHDRAWN)
    with unscoped():
        WorkerFactory(cooperative=nursescan, first_name="Rosanna", last_name="Outsider", status=MemberStatus.EMPLOYEE)
    client = login(alliedup_users["board"])
    search = _url("owner_search")
    assert _options(client.get(search, {"q": "ros", "among": "workers"})) == ["Delgado, Rosa", "Employee, Rosalind"]
    assert _options(client.get(search, {"worker": "ros", "among": "owners"})) == ["Delgado, Rosa"]
    assert client.get(search, {"q": "ros", "among": "everyone"}).status_code == 400
    assert login(alliedup_users["coordinator"]).get(search, {"q": "ros", "among": "workers"}).status_code == 403


# --- nominating someone typed by name --------------------------------------------------------------


def test_a_worker_owner_typed_by_name_is_nominated(alliedup, alliedup_users, login, election):
    rosa = make_owner(alliedup, first_name="Rosa", last_name="Delgado")
    make_owner(alliedup, first_name="Ben", last_name="Okafor")
    assert _nominate(login(alliedup_users["board"]), election, "rosa delgado").status_code == 302
    assert Candidate.objects.get(election=election).worker == rosa


def test_nominating_an_unknown_ambiguous_or_ineligible_name_is_refused_and_nothing_is_written(
        alliedup, nursescan, alliedup_users, login, election, unscoped):
    for i in range(3):
        make_owner(alliedup, first_name=f"Ana{i}", last_name="Lopez")
    employee = WorkerFactory(cooperative=alliedup, first_name="Eve", last_name="Employee", status=MemberStatus.EMPLOYEE)
    lapsed = make_owner(alliedup, first_name="Lara", last_name="Lapsed")
    status_change(worker=lapsed, to_status="lapsed", reason="below 100 hours")
    nominated = make_owner(alliedup, first_name="Nora", last_name="Nominee")
    candidate_nominate(election=election, worker=nominated)
    with unscoped():
        make_owner(nursescan, first_name="Olga", last_name="Outsider", email="olga@nursescan.example.com")
    client = login(alliedup_users["board"])
    several = _nominate(client, election, "lopez")
    assert several.status_code == 400 and "3 worker-owners match “lopez”: Lopez, Ana0; Lopez, Ana1; Lopez, Ana2." in several.content.decode()
    for text in ("Nobody Here", str(employee), "Lapsed, Lara", "Nominee, Nora", "Outsider, Olga", "Lopez, Ana0 <olga@nursescan.example.com>"):
        refused = _nominate(client, election, text)
        assert refused.status_code == 400, text
        assert "No worker-owner of the co-op who is not already on the ballot is called" in refused.content.decode()
    assert list(Candidate.objects.values_list("worker", flat=True)) == [nominated.pk]


def test_a_namesake_already_on_the_ballot_leaves_the_other_to_be_nominated(alliedup, alliedup_users, login, election):
    first = make_owner(alliedup, first_name="Ana", last_name="Lopez", email="ana.1@example.com")
    second = make_owner(alliedup, first_name="Ana", last_name="Lopez", email="ana.2@example.com")
    candidate_nominate(election=election, worker=first)
    assert _nominate(login(alliedup_users["board"]), election, "Lopez, Ana").status_code == 302
    assert set(Candidate.objects.values_list("worker", flat=True)) == {first.pk, second.pk}


# --- a committee member typed by name ------------------------------------------------------------


@pytest.mark.today("2026-11-23")
def test_any_worker_not_withdrawn_typed_by_name_sits_on_the_committee(alliedup, alliedup_users, login, lmc):
    employee = WorkerFactory(cooperative=alliedup, first_name="Eve", last_name="Employee", status=MemberStatus.EMPLOYEE)
    make_owner(alliedup, first_name="Ben", last_name="Okafor")
    response = _seat_member(login(alliedup_users["board"]), lmc, "  eve EMPLOYEE ", chosen_by_peers="on")
    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    assert (member.worker, member.name, member.chosen_by_peers, member.starts_on) == (employee, str(employee), True, date(2026, 11, 23))


@pytest.mark.today("2026-11-23")
def test_a_committee_member_unknown_ambiguous_or_of_another_coop_is_refused_and_nothing_is_written(
        alliedup, nursescan, alliedup_users, login, lmc, unscoped):
    _workers(alliedup, 25, "Bulk")
    gone = WorkerFactory(cooperative=alliedup, first_name="Walt", last_name="Withdrawn", status=MemberStatus.WITHDRAWN)
    with unscoped():
        WorkerFactory(cooperative=nursescan, first_name="Olga", last_name="Outsider", status=MemberStatus.EMPLOYEE)
    client = login(alliedup_users["board"])
    several = _seat_member(client, lmc, "person1").content.decode()
    assert "10 workers match “person1”: Bulk, Person10; Bulk, Person11;" in several and 'value="person1"' in several
    too_many = _seat_member(client, lmc, "bulk").content.decode()
    assert "More than 20 workers match “bulk”" in too_many and "Bulk, Person20" not in too_many
    for text in (str(gone), "Outsider, Olga", "Nobody Here"):
        refused = _seat_member(client, lmc, text)
        assert refused.status_code == 400 and "No worker of the co-op is called" in refused.content.decode(), text
    assert not CommitteeMember.objects.exists()
    # Not naming a worker is still allowed: a manager seated by name alone.
    assert _seat_member(client, lmc, "", name="Outside Manager", side="management").status_code == 302
    assert CommitteeMember.objects.get().worker is None
