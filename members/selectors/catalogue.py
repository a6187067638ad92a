"""The co-op's catalogue: job classifications and credential types, what each classification
requires, and the credentials on file that run out."""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef

from alliedup.models import Cooperative
from members.models import (
    CredentialRequirement,
    CredentialType,
    JobClassification,
    MemberStatus,
    Worker,
    WorkerCredential,
)
from members.selectors.workers import workers_by_id


def required_credentials(classification_ids) -> dict[int, list]:
    """{classification id: [CredentialType, …]} the classifications require (one query)."""
    required: dict[int, list] = {}
    for req in CredentialRequirement.objects.filter(classification_id__in=classification_ids).select_related("credential_type"):
        required.setdefault(req.classification_id, []).append(req.credential_type)
    return required


def credentials_valid_until(worker_ids, credential_type_ids=None) -> dict[tuple[int, int], date]:
    """{(worker id, credential type id): the last day the worker holds that credential}:
    the latest expiry among their copies, `date.max` when one never expires. A pair that is
    absent is a credential not on file. One query."""
    rows = WorkerCredential.objects.filter(worker_id__in=worker_ids)
    if credential_type_ids is not None:
        rows = rows.filter(credential_type_id__in=credential_type_ids)
    valid_until: dict[tuple[int, int], date] = {}
    for worker_id, type_id, expires_on in rows.values_list("worker_id", "credential_type_id", "expires_on"):
        key = (worker_id, type_id)
        valid_until[key] = max(valid_until.get(key, date.min), expires_on or date.max)
    return valid_until


@dataclass(frozen=True)
class CredentialRunningOut:
    worker: Worker  # with the user loaded
    credential_type: CredentialType
    valid_until: date  # the last day of the last copy on file


def credentials_running_out(cooperative: Cooperative, first_day: date, last_day: date) -> list[CredentialRunningOut]:
    """The credentials of active workers (not withdrawn) whose last copy on file runs out
    between `first_day` and `last_day`, by worker and type: a renewal on file with a later
    date means none; types that do not expire are left out. Four queries."""
    pairs = set(WorkerCredential.objects.filter(
        cooperative=cooperative, expires_on__gte=first_day, expires_on__lte=last_day, worker__is_active=True,
        credential_type__expires=True,
    ).exclude(worker__status=MemberStatus.WITHDRAWN).values_list("worker_id", "credential_type_id"))
    if not pairs:
        return []
    valid_until = credentials_valid_until({w for w, t in pairs}, {t for w, t in pairs})
    running_out = {pair: valid_until[pair] for pair in pairs if first_day <= valid_until.get(pair, date.max) <= last_day}
    if not running_out:
        return []
    types = CredentialType.objects.in_bulk({t for w, t in running_out})
    workers = workers_by_id({w for w, t in running_out})
    return [CredentialRunningOut(workers[w], types[t], until) for (w, t), until in sorted(running_out.items())]


def classifications_by_code(cooperative: Cooperative) -> dict[str, JobClassification]:
    """The co-op's job classifications, active or not, by their code in lower case. One query."""
    return {c.code.lower(): c for c in JobClassification.objects.filter(cooperative=cooperative)}


def credentials_expiring(cooperative: Cooperative, first_day: date, last_day: date) -> list[WorkerCredential]:
    """The credentials on file of active workers expiring from `first_day` to `last_day`,
    less those already renewed (another copy of the type that never expires or runs past
    `last_day`), by expiry and worker name, with worker and type loaded. One query."""
    renewed = WorkerCredential.objects.filter(worker=OuterRef("worker"), credential_type=OuterRef("credential_type")).filter(
        models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=last_day)
    )
    return list(
        WorkerCredential.objects.filter(cooperative=cooperative, worker__is_active=True, expires_on__gte=first_day,
                                        expires_on__lte=last_day)
        .filter(~Exists(renewed))
        .select_related("worker", "credential_type")
        .order_by("expires_on", "worker__last_name", "worker__first_name")
    )


def classifications_qs(cooperative=None, *, active_only: bool = False, ids=None):
    """Job classifications by name, a QuerySet for a form's choices: the co-op's (`cooperative`,
    a Cooperative or its id; None: whatever the open scope shows), only active ones with
    `active_only`, only `ids` (ids or a subquery) when given. Lazy: one query when read;
    `classifications_qs().none()` is an empty one that needs no scope (a form's choices before
    it knows its co-op)."""
    rows = JobClassification.objects.get_queryset()  # not .all(): outside a scope, .none() still works
    if cooperative is not None:
        rows = rows.filter(cooperative=cooperative)
    if active_only:
        rows = rows.filter(is_active=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows


def classification_by_code(cooperative: Cooperative, code: str, *, active_only: bool = False) -> JobClassification | None:
    """The co-op's job classification with exactly this code (an active one with
    `active_only`), or None. One query."""
    rows = JobClassification.objects.filter(cooperative=cooperative, code=code)
    if active_only:
        rows = rows.filter(is_active=True)
    return rows.first()


def credential_types_qs(cooperative=None):
    """The credential types, a QuerySet for the caller to narrow, order or count: the co-op's
    (`cooperative`, a Cooperative, its id or an OuterRef; None: whatever the open scope
    shows). Lazy: one query when read."""
    rows = CredentialType.objects.all()
    if cooperative is not None:
        rows = rows.filter(cooperative=cooperative)
    return rows


def classification_catalogue_qs(cooperative: Cooperative, *, order: str = "code"):
    """The co-op's job classifications, active or not, ordered by `order` ("code" or "name"),
    each with the credential types it requires prefetched in the same order: a QuerySet (a
    caller may page it or pick one by code). Two queries when read."""
    return JobClassification.objects.filter(cooperative=cooperative).order_by(order).prefetch_related(
        models.Prefetch("required_credentials", queryset=CredentialType.objects.order_by(order))
    )


def credential_type_catalogue_qs(cooperative: Cooperative, *, order: str = "code"):
    """The co-op's credential types ordered by `order` ("code" or "name"), each with the job
    classifications requiring it prefetched in the same order: a QuerySet (a caller may page
    it or pick one by code). Two queries when read."""
    return CredentialType.objects.filter(cooperative=cooperative).order_by(order).prefetch_related(
        models.Prefetch("required_for", queryset=JobClassification.objects.order_by(order))
    )


def credential_type_by_code(cooperative: Cooperative, code: str) -> CredentialType | None:
    """The co-op's credential type with exactly this code, or None. One query."""
    return CredentialType.objects.filter(cooperative=cooperative, code=code).first()


def classifications_with_codes(cooperative: Cooperative, codes) -> dict[str, JobClassification]:
    """{code: classification} of the co-op's job classifications, active or not, whose code
    is exactly one of `codes`; a code not found is absent. One query."""
    return {c.code: c for c in JobClassification.objects.filter(cooperative=cooperative, code__in=codes)}
