"""Governance pages: set-up, the ballot with its confirm step, the receipt, results with
receipt checks, turnout without names, certification, the board and committees."""

import re
from datetime import date, timedelta, timezone as dt_timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardTerm, Candidate, Election, ElectionBallot, PendingBallot, ResolutionBallot, VoterParticipation
from governance.services.board import seat_create, term_add
from governance.services.committees import committee_create, committee_member_add
from governance.services.voting import receipt_lookup
from members.services.status import status_change
from tests.governance.conftest import make_owner
from tests.governance.helpers import cast, close_and_count, live_windows, open_election, open_resolution, owner_with_login


@pytest.fixture
def voter(alliedup, alliedup_users):
    """The alliedup worker login, a worker-owner."""
    return owner_with_login(alliedup, alliedup_users["worker"], first_name="Rosa", last_name="Delgado")


@pytest.fixture
def candidates(alliedup):
    return [make_owner(alliedup, first_name=f, last_name="Candidate") for f in ("Ana", "Ben", "Cleo")]


def _url(name, **kw):
    return reverse(f"governance:{name}", kwargs={"coop_slug": "alliedup", **kw})


def _nothing_cast():
    return (ElectionBallot.objects.count() == 0 and ResolutionBallot.objects.count() == 0 and PendingBallot.objects.count() == 0
            and VoterParticipation.objects.count() == 0)


# --- staff set-up ---------------------------------------------------------------------------


def test_board_member_sets_up_an_election_in_the_coops_local_time(alliedup, alliedup_users, login):
    client = login(alliedup_users["board"])
    response = client.post(_url("election_create"), {
        "title": "Board 2027", "number_of_seats": 2, "method": "ranked", "quorum_percent": "40",
        "nominations_open_at": "2027-01-04T09:00", "nominations_close_at": "2027-01-18T17:00",
        "voting_opens_at": "2027-01-20T09:00", "voting_closes_at": "2027-01-27T17:00", "record_date": "2027-01-15",
    })
    election = Election.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("election_detail", election_uuid=election.uuid)
    # 09:00 in Los Angeles (PST, UTC-8) is 17:00 UTC
    assert election.voting_opens_at.astimezone(dt_timezone.utc).hour == 17
    assert election.status == "draft" and election.created_by == alliedup_users["board"]


def test_election_form_shows_the_services_refusal(alliedup_users, login):
    response = login(alliedup_users["admin"]).post(_url("election_create"), {
        "title": "Bad", "number_of_seats": 1, "method": "plurality", "quorum_percent": "50",
        "nominations_open_at": "2027-01-04T09:00", "nominations_close_at": "2027-01-18T17:00",
        "voting_opens_at": "2027-01-20T09:00", "voting_closes_at": "2027-01-27T17:00", "record_date": "2027-02-01",
    })
    assert response.status_code == 400 and b"record date is on or before" in response.content
    assert not Election.objects.exists()


def test_coordinator_sees_elections_but_cannot_set_one_up(alliedup_users, login):
    client = login(alliedup_users["coordinator"])
    assert client.get(_url("election_list")).status_code == 200
    assert client.get(_url("election_create")).status_code == 403


def test_nominate_then_open_voting_through_the_detail_page(alliedup, alliedup_users, login, candidates):
    from governance.services.voting import election_create

    windows = live_windows()
    election = election_create(cooperative=alliedup, title="Board", number_of_seats=1, method="plurality", **windows)
    client = login(alliedup_users["board"])
    assert client.post(_url("election_nominations_open", election_uuid=election.uuid)).status_code == 302
    for w in candidates[:2]:
        response = client.post(_url("election_nominate", election_uuid=election.uuid),
                               {"worker": f"{w.last_name}, {w.first_name}", "statement": "Hi"})
        assert response.status_code == 302
    employee = make_owner(alliedup, first_name="Lapsing", last_name="Owner")
    status_change(worker=employee, to_status="lapsed", reason="test")
    refused = client.post(_url("election_nominate", election_uuid=election.uuid), {"worker": "Owner, Lapsing"})
    assert refused.status_code == 400 and "No worker-owner of the co-op" in refused.content.decode()  # not a worker-owner
    client.post(_url("election_voting_open", election_uuid=election.uuid), {"confirm": "on"})
    election.refresh_from_db()
    # the lapse took effect after the record date: the roll is the owners on that day
    assert election.status == "voting" and election.roll.count() == 4
    page = client.get(_url("election_detail", election_uuid=election.uuid))
    assert b"On the roll" in page.content and "Ana Candidate" in page.content.decode()


