"""Workers and candidacies: the roster, lookups by id, uuid and user, who is hired in what, and
the querysets other apps' forms and pages narrow."""

from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from alliedup.models import Cooperative
from members.models import (
    AgreementSignature,
    Candidacy,
    EquityAccount,
    JobClassification,
    MembershipAgreement,
    MemberStatus,
    Worker,
    WorkerClassification,
)


def worker_for_user(cooperative: Cooperative, user) -> Worker | None:
    """The employee record linked to a user's account in this cooperative, if any."""
    if not user.is_authenticated:
        return None
    return Worker.objects.filter(cooperative=cooperative, user=user).select_related("cooperative").first()


def open_candidacy(worker: Worker) -> Candidacy | None:
    return (
        Candidacy.objects.filter(worker=worker, status=Candidacy.Status.OPEN)
        .select_related("classification")
        .first()
    )


def open_candidacies(cooperative: Cooperative):
    """Open candidacies, soonest deadline first, with worker and classification loaded."""
    return (
        Candidacy.objects.filter(cooperative=cooperative, status=Candidacy.Status.OPEN)
        .select_related("worker", "classification")
        .order_by("deadline", "id")
    )


ROSTER_MAX_WORDS = 5


def worker_roster(cooperative: Cooperative, *, query: str = "", status: str = ""):
    """The co-op's workers (separated ones too) by last and first name, for staff to find a
    record: each word of `query` must appear in the first name, last name or email
    (case-insensitive; the first ROSTER_MAX_WORDS words count); `status` one of MemberStatus,
    anything else lists every status. Their classifications come prefetched by name."""
    rows = Worker.objects.filter(cooperative=cooperative)
    if status in MemberStatus.values:
        rows = rows.filter(status=status)
    for word in query.split()[:ROSTER_MAX_WORDS]:
        rows = rows.filter(
            models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word) | models.Q(email__icontains=word)
        )
    return rows.order_by("last_name", "first_name", "id").prefetch_related(
        models.Prefetch("classifications", queryset=JobClassification.objects.order_by("name"))
    )


def recent_owners(cooperative: Cooperative, since: date):
    return Worker.objects.filter(cooperative=cooperative, status=MemberStatus.OWNER, owner_since__gte=since).order_by("-owner_since")


