"""Dates at Python's limits (0001-01-01, 9999-12-31) are a 400 naming the field, not a 500:
the API's date fields that feed date arithmetic ("the day after", the local date in the
co-op's zone, "ten years on") accept 1900-01-01 to 2999-12-31 (alliedup/api/fields.py).
Each case was a 500 found by tests/alliedup/test_api_fuzz.py or a probe of extreme dates."""

from datetime import date

import pytest
from django_scopes import scope
from rest_framework.test import APIClient

from alliedup.api.fields import OUT_OF_RANGE
from governance.services.board import seat_create, term_add
from tests.governance.conftest import make_owner

WINDOWS = {"nominations_open_at": "2026-11-01T09:00:00Z", "nominations_close_at": "2026-11-10T09:00:00Z",
           "voting_opens_at": "2026-11-12T09:00:00Z", "voting_closes_at": "2026-11-13T09:00:00Z", "record_date": "2026-11-05"}


@pytest.fixture
def api(alliedup_users):
    client = APIClient()
    client.force_authenticate(alliedup_users["admin"])
    return client


@pytest.mark.parametrize("method,path,data,field", [
    ("get", "placements/shifts/", {"to": "9999-12-31"}, "to"),
    ("get", "placements/shifts/", {"from": "0001-01-01"}, "from"),
    ("get", "payroll/wage-floor/", {"start": "9999-12-31", "end": "9999-12-31"}, "start"),
    ("post", "governance/elections/", {"title": "Board", **WINDOWS, "voting_opens_at": "0001-01-01T00:00:00Z"}, "voting_opens_at"),
    ("post", "governance/resolutions/", {"title": "Budget", "text": "Resolved.", **{k: v for k, v in WINDOWS.items() if "nominations" not in k},
                                         "record_date": "9999-12-31"}, "record_date"),
])
def test_a_date_at_pythons_limits_is_a_400_naming_the_field(api, method, path, data, field):
    url = f"/api/v1/c/alliedup/{path}"
    response = api.get(url, data) if method == "get" else api.post(url, data, format="json")
    assert response.status_code == 400, response.content
    assert response.json()[field] == [OUT_OF_RANGE]


def test_ending_a_board_term_on_the_last_day_python_knows_is_a_400(api, alliedup):
    with scope(cooperative=alliedup):
        owner = make_owner(alliedup)
        term = term_add(seat=seat_create(cooperative=alliedup, name="Seat 1", kind="worker_owner"), holder_name=str(owner),
                        worker=owner, starts_on=date(2026, 1, 1), source="appointed")
    response = api.post(f"/api/v1/c/alliedup/governance/board/terms/{term.uuid}/end/", {"ends_on": "9999-12-31"}, format="json")
    assert response.status_code == 400 and response.json() == {"ends_on": [OUT_OF_RANGE]}
    ended = api.post(f"/api/v1/c/alliedup/governance/board/terms/{term.uuid}/end/", {"ends_on": "2999-12-31"}, format="json")
    assert ended.status_code == 200 and ended.json()["ends_on"] == "2999-12-31"