# --- secrecy --------------------------------------------------------------------------------


def test_turnout_shows_counts_but_never_who_voted_how(alliedup, alliedup_users, login, candidates):
    voters = [make_owner(alliedup, first_name=f"Voter{i}", last_name="Zedekiah") for i in range(3)]
    election, (a, b, c) = open_election(alliedup, candidates)
    receipts = [cast(election, v, [str(x.uuid)]) for v, x in zip(voters, (a, b, a))]
    client = login(alliedup_users["admin"])
    body = client.get(_url("election_detail", election_uuid=election.uuid)).content.decode()
    assert "Voted" in body and ">3<" in body  # three of six voted
    assert "Voter0" not in body and "Zedekiah" not in body
    assert not any(r in body for r in receipts)
    # nor, before the count, on the results page
    body = client.get(_url("election_results", election_uuid=election.uuid)).content.decode()
    assert not any(r in body for r in receipts) and "Voter0" not in body
    # after the count the ballots are published by receipt code, still with no voter name
    close_and_count(election)
    body = client.get(_url("election_results", election_uuid=election.uuid)).content.decode()
    assert all(r in body for r in receipts) and "Voter0" not in body and "Zedekiah" not in body


# --- the ballot -----------------------------------------------------------------------------


def test_ballot_confirm_step_casts_nothing_until_confirmed(alliedup, alliedup_users, login, voter, candidates):
    election, (a, b, c) = open_election(alliedup, candidates)
    client = login(alliedup_users["worker"])
    url = _url("election_ballot", election_uuid=election.uuid)
    page = client.get(url)
    assert page.status_code == 200 and "Ana Candidate" in page.content.decode() and b'type="checkbox"' in page.content

    confirm = client.post(url, {"candidate": [str(b.uuid)]})
    assert confirm.status_code == 200 and b"Check your ballot" in confirm.content and b"Ben Candidate" in confirm.content
    assert b'name="confirmed" value="1"' in confirm.content
    assert _nothing_cast()

    edit = client.post(url, {"candidate": [str(b.uuid)], "edit": "1"})
    assert edit.status_code == 200 and b"checked" in edit.content and _nothing_cast()

    done = client.post(url, {"candidate": [str(b.uuid)], "confirmed": "1"})
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    assert PendingBallot.objects.count() == 1 and ElectionBallot.objects.count() == 0  # held sealed until a flush
    receipt = re.search(r'id="receipt">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<', done.content.decode()).group(1)
    assert receipt_lookup(vote=election, code=receipt).choices == [b.pk]
    assert b"shown only this once" in done.content

    again = client.post(url, {"candidate": [str(a.uuid)], "confirmed": "1"})
    assert again.status_code == 400 and b"You have voted" in again.content and PendingBallot.objects.count() == 1


@pytest.mark.parametrize("case", ["unknown", "too_many", "none"])
def test_bad_plurality_ballots_via_the_page_are_400_and_write_nothing(alliedup, alliedup_users, login, voter, candidates, case):
    election, (a, b, c) = open_election(alliedup, candidates)
    choices = {"unknown": ["00000000-0000-0000-0000-000000000000"], "too_many": [str(a.uuid), str(b.uuid)], "none": []}[case]
    message = {"unknown": b"not a candidate", "too_many": b"at most 1", "none": b"at least one"}[case]
    for confirmed in ("", "1"):
        response = login(alliedup_users["worker"]).post(_url("election_ballot", election_uuid=election.uuid),
                                                        {"candidate": choices, "confirmed": confirmed})
        assert response.status_code == 400 and message in response.content
    assert _nothing_cast()


def test_ranked_ballot_duplicate_ranks_and_gaps_are_refused(alliedup, alliedup_users, login, voter, candidates):
    election, (a, b, c) = open_election(alliedup, candidates, method="ranked")
    client = login(alliedup_users["worker"])
    url = _url("election_ballot", election_uuid=election.uuid)
    page = client.get(url).content.decode()
    assert 'name="rank_1"' in page and 'name="rank_3"' in page and "1st choice" in page and "2nd choice" in page
    dup = client.post(url, {"rank_1": str(a.uuid), "rank_2": str(a.uuid), "confirmed": "1"})
    assert dup.status_code == 400 and b"duplicate ranks" in dup.content
    gap = client.post(url, {"rank_1": "", "rank_2": str(a.uuid), "confirmed": "1"})
    assert gap.status_code == 400 and b"without gaps" in gap.content
    assert _nothing_cast()
    ok = client.post(url, {"rank_1": str(c.uuid), "rank_2": str(a.uuid), "confirmed": "1"})
    receipt = re.search(r'id="receipt">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<', ok.content.decode()).group(1)
    assert ok.status_code == 200 and receipt_lookup(vote=election, code=receipt).choices == [c.pk, a.pk]


