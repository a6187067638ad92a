"""What placements tells workers, through notifications (docs/notifications.md): a shift
confirmed or cancelled (services/matching.py calls the hooks inside its transaction; the task
runs on commit) and the daily digest of new open shifts (beat). Who is told, and what, is read
when the task runs, so a change in between (the assignment cancelled before its confirmation
went out) sends nothing stale. Each notice goes once (notifications.deliver)."""

from datetime import date, timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from members.selectors import credentials_valid_until, required_credentials, workers_by_id, workers_hired_in
from notifications import services as notifications
from notifications.selectors import coop_settings, last_delivery_times
from notifications.services import Kind, Notice
from placements import selectors
from placements.models import Assignment, ClientContract, Shift

# --- a shift confirmed or cancelled ------------------------------------------------------------


def shift_confirmed(*, assignment: Assignment) -> None:
    """Hook: staff assigned a worker (confirmed at once) or confirmed their request."""
    if assignment.status == Assignment.Status.CONFIRMED:
        notifications.queue(shift_notice_task, cooperative_id=assignment.cooperative_id, kind=Kind.SHIFT_CONFIRMED,
                            assignment_id=assignment.pk)


def shift_cancelled(*, assignment: Assignment) -> None:
    """Hook: an assignment was cancelled (a no-show is not told: the shift is already past)."""
    if assignment.status == Assignment.Status.CANCELLED:
        notifications.queue(shift_notice_task, cooperative_id=assignment.cooperative_id, kind=Kind.SHIFT_CANCELLED,
                            assignment_id=assignment.pk)


def shift_context(assignment: Assignment) -> dict:
    """The shift as the worker reads it: times at the site (the client's zone), where, as what."""
    job_order = assignment.shift.job_order
    client, site = job_order.contract.client, job_order.site
    starts, ends = assignment.starts_at.astimezone(client.zone), assignment.ends_at.astimezone(client.zone)
    return {
        "assignment": assignment, "client": client, "site": site, "starts": starts, "ends": ends, "zone": client.time_zone,
        "address": site.address if site and site.address else client.address, "next_day": ends.date() != starts.date(),
        "classification": assignment.shift.classification,
        "schedule_url": notifications.absolute_url(reverse("placements:my_schedule", args=[assignment.cooperative.slug])),
    }


SHIFT_KINDS = {Kind.SHIFT_CONFIRMED: Assignment.Status.CONFIRMED, Kind.SHIFT_CANCELLED: Assignment.Status.CANCELLED}


def shift_notices(*, cooperative: Cooperative, kind: str, assignment_id: int, now=None) -> list[Notice]:
    """The assignment's worker, if it is still confirmed (or cancelled) and not over.
    Subject: "assignment:<id>". Raises ValueError for a kind that is not a shift's."""
    if kind not in SHIFT_KINDS:
        raise ValueError(f"No shift notice {kind!r}")
    now = now or timezone.now()
    assignment = (
        Assignment.objects.filter(cooperative=cooperative, pk=assignment_id, status=SHIFT_KINDS[kind], ends_at__gt=now)
        .select_related("cooperative", "worker__user", "shift__classification", "shift__job_order__contract__client",
                        "shift__job_order__site")
        .first()
    )
    if assignment is None:
        return []
    return [Notice(assignment.worker, f"assignment:{assignment.pk}", shift_context(assignment))]


def shift_notice_send(*, cooperative: Cooperative, kind: str, assignment_id: int, task, now=None) -> int:
    """Tell the assignment's worker (see shift_notices); returns how many messages went out."""
    now = now or timezone.now()
    return notifications.deliver(cooperative=cooperative, kind=kind, task=task, now=now,
                                 notices=shift_notices(cooperative=cooperative, kind=kind, assignment_id=assignment_id, now=now))


# --- the daily digest of new open shifts ---------------------------------------------------------

DIGEST_SHOWN = 10  # shifts listed in one digest; the rest are counted ("and 4 more")
DIGEST_FIRST_LOOKBACK = timedelta(days=1)  # a worker's first digest: shifts posted the last day
DIGEST_MAX_LOOKBACK = timedelta(days=7)  # after a pause (opted out, nothing new): at most a week back