def status_counts(cooperative: Cooperative) -> dict[str, int]:
    """How many active workers are at each step of the path (one query)."""
    counts = {s: 0 for s in MemberStatus.values}
    rows = Worker.objects.filter(cooperative=cooperative, is_active=True).values("status").annotate(n=models.Count("id"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def current_agreement(cooperative: Cooperative, on: date):
    """The agreement version in effect on `on` (the highest version already effective)."""
    return (
        MembershipAgreement.objects.filter(cooperative=cooperative, effective_from__lte=on).order_by("-version").first()
    )


def worker_by_uuid(cooperative: Cooperative, worker_uuid) -> Worker | None:
    """The co-op's worker with this UUID (user and co-op loaded), or None. One query."""
    return Worker.objects.filter(cooperative=cooperative, uuid=worker_uuid).select_related("user", "cooperative").first()


def workers_by_id(worker_ids) -> dict[int, Worker]:
    """{worker id: Worker} with the user loaded (their language, for messages). One query."""
    return Worker.objects.select_related("user").in_bulk(list(worker_ids))


def workers_hired_in(cooperative: Cooperative, classification_ids) -> dict[int, set[int]]:
    """{worker id: {classification id, …}}: the active workers (not withdrawn) hired in any of
    `classification_ids`, and in which of them. One query."""
    hired: dict[int, set[int]] = {}
    for worker_id, classification_id in WorkerClassification.objects.filter(
        cooperative=cooperative, classification_id__in=classification_ids, worker__is_active=True,
    ).exclude(worker__status=MemberStatus.WITHDRAWN).values_list("worker_id", "classification_id"):
        hired.setdefault(worker_id, set()).add(classification_id)
    return hired


def candidacies_closing(cooperative: Cooperative, first_day: date, last_day: date) -> list[Candidacy]:
    """Open candidacies whose deadline falls between the two days, soonest first, each
    annotated `signed` (the membership agreement is signed for it) and `equity_chosen` (the
    worker has an equity account), with worker, user and classification loaded. One query."""
    return list(
        Candidacy.objects.filter(cooperative=cooperative, status=Candidacy.Status.OPEN, deadline__gte=first_day,
                                 deadline__lte=last_day)
        .annotate(signed=Exists(AgreementSignature.objects.filter(candidacy=OuterRef("pk"))),
                  equity_chosen=Exists(EquityAccount.objects.filter(worker=OuterRef("worker"))))
        .select_related("worker__user", "classification").order_by("deadline", "id")
    )


def worker_names_by_email(cooperative: Cooperative, emails) -> dict[str, tuple[str, str]]:
    """{email in lower case: (first name, last name)} of the co-op's workers whose email, in
    lower case, is one of `emails` (given in lower case). One query."""
    return {
        email: (first, last)
        for email, first, last in Worker.objects.filter(cooperative=cooperative)
        .annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
        .values_list("lower_email", "first_name", "last_name")
    }


def classifications_held(worker_ids, *, classification_ids=None) -> dict[int, set[int]]:
    """{worker id: {classification id, …}} the workers are hired in, whatever their status
    (only `classification_ids` when given); a worker hired in none is absent. One query."""
    rows = WorkerClassification.objects.filter(worker_id__any_of=worker_ids)
    if classification_ids is not None:
        rows = rows.filter(classification_id__in=classification_ids)
    held: dict[int, set[int]] = {}
    for worker_id, classification_id in rows.values_list("worker_id", "classification_id"):
        held.setdefault(worker_id, set()).add(classification_id)
    return held


def active_workers_qs(cooperative: Cooperative, *, hired_in: int | None = None, not_hired_in: int | None = None):
    """The co-op's active workers (any status; `is_active`) by last name, first name and id, a
    QuerySet for the caller to count and page: only those hired in classification id
    `hired_in`, or only those not hired in `not_hired_in`, when given. Lazy."""
    rows = Worker.objects.filter(cooperative=cooperative, is_active=True)
    if hired_in is not None:
        rows = rows.filter(worker_classifications__classification_id=hired_in)
    if not_hired_in is not None:
        rows = rows.exclude(worker_classifications__classification_id=not_hired_in)
    return rows.order_by("last_name", "first_name", "pk")


def portal_workers_hired_in(cooperative_id: int, classification_id: int, *, exclude_worker_id: int | None = None) -> list[Worker]:
    """The co-op's active workers (not withdrawn) hired in the classification who have a
    portal account, by name, less `exclude_worker_id`. One query."""
    rows = Worker.objects.filter(cooperative_id=cooperative_id, is_active=True, user__isnull=False,
                                 worker_classifications__classification_id=classification_id)
    if exclude_worker_id is not None:
        rows = rows.exclude(pk=exclude_worker_id)
    return list(rows.exclude(status=MemberStatus.WITHDRAWN).order_by("last_name", "first_name", "pk").distinct())


def workers_locked(worker_ids) -> list[Worker]:
    """The workers with these ids, by id, their rows locked (SELECT … FOR UPDATE) until the
    caller's transaction ends: what serialises two writes about one worker (their bookings,
    timesheets, calendar link). Locking by id keeps two callers from waiting on each other.
    One query; call it inside a transaction."""
    return list(Worker.objects.select_for_update().filter(pk__in=list(worker_ids)).order_by("pk"))


def workers_qs(cooperative=None, *, status: str | None = None, exclude_status: str | None = None):
    """The workers (any status, separated ones too), a QuerySet for the caller to narrow, order
    or page: the co-op's (`cooperative`, a Cooperative or its id; None: whatever the open scope
    shows), only those in `status`, or not in `exclude_status`, when given. Lazy: one query
    when read; `workers_qs().none()` is an empty one that needs no scope (a form's choices
    before it knows its co-op)."""
    rows = Worker.objects.get_queryset()  # not .all(): outside a scope, .none() still works
    if cooperative is not None:
        rows = rows.filter(cooperative=cooperative)
    if status is not None:
        rows = rows.filter(status=status)
    if exclude_status is not None:
        rows = rows.exclude(status=exclude_status)
    return rows


def wage_steps(worker_ids) -> list[tuple[int, int, int, date]]:
    """(worker id, classification id, wage step staff assigned, hired in it since) for each
    classification the workers are hired in. One query."""
    return list(WorkerClassification.objects.filter(worker_id__any_of=worker_ids).values_list(
        "worker_id", "classification_id", "wage_step", "since"))


def primary_classifications(worker_ids) -> dict[int, int]:
    """{worker id: classification id} of the classification each worker has been hired in
    longest (earliest `since`, then the first recorded); a worker hired in none is absent.
    One query."""
    primary: dict[int, int] = {}
    for worker_id, classification_id in (
        WorkerClassification.objects.filter(worker_id__any_of=worker_ids).order_by("since", "id")
        .values_list("worker_id", "classification_id")
    ):
        primary.setdefault(worker_id, classification_id)
    return primary


def worker_classifications(worker: Worker) -> list[WorkerClassification]:
    """The worker's classifications (wage step, since) with the classification loaded. One query."""
    return list(WorkerClassification.objects.filter(worker=worker).select_related("classification"))