def test_a_vote_outside_the_window_is_refused_and_writes_nothing(alliedup, alliedup_users, login, voter, candidates):
    election, (a, *_rest) = open_election(alliedup, candidates)
    Election.objects.filter(pk=election.pk).update(voting_closes_at=timezone.now() - timedelta(minutes=1))
    response = login(alliedup_users["worker"]).post(_url("election_ballot", election_uuid=election.uuid),
                                                    {"candidate": [str(a.uuid)], "confirmed": "1"})
    assert response.status_code == 400 and b"Voting is not open" in response.content and _nothing_cast()


def test_someone_not_on_the_roll_gets_no_ballot(alliedup, alliedup_users, login, candidates):
    election, (a, *_rest) = open_election(alliedup, candidates)
    make_owner(alliedup, since=timezone.localdate(), user=alliedup_users["worker"])  # owner after the record date
    client = login(alliedup_users["worker"])
    assert b"not on the voter roll" in client.get(_url("election_ballot", election_uuid=election.uuid)).content
    response = client.post(_url("election_ballot", election_uuid=election.uuid), {"candidate": [str(a.uuid)], "confirmed": "1"})
    assert response.status_code == 400 and _nothing_cast()


def test_resolution_ballot_confirm_then_cast(alliedup, alliedup_users, login, voter):
    resolution = open_resolution(alliedup)
    client = login(alliedup_users["worker"])
    url = _url("resolution_ballot", resolution_uuid=resolution.uuid)
    assert b'type="radio"' in client.get(url).content
    bad = client.post(url, {"choice": "maybe", "confirmed": "1"})
    assert bad.status_code == 400 and b"Vote yes, no or abstain" in bad.content and _nothing_cast()
    confirm = client.post(url, {"choice": "no"})
    assert b"Check your ballot" in confirm.content and _nothing_cast()
    done = client.post(url, {"choice": "no", "confirmed": "1"})
    receipt = re.search(r'id="receipt">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<', done.content.decode()).group(1)
    assert PendingBallot.objects.count() == 1 and receipt_lookup(vote=resolution, code=receipt).choice == "no"


def test_my_votes_lists_the_roll_entries_with_what_to_do(alliedup, alliedup_users, login, voter, candidates):
    election, (a, *_rest) = open_election(alliedup, candidates)
    resolution = open_resolution(alliedup)
    cast(resolution, voter, "yes")
    body = login(alliedup_users["worker"]).get(_url("my_votes")).content.decode()
    assert election.title in body and resolution.title in body
    assert _url("election_ballot", election_uuid=election.uuid) in body
    assert _url("resolution_ballot", resolution_uuid=resolution.uuid) not in body and "You voted" in body


def test_a_worker_login_without_an_employee_record_sees_a_message(alliedup_users, login):
    response = login(alliedup_users["worker"]).get(_url("my_votes"))
    assert response.status_code == 200 and b"No employee record" in response.content


def test_workers_cannot_open_staff_pages_and_staff_cannot_vote(alliedup_users, login):
    assert login(alliedup_users["worker"]).get(_url("election_list")).status_code == 403
    assert login(alliedup_users["admin"]).get(_url("my_votes")).status_code == 403
    assert login(alliedup_users["client"]).get(_url("my_votes")).status_code == 403


# --- results, receipts, certification --------------------------------------------------------


def test_results_page_checks_a_receipt_and_refuses_tampered_ones(alliedup, alliedup_users, login, voter, candidates):
    election, (a, b, c) = open_election(alliedup, candidates)
    receipt = cast(election, voter, [str(a.uuid)])
    client = login(alliedup_users["worker"])
    url = _url("election_results", election_uuid=election.uuid)
    early = client.post(url, {"receipt": receipt})  # while voting is open: recorded (held sealed, not yet counted)
    assert early.status_code == 200 and b"is recorded and will be counted when voting closes: Ana Candidate" in early.content
    close_and_count(election)
    found = client.post(url, {"receipt": receipt.lower().replace("-", "")})
    assert found.status_code == 200 and b"was counted: Ana Candidate" in found.content
    tampered = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    unknown = client.post(url, {"receipt": tampered})
    assert unknown.status_code == 400 and b"No ballot has this receipt code" in unknown.content
    malformed = client.post(url, {"receipt": "1234-0000"})
    assert malformed.status_code == 400 and b"12 letters" in malformed.content


