"""Reads for governance pages, the API and the results PDF (on top of governance.selectors):
a counted result with candidate names, published ballots as names, what a voter may do."""

from django.db.models import Count, Q
from django.utils import timezone

from governance.models import Candidate, Committee, CommitteeMeeting, Election, MeetingAttendance, Resolution, ResolutionBallot
from governance.selectors import published_ballots, roll_entry_for

COUNTED = ("closed", "certified")


def is_election(vote) -> bool:
    return isinstance(vote, Election)


def is_counted(vote) -> bool:
    return vote.status in COUNTED


def voting_is_open(vote, now=None) -> bool:
    now = now or timezone.now()
    return vote.status == "voting" and vote.voting_opens_at <= now < vote.voting_closes_at


def elections_list():
    return Election.objects.annotate(
        candidate_count=Count("candidates", filter=Q(candidates__status=Candidate.Status.ACCEPTED))
    ).order_by("-voting_opens_at")


def resolutions_list():
    return Resolution.objects.order_by("-voting_opens_at")


def ballot_candidates(election: Election) -> list:
    """The candidates on the ballot, by name (one query)."""
    return list(election.candidates.filter(status=Candidate.Status.ACCEPTED).select_related("worker"))


def _names(election: Election) -> dict:
    """{candidate pk as text: name}, from the count (so it needs no query); before the count
    (a voter checking a receipt while voting is open) from the candidates, in one query."""
    if election.result:
        return election.result.get("names", {})
    return {str(c.pk): str(c.worker) for c in election.candidates.select_related("worker")}


def elected_names(election: Election) -> list[str]:
    """Names of the elected, in the order elected. The count stores the elected as candidate
    uuids and the names by candidate pk, so this costs one query."""
    elected = (election.result or {}).get("elected") or []
    if not elected:
        return []
    by_uuid = {str(c.uuid): str(c.worker) for c in election.candidates.filter(uuid__in=elected).select_related("worker")}
    return [by_uuid.get(u, u) for u in elected]


def result_rounds(election: Election) -> list[dict]:
    """Each round of the count: [{"number", "rows": [(name, votes)], "elected": [names],
    "excluded": [names], "exhausted"}], names from the count itself."""
    names = _names(election)
    rounds = []
    for i, stage in enumerate((election.result or {}).get("rounds", []), start=1):
        rows = sorted(((names.get(k, k), v) for k, v in stage.get("votes", {}).items()), key=lambda r: -float(r[1]))
        rounds.append({
            "number": i, "rows": rows,
            "elected": [names.get(k, k) for k in stage.get("elected", [])],
            "excluded": [names.get(k, k) for k in stage.get("excluded", [])],
            "exhausted": stage.get("exhausted"),
        })
    return rounds


def ballot_rows(vote, ballots) -> list[tuple[str, str]]:
    """Published ballots as (receipt code, what it says in words), no queries beyond `ballots`."""
    if is_election(vote):
        names = _names(vote)
        ranked = vote.method == Election.Method.RANKED
        rows = []
        for b in ballots:
            chosen = [names.get(str(pk), "?") for pk in b.choices]
            text = " › ".join(f"{i}. {n}" for i, n in enumerate(chosen, start=1)) if ranked else ", ".join(chosen)
            rows.append((b.receipt_code, text))
        return rows
    labels = dict(ResolutionBallot.Choice.choices)
    return [(b.receipt_code, labels.get(b.choice, b.choice)) for b in ballots]


def published_ballot_rows(vote, *, offset: int = 0, limit: int | None = None) -> list[tuple[str, str]]:
    """After the count, the published ballots (receipt order) in words; [] before."""
    if not is_counted(vote):
        return []
    qs = published_ballots(vote)
    if limit is not None:
        qs = qs[offset:offset + limit]
    return ballot_rows(vote, qs)


def ballot_in_words(vote, ballot) -> str:
    return ballot_rows(vote, [ballot])[0][1]


def voter_state(vote, worker) -> str:
    """"no_worker", "not_on_roll", "voted", "open" (may vote now) or "closed"."""
    if worker is None:
        return "no_worker"
    entry = roll_entry_for(vote, worker)
    if entry is None:
        return "not_on_roll"
    if hasattr(entry, "participation"):
        return "voted"
    return "open" if voting_is_open(vote) else "closed"


def committees_list():
    return Committee.objects.annotate(member_count=Count("members")).order_by("name")


def committee_meetings(committee: Committee):
    """Meetings with their attendees (two queries whatever the number of meetings)."""
    meetings = list(CommitteeMeeting.objects.filter(committee=committee).order_by("-held_on"))
    attendance = MeetingAttendance.objects.filter(meeting__in=meetings).select_related("member")
    by_meeting: dict = {}
    for a in attendance:
        by_meeting.setdefault(a.meeting_id, []).append(a.member)
    for m in meetings:
        m.attendee_list = sorted(by_meeting.get(m.pk, []), key=lambda x: (x.side, x.name))
    return meetings


def published_ballots_queryset(vote):
    """The published ballots (receipt order) to page through; none before the count."""
    qs = published_ballots(vote)
    return qs if is_counted(vote) else qs.none()
