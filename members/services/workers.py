"""Hiring workers and the classifications and credentials a co-op works with."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.uploads import check_upload
from alliedup.models import Cooperative
from members.services.accounts import worker_invite
# The standard list lives with the catalogue (members.services.classifications); older callers import it here.
from members.services.classifications import (  # noqa: F401
    DEFAULT_CLASSIFICATIONS,
    DEFAULT_CREDENTIALS,
    classifications_seed_defaults,
)
from members.models import (
    CredentialType,
    JobClassification,
    MemberStatus,
    MemberStatusChange,
    Worker,
    WorkerClassification,
    WorkerCredential,
)


@transaction.atomic
def worker_hire(
    *, cooperative: Cooperative, first_name: str, last_name: str, email: str, hire_date: date,
    classifications: list[tuple[JobClassification, int]], phone: str = "", user=None, hired_by=None,
    invite_email: str | None = None,
) -> Worker:
    """Hire an employee into one or more classifications (each with its wage step).

    Records the first status (employee) and audits the hire. With `invite_email`, also
    invites the worker to sign in (members.services.accounts.worker_invite), in the same
    transaction; the email goes out once it commits. Raises ValidationError on bad input
    (no classification, a classification of another co-op, a duplicate email).
    """
    if not classifications:
        raise ValidationError({"classifications": "Hire into at least one job classification."})
    for classification, step in classifications:
        if classification.cooperative_id != cooperative.pk:
            raise ValidationError({"classifications": "A classification belongs to another cooperative."})
        if step < 1:
            raise ValidationError({"classifications": "Wage steps start at 1."})
    worker = Worker(
        cooperative=cooperative, first_name=first_name.strip(), last_name=last_name.strip(),
        email=email.strip().lower(), phone=phone, hire_date=hire_date, user=user,
    )
    worker.full_clean()
    worker.save()
    WorkerClassification.objects.bulk_create(
        WorkerClassification(cooperative=cooperative, worker=worker, classification=c, wage_step=step, since=hire_date)
        for c, step in classifications
    )
    MemberStatusChange.objects.create(
        cooperative=cooperative, worker=worker, from_status="", to_status=MemberStatus.EMPLOYEE,
        effective_on=hire_date, changed_by=hired_by, reason="Hired",
    )
    audit_log(
        cooperative=cooperative, action="members.worker.hired", user=hired_by, obj=worker,
        after={"classifications": [c.code for c, _ in classifications], "hire_date": hire_date},
    )
    if invite_email:
        worker_invite(worker=worker, email=invite_email, invited_by=hired_by)
    return worker


CREDENTIAL_TYPES = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
CREDENTIAL_MAX_BYTES = 5 * 1024 * 1024


@transaction.atomic
def credential_record(
    *, worker: Worker, credential_type: CredentialType, number: str = "", issuer: str = "", issued_on=None,
    expires_on=None, document=None, recorded_by=None,
) -> WorkerCredential:
    """Record a licence or certification a worker holds, with its scanned document."""
    if credential_type.cooperative_id != worker.cooperative_id:
        raise ValidationError({"credential_type": "That credential type belongs to another cooperative."})
    if credential_type.expires and expires_on is None:
        raise ValidationError({"expires_on": f"A {credential_type.name} has an expiry date."})
    if expires_on and issued_on and expires_on < issued_on:
        raise ValidationError({"expires_on": "It cannot expire before it was issued."})
    if document:
        check_upload(document, field="document", allowed=CREDENTIAL_TYPES, max_bytes=CREDENTIAL_MAX_BYTES,
                     wrong_type="Upload a PDF, PNG or JPEG.")
    credential = WorkerCredential(
        cooperative=worker.cooperative, worker=worker, credential_type=credential_type, number=number.strip(),
        issuer=issuer.strip(), issued_on=issued_on, expires_on=expires_on,
    )
    if document:
        credential.document.save(document.name, document, save=False)
    credential.save()
    audit_log(cooperative=worker.cooperative, action="members.credential.recorded", user=recorded_by, obj=worker,
              after={"type": credential_type.code, "expires_on": expires_on})
    return credential
