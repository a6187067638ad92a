"""Governance jobs: open and close votes on their windows, count at close (idempotent), and
move held ballots into the ballot table in random batches (services/ballot_box.py)."""

from celery import shared_task
from django.utils import timezone

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from governance.models import Election, Resolution
from governance.services.ballot_box import ballots_flush
from governance.services.voting import vote_count, voting_open


@shared_task(base=CooperativeTask)
def vote_windows_task(*, cooperative: Cooperative) -> dict:
    """Open votes whose window has started (fixing their rolls), flush the ballots waiting in
    open votes (when a batch is due: a missed after-cast flush is caught up here) and count
    the votes that have closed (which moves every ballot still held). Running it twice
    changes nothing more."""
    now = timezone.now()
    opened = flushed = counted = 0
    for model in (Election, Resolution):
        for vote in model.objects.filter(status__in=["draft", "nominations"] if model is Election else ["draft"],
                                         voting_opens_at__lte=now, voting_closes_at__gt=now):
            if model is Election and vote.status == "draft":
                continue  # an election goes through nominations first
            voting_open(vote=vote)
            opened += 1
        for vote in model.objects.filter(status="voting", voting_closes_at__gt=now):
            flushed += ballots_flush(vote=vote)
        for vote in model.objects.filter(status="voting", voting_closes_at__lte=now):
            vote_count(vote=vote, now=now)
            counted += 1
    return {"opened": opened, "flushed": flushed, "counted": counted}


@shared_task(base=CooperativeTask)
def ballots_flush_task(*, cooperative: Cooperative, kind: str, vote_id: int) -> int:
    """Queued after a cast once a batch of held ballots is due; returns how many moved."""
    model = Election if kind == "election" else Resolution
    vote = model.objects.filter(cooperative=cooperative, pk=vote_id).first()
    return ballots_flush(vote=vote) if vote is not None else 0
