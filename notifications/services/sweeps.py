"""Notices found by looking, run by beat per co-op (notifications.tasks): the daily digest of
new open shifts, credentials about to expire, votes closing within a day, candidacy steps
due. Each is set-based (a fixed number of queries for the whole co-op) and sends once: the
subject of each notice names what it is about, so a second run finds its rows sent."""

from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.models import Cooperative
from governance.models import Election, Resolution, VoterRollEntry
from members.models import (
    AgreementSignature, Candidacy, CredentialType, EquityAccount, MemberStatus, Worker, WorkerClassification, WorkerCredential,
)
from members.selectors import credentials_valid_until, required_credentials
from notifications.models import Delivery, Kind
from notifications.selectors import coop_settings
from notifications.services.delivery import Notice, absolute_url, deliver
from notifications.services.events import vote_context
from placements import selectors as placement_selectors
from placements.models import Assignment, ClientContract, Shift

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
    bookable = placement_selectors.shifts_bookable(shifts)  # a shift without a bill rate cannot be taken yet
    shifts = [s for s in shifts if bookable.get(s.pk)]
    if not shifts:
        return []
    classification_ids = {s.classification_id for s in shifts}
    hired: dict[int, set[int]] = {}
    for worker_id, classification_id in WorkerClassification.objects.filter(
        cooperative=cooperative, classification_id__in=classification_ids, worker__is_active=True,
    ).exclude(worker__status=MemberStatus.WITHDRAWN).values_list("worker_id", "classification_id"):
        hired.setdefault(worker_id, set()).add(classification_id)
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
    previous = dict(Delivery.objects.filter(cooperative=cooperative, kind=Kind.OPEN_SHIFTS, worker_id__in=list(hired))
                    .exclude(subject=subject).values("worker_id").annotate(last=Max("created_at")).values_list("worker_id", "last"))
    end_days = {s.pk: placement_selectors.shift_local_date(s, s.ends_at) for s in shifts}
    url = absolute_url(reverse("placements:open_shifts", args=[cooperative.slug]))
    notices = []
    for worker in Worker.objects.filter(pk__in=list(hired)).select_related("user").order_by("pk"):
        since = max(previous.get(worker.pk) or now - DIGEST_FIRST_LOOKBACK, now - DIGEST_MAX_LOOKBACK)
        matching = [
            s for s in shifts
            if s.classification_id in hired[worker.pk] and s.job_order.created_at > since
            and all(valid_until.get((worker.pk, c.pk), date.min) >= end_days[s.pk] for c in required.get(s.classification_id, []))
            and not any(b < s.ends_at and e > s.starts_at for b, e in busy.get(worker.pk, []))
        ]
        if matching:
            notices.append(Notice(worker, subject, {"shifts": matching[:DIGEST_SHOWN], "count": len(matching),
                                                    "more": max(0, len(matching) - DIGEST_SHOWN), "open_shifts_url": url}))
    return notices


def open_shift_digest_send(*, cooperative: Cooperative, task, now=None) -> int:
    now = now or timezone.now()
    return deliver(cooperative=cooperative, kind=Kind.OPEN_SHIFTS, task=task, now=now,
                   notices=open_shift_digest_notices(cooperative=cooperative, now=now))


# --- a credential about to expire ------------------------------------------------------------------