def open_shift_digest_notices(*, cooperative: Cooperative, now=None) -> list[Notice]:
    """One notice per active worker listing the open shifts posted since their previous
    digest (of an earlier day) that they could take: in a classification they are hired
    in, starting within the co-op's look-ahead, holding every required credential through
    the shift's end, not overlapping their own shifts, bookable (the client's contract
    active, a bill rate on the day). Subject: the co-op's local date, so one digest a day.
    Nine queries for the whole co-op."""
    now = now or timezone.now()
    settings = coop_settings(cooperative)
    today = timezone.localdate(now, timezone=cooperative.zone)
    subject = f"digest:{today.isoformat()}"
    horizon = now + timedelta(days=settings.open_shift_days)
    shifts = list(
        Shift.objects.filter(cooperative=cooperative, status=Shift.Status.OPEN, starts_at__gt=now, starts_at__lte=horizon,
                             job_order__created_at__gt=now - DIGEST_MAX_LOOKBACK,
                             job_order__contract__status=ClientContract.Status.ACTIVE, job_order__contract__client__is_active=True)
        .select_related("job_order__contract__client", "job_order__site", "classification").order_by("starts_at", "id")
    )
    bookable = selectors.shifts_bookable(shifts)  # a shift without a bill rate cannot be taken yet
    shifts = [s for s in shifts if bookable.get(s.pk)]
    if not shifts:
        return []
    classification_ids = {s.classification_id for s in shifts}
    hired = workers_hired_in(cooperative, classification_ids)
    if not hired:
        return []
    required = required_credentials(classification_ids)
    valid_until = credentials_valid_until(list(hired), [c.pk for types in required.values() for c in types])
    busy: dict[int, list] = {}
    for worker_id, starts_at, ends_at in Assignment.objects.filter(
        worker_id__in=list(hired), status__in=Assignment.ACTIVE, starts_at__lt=horizon + timedelta(days=1), ends_at__gt=now,
    ).values_list("worker_id", "starts_at", "ends_at"):
        busy.setdefault(worker_id, []).append((starts_at, ends_at))
    # Since the digest of an earlier day (today's own rows are a retry or a second run).
    previous = last_delivery_times(cooperative, Kind.OPEN_SHIFTS, hired, excluding_subject=subject)
    end_days = {s.pk: selectors.shift_local_date(s, s.ends_at) for s in shifts}
    url = notifications.absolute_url(reverse("placements:open_shifts", args=[cooperative.slug]))
    workers = workers_by_id(hired)
    notices = []
    for worker_id in sorted(workers):
        since = max(previous.get(worker_id) or now - DIGEST_FIRST_LOOKBACK, now - DIGEST_MAX_LOOKBACK)
        matching = [
            s for s in shifts
            if s.classification_id in hired[worker_id] and s.job_order.created_at > since
            and all(valid_until.get((worker_id, c.pk), date.min) >= end_days[s.pk] for c in required.get(s.classification_id, []))
            and not any(b < s.ends_at and e > s.starts_at for b, e in busy.get(worker_id, []))
        ]
        if matching:
            notices.append(Notice(workers[worker_id], subject, {"shifts": matching[:DIGEST_SHOWN], "count": len(matching),
                                                                "more": max(0, len(matching) - DIGEST_SHOWN),
                                                                "open_shifts_url": url}))
    return notices


def open_shift_digest_send(*, cooperative: Cooperative, task, now=None) -> int:
    now = now or timezone.now()
    return notifications.deliver(cooperative=cooperative, kind=Kind.OPEN_SHIFTS, task=task, now=now,
                                 notices=open_shift_digest_notices(cooperative=cooperative, now=now))


# --- tasks (they live here, not in placements/tasks.py, so that services/matching.py can queue
# them without importing the tasks module, which imports the services) ---------------------------


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def shift_notice_task(self, *, cooperative: Cooperative, kind: str, assignment_id: int) -> int:
    """On commit of a confirmation or cancellation: tell the worker; returns how many messages went out."""
    return shift_notice_send(cooperative=cooperative, kind=kind, assignment_id=assignment_id, task=self)


@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=300)
def open_shift_digest_task(self, *, cooperative: Cooperative) -> int:
    """Daily (beat): the digest of new open shifts."""
    return open_shift_digest_send(cooperative=cooperative, task=self)
