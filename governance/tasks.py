"""Governance jobs: open and close votes on their windows, count at close (idempotent)."""

from celery import shared_task
from django.utils import timezone

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from governance.models import Election, Resolution
from governance.services.voting import vote_count, voting_open


@shared_task(base=CooperativeTask)
def vote_windows_task(*, cooperative: Cooperative) -> dict:
    """Open votes whose window has started (fixing their rolls) and count the ones that have
    closed. Running it twice changes nothing more."""
    now = timezone.now()
    opened = counted = 0
    for model in (Election, Resolution):
        for vote in model.objects.filter(status__in=["draft", "nominations"] if model is Election else ["draft"],
                                         voting_opens_at__lte=now, voting_closes_at__gt=now):
            if model is Election and vote.status == "draft":
                continue  # an election goes through nominations first
            voting_open(vote=vote)
            opened += 1
        for vote in model.objects.filter(status="voting", voting_closes_at__lte=now):
            vote_count(vote=vote, now=now)
            counted += 1
    return {"opened": opened, "counted": counted}
