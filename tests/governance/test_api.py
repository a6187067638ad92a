"""The governance API: set-up, nominations, casting with receipts, bad ballots (400, nothing
written), the count, results, published ballots, receipt checks, certification, the board,
committees; permissions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardTerm, Election, ElectionBallot, Resolution, ResolutionBallot, VoterParticipation
from governance.services.board import seat_create
from tests.governance.conftest import make_owner
from tests.governance.helpers import cast, close_and_count, live_windows, open_election, owner_with_login


def _api(name, **kw):
    return reverse(f"governance_api:{name}", kwargs={"coop_slug": "alliedup", **kw})


@pytest.fixture
def voter(alliedup, alliedup_users):
    return owner_with_login(alliedup, alliedup_users["worker"], first_name="Rosa", last_name="Delgado")


@pytest.fixture
def candidates(alliedup):
    return [make_owner(alliedup, first_name=f, last_name="Candidate") for f in ("Ana", "Ben", "Cleo")]


def _results(data):
    return data["results"] if isinstance(data, dict) and "results" in data else data


def test_an_election_from_set_up_to_certification(alliedup, alliedup_users, login, voter, candidates):
    board = login(alliedup_users["board"])
    windows = {k: v.isoformat() for k, v in live_windows().items()}
    created = board.post(_api("elections"), {"title": "Board 2026", "number_of_seats": 1, "method": "plurality", **windows},
                         content_type="application/json")
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    assert board.post(_api("election_nominations_open", election_uuid=uuid)).json()["status"] == "nominations"
    for w in candidates:
        r = board.post(_api("election_nominate", election_uuid=uuid), {"worker": str(w.uuid), "statement": "Vote me"},
                       content_type="application/json")
        assert r.status_code == 201 and r.json()["name"] == str(w)
    assert board.post(_api("election_voting_open", election_uuid=uuid)).json()["status"] == "voting"
    detail = board.get(_api("election_detail", election_uuid=uuid)).json()
    ana = next(c for c in detail["candidates"] if c["name"] == "Ana Candidate")

    worker = login(alliedup_users["worker"])
    cast_response = worker.post(_api("election_cast", election_uuid=uuid), {"choices": [ana["uuid"]]}, content_type="application/json")
    assert cast_response.status_code == 201 and cast_response["Cache-Control"] == "no-store"
    receipt = cast_response.json()["receipt"]
    assert board.get(_api("election_turnout", election_uuid=uuid)).json() == {"on_roll": 4, "voted": 1, "percent": "25.00", "quorum_met": False}
    for w in candidates[:2]:
        cast(Election.objects.get(uuid=uuid), w, [ana["uuid"]])
    assert worker.get(_api("election_results", election_uuid=uuid)).status_code == 400  # not counted yet
    held = worker.post(_api("election_receipt", election_uuid=uuid), {"receipt": receipt}, content_type="application/json")
    assert held.status_code == 200 and held.json() == {"receipt_code": receipt, "ballot": "Ana Candidate"}  # recorded, held sealed
    Election.objects.filter(uuid=uuid).update(voting_closes_at=timezone.now() - timedelta(seconds=1))
    assert board.post(_api("election_count", election_uuid=uuid)).json()["status"] == "closed"

    results = worker.get(_api("election_results", election_uuid=uuid)).json()
    assert results["elected"] == ["Ana Candidate"] and results["quorum_met"] is True and results["voted"] == 3
    assert results["rounds"][0]["rows"][0] == {"name": "Ana Candidate", "votes": "3"}
    ballots = worker.get(_api("election_ballots", election_uuid=uuid)).json()
    assert len(ballots) == 3 and {"receipt_code": receipt, "ballot": "Ana Candidate"} in ballots
    check = worker.post(_api("election_receipt", election_uuid=uuid), {"receipt": receipt.lower()}, content_type="application/json")
    assert check.status_code == 200 and check.json()["ballot"] == "Ana Candidate"
    tampered = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    bad = worker.post(_api("election_receipt", election_uuid=uuid), {"receipt": tampered}, content_type="application/json")
    assert bad.status_code == 400 and "No ballot has this receipt code" in str(bad.json())

    seat_create(cooperative=alliedup, name="Worker seat", kind="worker_owner")
    certified = board.post(_api("election_certify", election_uuid=uuid), {"seats": ["Worker seat"], "term_starts_on": str(alliedup.today())},
                           content_type="application/json")
    assert certified.status_code == 200 and certified.json()["status"] == "certified"
    assert BoardTerm.objects.get().worker == candidates[0]
    board_state = board.get(_api("board")).json()
    assert board_state["majority"]["holds"] is True and board_state["terms"][0]["holder_name"] == "Ana Candidate"


@pytest.mark.parametrize("choices, message", [
    (["00000000-0000-0000-0000-000000000000"], "not a candidate"),
    ("both", "at most 1"),
    ("dup", "duplicate"),
    ([], "at least one"),
    ("not-a-list", "list"),
])
def test_bad_ballots_are_400_and_write_nothing(alliedup, alliedup_users, login, voter, candidates, choices, message):
    election, (a, b, c) = open_election(alliedup, candidates)
    if choices == "both":
        choices = [str(a.uuid), str(b.uuid)]
    elif choices == "dup":
        choices = [str(a.uuid), str(a.uuid)]
    response = login(alliedup_users["worker"]).post(_api("election_cast", election_uuid=election.uuid), {"choices": choices},
                                                    content_type="application/json")
    assert response.status_code == 400 and message in str(response.json())
    assert ElectionBallot.objects.count() == 0 and VoterParticipation.objects.count() == 0


def test_a_vote_outside_the_window_is_400_and_writes_nothing(alliedup, alliedup_users, login, voter, candidates):
    election, (a, *_r) = open_election(alliedup, candidates)
    Election.objects.filter(pk=election.pk).update(voting_opens_at=timezone.now() + timedelta(hours=1),
                                                   voting_closes_at=timezone.now() + timedelta(days=1))
    response = login(alliedup_users["worker"]).post(_api("election_cast", election_uuid=election.uuid), {"choices": [str(a.uuid)]},
                                                    content_type="application/json")
    assert response.status_code == 400 and "not open" in str(response.json()) and VoterParticipation.objects.count() == 0


def test_a_resolution_through_the_api(alliedup, alliedup_users, login, voter):
    admin = login(alliedup_users["admin"])
    windows = {k: v.isoformat() for k, v in live_windows().items() if not k.startswith("nominations")}
    created = admin.post(_api("resolutions"), {"title": "Reserve 30%", "text": "Resolved…", "threshold": "two_thirds", **windows},
                         content_type="application/json")
    uuid = created.json()["uuid"]
    admin.post(_api("resolution_voting_open", resolution_uuid=uuid))
    worker = login(alliedup_users["worker"])
    bad = worker.post(_api("resolution_cast", resolution_uuid=uuid), {"choice": "maybe"}, content_type="application/json")
    assert bad.status_code == 400 and ResolutionBallot.objects.count() == 0
    receipt = worker.post(_api("resolution_cast", resolution_uuid=uuid), {"choice": "yes"}, content_type="application/json").json()["receipt"]
    mine = worker.get(_api("my_votes")).json()
    assert mine[0]["voted"] is True and mine[0]["kind"] == "resolution" and mine[0]["can_vote_now"] is False
    close_and_count(Resolution.objects.get(uuid=uuid))
    assert worker.get(_api("resolution_results", resolution_uuid=uuid)).json()["adopted"] is True
    assert worker.get(_api("resolution_ballots", resolution_uuid=uuid)).json() == [{"receipt_code": receipt, "ballot": "Yes"}]
    assert admin.post(_api("resolution_certify", resolution_uuid=uuid)).json()["status"] == "certified"


def test_permissions(alliedup, alliedup_users, login, voter, candidates):
    election, (a, *_r) = open_election(alliedup, candidates)
    worker, coordinator, client = (login(alliedup_users[r]) for r in ("worker", "coordinator", "client"))
    assert worker.get(_api("elections")).status_code == 403
    assert coordinator.get(_api("elections")).status_code == 200
    assert coordinator.post(_api("elections"), {}, content_type="application/json").status_code == 403
    assert coordinator.post(_api("election_cast", election_uuid=election.uuid), {"choices": [str(a.uuid)]},
                            content_type="application/json").status_code == 403
    assert client.get(_api("election_results", election_uuid=election.uuid)).status_code == 403
    assert worker.get(_api("election_turnout", election_uuid=election.uuid)).status_code == 403


def test_board_and_committee_endpoints(alliedup, alliedup_users, login):
    admin = login(alliedup_users["admin"])
    owner = make_owner(alliedup)
    assert admin.post(_api("seat_create"), {"name": "Seat 1", "kind": "worker_owner"}, content_type="application/json").status_code == 201
    assert admin.post(_api("seat_create"), {"name": "Seat 2", "kind": "appointed"}, content_type="application/json").status_code == 201
    today = str(alliedup.today())
    refused = admin.post(_api("term_create"), {"seat": "Seat 2", "holder_name": "CEO", "source": "appointed", "starts_on": today},
                         content_type="application/json")
    assert refused.status_code == 400 and "more than half" in str(refused.json())
    term = admin.post(_api("term_create"), {"seat": "Seat 1", "worker": str(owner.uuid), "source": "appointed", "starts_on": today},
                      content_type="application/json")
    assert term.status_code == 201 and term.json()["worker_is_owner"] is True
    ended = admin.post(_api("term_end", term_uuid=term.json()["uuid"]), {"ends_on": today}, content_type="application/json")
    assert ended.status_code == 200 and ended.json()["ends_on"] == today

    lmc = admin.post(_api("committees"), {"name": "LMC", "kind": "lmc"}, content_type="application/json").json()
    assert lmc["equal_representation"] is True
    detail = admin.post(_api("committee_member_create", committee_uuid=lmc["uuid"]), {"name": "Manager", "side": "management",
                                                                                   "starts_on": "2026-01-01"}, content_type="application/json").json()
    assert detail["balance"]["text"] == "unequal: 1 management, 0 workers"
    bad = admin.post(_api("committee_member_create", committee_uuid=lmc["uuid"]), {"name": "X", "side": "workers", "chosen_by_peers": True,
                                                                                "starts_on": "2026-01-01"}, content_type="application/json")
    assert bad.status_code == 400
    member_id = detail["members"][0]["id"]
    meeting = admin.post(_api("committee_meeting_create", committee_uuid=lmc["uuid"]),
                         {"held_on": "2026-02-01", "agenda": "Wages", "attendees": [member_id]}, content_type="application/json")
    assert meeting.status_code == 201 and meeting.json()["meetings"][0]["attendees"] == [member_id]
    stranger = admin.post(_api("committee_meeting_create", committee_uuid=lmc["uuid"]),
                          {"held_on": "2026-02-01", "attendees": [999999]}, content_type="application/json")
    assert stranger.status_code == 400


def test_schema_names_the_governance_enums():
    from drf_spectacular.generators import SchemaGenerator

    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    for name in ("ElectionStatusEnum", "ElectionMethodEnum", "ResolutionStatusEnum", "ResolutionThresholdEnum", "BallotChoiceEnum",
                 "BoardSeatKindEnum", "TermSourceEnum", "DocumentKindEnum", "CommitteeKindEnum", "CommitteeSideEnum"):
        assert name in components, name
