"""Building blocks for the governance page, API and browser tests: votes whose window is
open now (pages cast with the real clock), owners linked to logins, and counting."""

from datetime import date, timedelta

from django.utils import timezone

from governance.services.voting import ballot_cast, candidate_nominate, election_create, resolution_create, vote_count, voting_open
from tests.governance.conftest import make_owner


def live_windows(now=None):
    """Voting opened an hour ago and closes in a day; nominations before; record date last week."""
    now = now or timezone.now()
    return dict(nominations_open_at=now - timedelta(days=10), nominations_close_at=now - timedelta(days=2),
                voting_opens_at=now - timedelta(hours=1), voting_closes_at=now + timedelta(days=1),
                record_date=timezone.localdate(now) - timedelta(days=7))


def owner_with_login(coop, user, **kw):
    return make_owner(coop, since=date(2025, 1, 1), user=user, **kw)


def open_election(coop, candidates, *, seats=1, method="plurality", title="Board election 2026"):
    election = election_create(cooperative=coop, title=title, number_of_seats=seats, method=method, **live_windows())
    cands = [candidate_nominate(election=election, worker=w, statement=f"Statement of {w.first_name}") for w in candidates]
    return voting_open(vote=election), cands


def open_resolution(coop, title="Amend the bylaws", threshold="simple"):
    windows = {k: v for k, v in live_windows().items() if not k.startswith("nominations")}
    return voting_open(vote=resolution_create(cooperative=coop, title=title, text="Resolved: we amend article 4.\n\nSecond paragraph.",
                                              threshold=threshold, **windows))


def close_and_count(vote):
    """End the window now (as if time passed) and count."""
    type(vote).objects.filter(pk=vote.pk).update(voting_closes_at=timezone.now() - timedelta(seconds=1))
    vote.refresh_from_db()
    return vote_count(vote=vote)


def cast(vote, worker, choices):
    return ballot_cast(vote=vote, worker=worker, choices=choices)