def credential_expiring_notices(*, cooperative: Cooperative, today: date | None = None) -> list[Notice]:
    """One notice per active worker and credential type whose last copy on file runs out
    within the co-op's notice days (a renewal on file with a later date means none).
    Subject: the type and that last day, so a renewal that runs out again is told again.
    Four queries."""
    today = today or cooperative.today()
    last_day = today + timedelta(days=coop_settings(cooperative).credential_notice_days)
    pairs = set(WorkerCredential.objects.filter(
        cooperative=cooperative, expires_on__gte=today, expires_on__lte=last_day, worker__is_active=True, credential_type__expires=True,
    ).exclude(worker__status=MemberStatus.WITHDRAWN).values_list("worker_id", "credential_type_id"))
    if not pairs:
        return []
    valid_until = credentials_valid_until({w for w, _ in pairs}, {t for _, t in pairs})
    expiring = {pair: valid_until[pair] for pair in pairs if today <= valid_until.get(pair, date.max) <= last_day}
    if not expiring:
        return []
    types = CredentialType.objects.in_bulk({t for _, t in expiring})
    workers = Worker.objects.select_related("user").in_bulk({w for w, _ in expiring})
    url = absolute_url(reverse("worker_home", args=[cooperative.slug]))
    return [
        Notice(workers[w], f"credential:{t}:{until.isoformat()}",
               {"credential_type": types[t], "expires_on": until, "days_left": (until - today).days, "home_url": url})
        for (w, t), until in sorted(expiring.items())
    ]


def credential_expiring_send(*, cooperative: Cooperative, task, today: date | None = None) -> int:
    return deliver(cooperative=cooperative, kind=Kind.CREDENTIAL_EXPIRING, task=task,
                   notices=credential_expiring_notices(cooperative=cooperative, today=today))


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
    return deliver(cooperative=cooperative, kind=Kind.VOTING_CLOSING, task=task, now=now,
                   notices=voting_closing_notices(cooperative=cooperative, now=now))


# --- candidacy steps due -------------------------------------------------------------------------------

# Days before the candidacy's deadline a candidate with steps left is told: once at each.
CANDIDACY_NOTICE_DAYS = (14, 3)


CANDIDACY_STEPS = {
    "intake_call": _("An intake call with the co-op"),
    "interviews": _("Interviews"),
    "education": _("Co-op education sessions"),
    "agreement": _("Sign the membership agreement"),
    "equity": _("Choose how to pay the equity buy-in"),
}


def candidacy_steps_notices(*, cooperative: Cooperative, today: date | None = None) -> list[Notice]:
    """One notice per open candidacy with steps left whose deadline is within 14 days, and
    again within 3. Subject: the candidacy, its deadline (an extension starts over) and the
    step of the countdown. One query."""
    today = today or cooperative.today()
    rows = (
        Candidacy.objects.filter(cooperative=cooperative, status=Candidacy.Status.OPEN, deadline__gte=today,
                                 deadline__lte=today + timedelta(days=max(CANDIDACY_NOTICE_DAYS)))
        .annotate(signed=Exists(AgreementSignature.objects.filter(candidacy=OuterRef("pk"))),
                  equity_chosen=Exists(EquityAccount.objects.filter(worker=OuterRef("worker"))))
        .select_related("worker__user", "classification").order_by("deadline", "id")
    )
    url = absolute_url(reverse("members:my_ownership", args=[cooperative.slug]))
    notices = []
    for candidacy in rows:
        done = {"intake_call": candidacy.intake_call_on, "interviews": candidacy.interviews_done_on,
                "education": candidacy.education_done_on, "agreement": candidacy.signed, "equity": candidacy.equity_chosen}
        left = [label for key, label in CANDIDACY_STEPS.items() if not done[key]]
        if not left:
            continue
        days_left = (candidacy.deadline - today).days
        countdown = min(d for d in CANDIDACY_NOTICE_DAYS if d >= days_left)
        notices.append(Notice(candidacy.worker, f"candidacy:{candidacy.pk}:{candidacy.deadline.isoformat()}:{countdown}",
                              {"candidacy": candidacy, "steps": left, "days_left": days_left, "ownership_url": url}))
    return notices


def candidacy_steps_send(*, cooperative: Cooperative, task, today: date | None = None) -> int:
    return deliver(cooperative=cooperative, kind=Kind.CANDIDACY_STEPS, task=task,
                   notices=candidacy_steps_notices(cooperative=cooperative, today=today))
