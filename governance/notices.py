"""What governance tells voters, through notifications (docs/notifications.md): voting opened
(services/voting.py calls the hook inside its transaction; the task runs on commit) and a
reminder to who has not voted when a vote closes within a day (beat, hourly). Who is told is
read when the task runs (the roll, minus who already voted), and each notice goes once
(notifications.deliver)."""

from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from governance.models import Election, Resolution, VoterRollEntry
from notifications import services as notifications
from notifications.services import Kind, Notice

VOTE_MODELS = {"election": Election, "resolution": Resolution}


def voting_opened(*, vote: Election | Resolution) -> None:
    """Hook: an election or resolution opened for voting (its roll is fixed)."""
    notifications.queue(voting_opened_task, cooperative_id=vote.cooperative_id, vote_kind=vote._meta.model_name,
                        vote_id=vote.pk)


def vote_context(cooperative: Cooperative, vote) -> dict:
    name = "governance:election_ballot" if isinstance(vote, Election) else "governance:resolution_ballot"
    return {"vote": vote, "is_election": isinstance(vote, Election), "zone": cooperative.time_zone,
            "ballot_url": notifications.absolute_url(reverse(name, args=[cooperative.slug, vote.uuid]))}


# --- voting opened ---------------------------------------------------------------------------------


def voting_opened_notices(*, cooperative: Cooperative, vote_kind: str, vote_id: int, now=None) -> list[Notice]:
    """Everyone on the vote's roll who has not voted yet, while voting is open. Subject:
    "election:<id>" or "resolution:<id>". Raises ValueError for another `vote_kind`."""
    if vote_kind not in VOTE_MODELS:
        raise ValueError(f"Not a vote: {vote_kind!r}")
    now = now or timezone.now()
    vote = VOTE_MODELS[vote_kind].objects.filter(cooperative=cooperative, pk=vote_id, status="voting",
                                                  voting_closes_at__gt=now).first()
    if vote is None:
        return []
    entries = (VoterRollEntry.objects.filter(**{vote_kind: vote}, participation__isnull=True)
               .select_related("worker__user").order_by("id"))
    subject = f"{vote_kind}:{vote.pk}"
    context = vote_context(cooperative, vote)
    return [Notice(entry.worker, subject, context) for entry in entries]


def voting_opened_send(*, cooperative: Cooperative, vote_kind: str, vote_id: int, task, now=None) -> int:
    """Tell the roll (see voting_opened_notices); returns how many messages went out."""
    now = now or timezone.now()
    return notifications.deliver(cooperative=cooperative, kind=Kind.VOTING_OPENED, task=task, now=now,
                                 notices=voting_opened_notices(cooperative=cooperative, vote_kind=vote_kind, vote_id=vote_id,
                                                               now=now))


# --- voting closes within a day ---------------------------------------------------------------------

VOTING_CLOSING_AHEAD = timedelta(hours=24)
# A vote open for less than this before its last day gets no reminder: its "voting opened"
# message is still fresh.
VOTING_REMINDER_MIN_OPEN = timedelta(hours=12)


def voting_closing_notices(*, cooperative: Cooperative, now=None) -> list[Notice]:
    """One notice per vote closing within 24 hours to each voter on its roll who has not
    voted. Three queries."""
    now = now or timezone.now()
    window = dict(cooperative=cooperative, status="voting", voting_closes_at__gt=now, voting_closes_at__lte=now + VOTING_CLOSING_AHEAD,
                  voting_opens_at__lte=now - VOTING_REMINDER_MIN_OPEN)
    elections = {e.pk: e for e in Election.objects.filter(**window)}
    resolutions = {r.pk: r for r in Resolution.objects.filter(**window)}
    if not (elections or resolutions):
        return []
    entries = (VoterRollEntry.objects.filter(Q(election_id__in=list(elections)) | Q(resolution_id__in=list(resolutions)),
                                             participation__isnull=True)
               .select_related("worker__user").order_by("id"))
    contexts = {}
    notices = []
    for entry in entries:
        vote = elections[entry.election_id] if entry.election_id else resolutions[entry.resolution_id]
        subject = f"{'election' if entry.election_id else 'resolution'}:{vote.pk}"
        if subject not in contexts:
            contexts[subject] = vote_context(cooperative, vote)
        notices.append(Notice(entry.worker, subject, contexts[subject]))
    return notices


def voting_closing_send(*, cooperative: Cooperative, task, now=None) -> int:
    now = now or timezone.now()
    return notifications.deliver(cooperative=cooperative, kind=Kind.VOTING_CLOSING, task=task, now=now,
                                 notices=voting_closing_notices(cooperative=cooperative, now=now))


# --- tasks (they live here, not in governance/tasks.py, so that services/voting.py can queue
# them without importing the tasks module, which imports the services) -----------------------------


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def voting_opened_task(self, *, cooperative: Cooperative, vote_kind: str, vote_id: int) -> int:
    """On commit of voting_open: tell the roll; returns how many messages went out."""
    return voting_opened_send(cooperative=cooperative, vote_kind=vote_kind, vote_id=vote_id, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=120)
def voting_closing_task(self, *, cooperative: Cooperative) -> int:
    """Hourly (beat): remind who has not voted in votes closing within a day."""
    return voting_closing_send(cooperative=cooperative, task=self)