def test_count_certify_seats_the_elected_and_the_pdf_downloads(alliedup, alliedup_users, login, candidates):
    voters = [make_owner(alliedup) for _ in range(2)]
    election, (a, b, c) = open_election(alliedup, candidates)
    for v in voters + candidates[:1]:
        cast(election, v, [str(b.uuid)])
    seat = seat_create(cooperative=alliedup, name="Worker seat 1", kind="worker_owner")
    client = login(alliedup_users["board"])
    assert client.get(_url("election_results_pdf", election_uuid=election.uuid)).status_code == 302  # not counted yet
    Election.objects.filter(pk=election.pk).update(voting_closes_at=timezone.now() - timedelta(seconds=1))
    client.post(_url("election_count", election_uuid=election.uuid))
    election.refresh_from_db()
    assert election.status == "closed" and election.result["quorum_met"]  # 3 of 5 voted
    page = client.get(_url("election_detail", election_uuid=election.uuid)).content.decode()
    assert "Seat for Ben Candidate" in page and "Elected" in page
    today = alliedup.today()
    response = client.post(_url("election_certify", election_uuid=election.uuid), {"seat_0": seat.pk, "term_starts_on": today.isoformat(),
                                                                                  "term_ends_on": (today + timedelta(days=730)).isoformat()})
    assert response.status_code == 302
    election.refresh_from_db()
    term = BoardTerm.objects.get()
    assert election.status == "certified" and election.certified_by == alliedup_users["board"]
    assert (term.worker, term.source, term.election) == (b.worker, "elected", election)
    pdf = client.get(_url("election_results_pdf", election_uuid=election.uuid))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_results_pdf_shows_the_rounds_and_names(alliedup, candidates):
    from governance.documents import results_context

    voters = [make_owner(alliedup) for _ in range(5)]
    election, (a, b, c) = open_election(alliedup, candidates, method="ranked")
    # a 2, b 2, c 1 → c excluded, c's ballot goes to b: b 3 reaches the quota of 3
    for v, ranking in zip(voters, ([a, b], [a], [b, a], [b], [c, b])):
        cast(election, v, [str(x.uuid) for x in ranking])
    election = close_and_count(election)
    context = results_context(election)
    assert context["elected"] == ["Ben Candidate"] and all(name.endswith("Candidate") for name, _ in context["rounds"][0]["rows"])
    from django.template.loader import render_to_string

    html = render_to_string("governance/documents/results.html", context)
    assert "Round 1" in html and "Excluded: Cleo Candidate" in html and "Elected" in html


def test_resolution_count_and_certify(alliedup, alliedup_users, login, voter):
    resolution = open_resolution(alliedup)
    cast(resolution, voter, "yes")
    client = login(alliedup_users["admin"])
    resolution.__class__.objects.filter(pk=resolution.pk).update(voting_closes_at=timezone.now() - timedelta(seconds=1))
    client.post(_url("resolution_count", resolution_uuid=resolution.uuid))
    client.post(_url("resolution_certify", resolution_uuid=resolution.uuid))
    resolution.refresh_from_db()
    assert resolution.status == "certified"
    body = client.get(_url("resolution_detail", resolution_uuid=resolution.uuid)).content.decode()
    assert "adopted" in body and "Results (PDF)" in body


# --- query counts ---------------------------------------------------------------------------


