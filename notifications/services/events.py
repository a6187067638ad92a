"""Notices of things that happened: a shift confirmed or cancelled, a pay run approved,
voting opened. Queued by the owning app's service on commit (services/triggers.py) and sent
by notifications.tasks.notify_task; what is sent is read again here, when the task runs, so
a change in between (the assignment cancelled before its confirmation went out) sends
nothing stale."""

from django.urls import reverse
from django.utils import timezone

from alliedup.models import Cooperative
from governance.models import Election, Resolution, VoterRollEntry
from notifications.models import Kind
from notifications.services.delivery import Notice, absolute_url, deliver
from payroll.models import PayRun, PayStatement
from placements.models import Assignment

VOTE_MODELS = {"election": Election, "resolution": Resolution}


def shift_context(assignment: Assignment) -> dict:
    """The shift as the worker reads it: times at the site (the client's zone), where, as what."""
    job_order = assignment.shift.job_order
    client, site = job_order.contract.client, job_order.site
    starts, ends = assignment.starts_at.astimezone(client.zone), assignment.ends_at.astimezone(client.zone)
    return {
        "assignment": assignment, "client": client, "site": site, "starts": starts, "ends": ends, "zone": client.time_zone,
        "address": site.address if site and site.address else client.address, "next_day": ends.date() != starts.date(),
        "classification": assignment.shift.classification,
        "schedule_url": absolute_url(reverse("placements:my_schedule", args=[assignment.cooperative.slug])),
    }


def _shift_notices(cooperative: Cooperative, kind: str, assignment_id: int, now) -> list[Notice]:
    """The assignment's worker, if it is still confirmed (or cancelled) and not over."""
    status = Assignment.Status.CONFIRMED if kind == Kind.SHIFT_CONFIRMED else Assignment.Status.CANCELLED
    assignment = (
        Assignment.objects.filter(cooperative=cooperative, pk=assignment_id, status=status, ends_at__gt=now)
        .select_related("cooperative", "worker__user", "shift__classification", "shift__job_order__contract__client",
                        "shift__job_order__site")
        .first()
    )
    if assignment is None:
        return []
    return [Notice(assignment.worker, f"assignment:{assignment.pk}", shift_context(assignment))]


def _pay_notices(cooperative: Cooperative, run_id: int, now) -> list[Notice]:
    """Each worker with a statement in the run, once the run is approved (or exported)."""
    statements = (PayStatement.objects.filter(cooperative=cooperative, run_id=run_id, run__status__in=PayRun.FINAL)
                  .select_related("worker__user", "run__period").order_by("id"))
    url = absolute_url(reverse("payroll:my_statements", args=[cooperative.slug]))
    return [Notice(s.worker, f"statement:{s.pk}", {"statement": s, "period": s.run.period, "statements_url": url})
            for s in statements]


def vote_context(cooperative: Cooperative, vote) -> dict:
    name = "governance:election_ballot" if isinstance(vote, Election) else "governance:resolution_ballot"
    return {"vote": vote, "is_election": isinstance(vote, Election), "zone": cooperative.time_zone,
            "ballot_url": absolute_url(reverse(name, args=[cooperative.slug, vote.uuid]))}


def _voting_opened_notices(cooperative: Cooperative, subject: str, now) -> list[Notice]:
    """Everyone on the vote's roll who has not voted yet, while voting is open."""
    model_name, vote_id = subject.split(":")
    field = model_name
    vote = VOTE_MODELS[model_name].objects.filter(cooperative=cooperative, pk=vote_id, status="voting",
                                                   voting_closes_at__gt=now).first()
    if vote is None:
        return []
    entries = (VoterRollEntry.objects.filter(**{field: vote}, participation__isnull=True)
               .select_related("worker__user").order_by("id"))
    context = vote_context(cooperative, vote)
    return [Notice(entry.worker, subject, context) for entry in entries]


def event_send(*, cooperative: Cooperative, kind: str, subject: str, task, now=None) -> int:
    """Send the notices of one event (`subject`: "assignment:<id>", "payrun:<id>",
    "election:<id>", "resolution:<id>"); returns how many messages went out. Raises
    ValueError for a kind or subject that is not an event's."""
    now = now or timezone.now()
    model_name, _, object_id = subject.partition(":")
    if not object_id.isdigit():
        raise ValueError(f"Not an event subject: {subject!r}")
    if kind in (Kind.SHIFT_CONFIRMED, Kind.SHIFT_CANCELLED) and model_name == "assignment":
        notices = _shift_notices(cooperative, kind, int(object_id), now)
    elif kind == Kind.PAY_STATEMENT and model_name == "payrun":
        notices = _pay_notices(cooperative, int(object_id), now)
    elif kind == Kind.VOTING_OPENED and model_name in VOTE_MODELS:
        notices = _voting_opened_notices(cooperative, subject, now)
    else:
        raise ValueError(f"No event notice {kind!r} for {subject!r}")
    return deliver(cooperative=cooperative, kind=kind, notices=notices, task=task, now=now)
