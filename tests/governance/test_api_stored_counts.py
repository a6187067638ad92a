"""Counts stored before today's code (or imported) may lack keys: the results API answers
them with null figures and certification refuses them with a 400, never a 500.
tests/governance/conftest.py opens alliedup's scope."""

from django.urls import reverse

from governance.models import Election, Resolution
from governance.services.board import seat_create
from tests.governance.helpers import live_windows


def _api(name, **kw):
    return reverse(f"governance_api:{name}", kwargs={"coop_slug": "alliedup", **kw})


def _counted_long_ago(model, cooperative, result, **extra):
    """A closed vote whose stored count is `result`, written as older code left it."""
    windows = {k: v for k, v in live_windows().items() if model is Election or not k.startswith("nominations")}
    return model.objects.create(cooperative=cooperative, title="Counted long ago", status="closed", result=result, **windows, **extra)


def test_results_of_a_count_stored_without_turnout_or_quorum_have_null_figures(alliedup, alliedup_users, login):
    election = _counted_long_ago(Election, alliedup, {"on_roll": 3, "voted": 2, "names": {}})
    resolution = _counted_long_ago(Resolution, alliedup, {}, text="Resolved.")
    board = login(alliedup_users["board"])

    response = board.get(_api("election_results", election_uuid=election.uuid))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["on_roll"], body["voted"]) == (3, 2)
    assert (body["turnout_percent"], body["quorum_percent"], body["quorum_met"]) == (None, None, None)
    assert body["rounds"] == [] and body["elected"] == []

    response = board.get(_api("resolution_results", resolution_uuid=resolution.uuid))
    assert response.status_code == 200, response.content
    assert response.json()["on_roll"] is None and "adopted" not in response.json()


def test_certifying_a_count_stored_without_its_elected_list_is_a_400(alliedup, alliedup_users, login):
    election = _counted_long_ago(Election, alliedup, {"on_roll": 3, "voted": 3, "quorum_met": True})
    seat_create(cooperative=alliedup, name="Seat 1", kind="worker_owner")
    response = login(alliedup_users["board"]).post(
        _api("election_certify", election_uuid=election.uuid), {"seats": ["Seat 1"], "term_starts_on": "2026-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The stored count of this election does not say who was elected; it cannot be certified."]}
    assert Election.objects.get(pk=election.pk).status == "closed"