def _queries(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_elections_list_queries_do_not_grow_with_elections_or_ballots(alliedup, alliedup_users, login, candidates):
    client = login(alliedup_users["admin"])
    election, (a, *_r) = open_election(alliedup, candidates, title="One")
    cast(election, candidates[0], [str(a.uuid)])
    small = _queries(client, _url("election_list"))
    for i in range(4):
        e, (x, *_r) = open_election(alliedup, candidates, title=f"More {i}")
        for w in candidates:
            cast(e, w, [str(x.uuid)])
    assert _queries(client, _url("election_list")) == small


def test_results_page_queries_do_not_grow_with_ballots(alliedup, alliedup_users, login, voter, candidates):
    client = login(alliedup_users["worker"])
    everyone = candidates + [voter] + [make_owner(alliedup) for _ in range(6)]
    few, (a, b, c) = open_election(alliedup, candidates, title="Few")
    for w in everyone[:5]:
        cast(few, w, [str(a.uuid)])
    close_and_count(few)
    many, (x, y, z) = open_election(alliedup, candidates, title="Many")
    for w in everyone:
        cast(many, w, [str(y.uuid)])
    close_and_count(many)
    assert many.ballots.count() == 10 and few.ballots.count() == 5
    assert _queries(client, _url("election_results", election_uuid=few.uuid)) == \
        _queries(client, _url("election_results", election_uuid=many.uuid))
    assert _queries(client, _url("election_results", election_uuid=many.uuid)) <= 15


# --- board and committees -------------------------------------------------------------------


def test_board_page_highlights_a_breach_and_shows_a_refused_term(alliedup, alliedup_users, login):
    a, b = make_owner(alliedup, first_name="Owen"), make_owner(alliedup)
    s1 = seat_create(cooperative=alliedup, name="Seat A", kind="worker_owner")
    s2 = seat_create(cooperative=alliedup, name="Seat B", kind="worker_owner")
    s3 = seat_create(cooperative=alliedup, name="Seat C", kind="appointed")
    term_add(seat=s1, holder_name="", worker=a, starts_on=date(2026, 1, 1), source="elected")
    term_add(seat=s2, holder_name="", worker=b, starts_on=date(2026, 1, 1), source="elected")
    client = login(alliedup_users["board"])
    status_change(worker=a, to_status="lapsed", reason="below 100 hours")
    body = client.get(_url("board")).content.decode()
    assert 'class="breach"' in body and "the rule is broken" in body and "— breach" in body
    refused = client.post(_url("term_add"), {"seat": s3.pk, "holder_name": "Outside expert", "source": "appointed",
                                             "starts_on": alliedup.today().isoformat()})
    assert refused.status_code == 400 and b"more than half of the filled seats" in refused.content
    term = BoardTerm.objects.get(seat=s1)
    client.post(_url("term_end", term_uuid=term.uuid), {"ends_on": alliedup.today().isoformat()})
    term.refresh_from_db()
    assert term.ends_on == alliedup.today()


def test_committee_page_shows_the_lmc_balance(alliedup, alliedup_users, login):
    lmc = committee_create(cooperative=alliedup, name="Labor-Management Committee", kind="lmc")
    start = date(2026, 1, 1)
    for i in range(3):
        committee_member_add(committee=lmc, side="management", name=f"Manager {i}", starts_on=start)
    for i in range(2):
        committee_member_add(committee=lmc, side="workers", worker=make_owner(alliedup), chosen_by_peers=True, starts_on=start)
    client = login(alliedup_users["coordinator"])
    body = client.get(_url("committee_detail", committee_uuid=lmc.uuid)).content.decode()
    assert "unequal: 3 management, 2 workers" in body
    assert "unequal: 3 management, 2 workers" in client.get(_url("committee_list")).content.decode()
    # coordinators read; only the board and admins change committees
    assert client.post(_url("committee_member_add", committee_uuid=lmc.uuid), {}).status_code == 403
    board = login(alliedup_users["board"])
    refused = board.post(_url("committee_member_add", committee_uuid=lmc.uuid),
                         {"name": "Someone", "side": "workers", "chosen_by_peers": "on", "starts_on": "2026-02-01"})
    assert refused.status_code == 400 and b"chosen by peers is a worker of the co-op" in refused.content
    member = lmc.members.filter(side="workers").first()
    ok = board.post(_url("committee_meeting_record", committee_uuid=lmc.uuid),
                    {"held_on": "2026-03-01", "agenda": "Wage table", "minutes": "Agreed.", "attendees": [member.pk]})
    assert ok.status_code == 302
    assert "Wage table" in board.get(_url("committee_detail", committee_uuid=lmc.uuid)).content.decode()


def test_candidates_on_the_ballot_page_are_only_accepted_ones(alliedup, alliedup_users, login, voter, candidates):
    election, (a, b, c) = open_election(alliedup, candidates)
    Candidate.objects.filter(pk=c.pk).update(status="withdrawn")
    body = login(alliedup_users["worker"]).get(_url("election_ballot", election_uuid=election.uuid)).content.decode()
    assert "Ana Candidate" in body and "Cleo Candidate" not in body
