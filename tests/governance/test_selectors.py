"""governance.selectors' turnout: one vote at a time (`turnout`), or many in one query
(`with_turnout_counts` + `turnout_from_counts`, used by insights), always the same numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Election, Resolution
from governance.selectors import turnout, turnout_from_counts, with_turnout_counts
from governance.services.voting import ballot_cast, candidate_nominate, election_create, resolution_create, voting_open
from tests.governance.conftest import NOW


@pytest.mark.parametrize("on_roll,voted,quorum,percent,met", [
    (10, 7, 50, Decimal("70.00"), True),
    (3, 2, 50, Decimal("66.67"), True),
    (10, 5, 50, Decimal("50.00"), True),  # exactly the quorum is enough
    (800, 1, 50, Decimal("0.12"), False),  # 0.125: an exact half goes to the even digit
    (20000, 9999, 50, Decimal("50.00"), False),  # 49.995 shows as 50.00, but the quorum is on the unrounded share
    (0, 0, 0, Decimal("0.00"), False),  # an empty roll never has a quorum
])
def test_turnout_from_counts(on_roll, voted, quorum, percent, met):
    assert turnout_from_counts(on_roll, voted, Decimal(quorum)) == {"on_roll": on_roll, "voted": voted, "percent": percent,
                                                                    "quorum_met": met}


def test_with_turnout_counts_agrees_with_turnout_for_every_vote_in_one_query(alliedup, windows, owners):
    resolution_windows = {k: v for k, v in windows.items() if not k.startswith("nominations")}
    resolutions = [voting_open(vote=resolution_create(cooperative=alliedup, title=f"Resolution {i}", text="…", **resolution_windows))
                   for i in range(3)]
    for resolution, voters in zip(resolutions, (owners[:4], owners[:1], [])):  # 4, 1 and 0 of 5
        for w in voters:
            ballot_cast(vote=resolution, worker=w, choices="yes", now=NOW)
    election = election_create(cooperative=alliedup, title="Board 2026", number_of_seats=1, method="plurality", **windows)
    a = candidate_nominate(election=election, worker=owners[0])
    election = voting_open(vote=election)
    for w in owners[:3]:
        ballot_cast(vote=election, worker=w, choices=[str(a.uuid)], now=NOW + timedelta(minutes=1))

    with CaptureQueriesContext(connection) as captured:
        counted = {r.pk: turnout_from_counts(r.on_roll, r.voted, r.quorum_percent)
                   for r in with_turnout_counts(Resolution.objects.filter(cooperative=alliedup))}
    (elected,) = with_turnout_counts(Election.objects.filter(cooperative=alliedup))

    assert len(captured.captured_queries) == 1
    assert counted == {r.pk: turnout(r) for r in resolutions}
    assert [counted[r.pk]["percent"] for r in resolutions] == [Decimal("80.00"), Decimal("20.00"), Decimal("0.00")]
    assert turnout_from_counts(elected.on_roll, elected.voted, elected.quorum_percent) == turnout(election) == {
        "on_roll": 5, "voted": 3, "percent": Decimal("60.00"), "quorum_met": True}
