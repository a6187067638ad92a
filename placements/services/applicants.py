"""The public job board's applications, and hiring an applicant into the co-op."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from alliedup.uploads import check_upload
from alliedup.models import Cooperative
from members.services.workers import worker_hire
from placements.models import Applicant

if TYPE_CHECKING:
    from members.models import JobClassification, Worker

RESUME_MAX_BYTES = 5 * 1024 * 1024
# Extension → the file's first bytes. A .docx is a zip archive.
RESUME_TYPES = {".pdf": b"%PDF", ".docx": b"PK\x03\x04"}


@transaction.atomic
def application_submit(
    *, cooperative: Cooperative, first_name: str, last_name: str, email: str, resume, phone: str = "",
    classification: JobClassification | None = None, message: str = "",
) -> Applicant:
    """Store an application from the public job board. Raises ValidationError on a resume
    of the wrong type or size, or missing fields; nothing is written then."""
    if classification is not None and classification.cooperative_id != cooperative.pk:
        raise ValidationError({"classification": _("Choose one of this cooperative's positions.")})
    check_upload(resume, field="resume", allowed=RESUME_TYPES, max_bytes=RESUME_MAX_BYTES,
                 wrong_type=_("Upload your resume as a PDF or a Word (.docx) file."))
    applicant = Applicant(
        cooperative=cooperative, first_name=first_name.strip(), last_name=last_name.strip(), email=email.strip().lower(),
        phone=phone.strip(), classification=classification, message=message.strip(),
    )
    applicant.resume.save(resume.name, resume, save=False)
    applicant.full_clean()
    applicant.save()
    audit_log(cooperative=cooperative, action="placements.applicant.applied", obj=applicant,
              data={"classification": classification.code if classification else None})
    return applicant


@transaction.atomic
def applicant_hire(
    *, applicant: Applicant, hire_date: date, classification: JobClassification, wage_step: int, hired_by,
    invite: bool = False,
) -> Worker:
    """Hire an applicant: the employee record is created in members (the same service as
    any hire) and linked from the application; with `invite`, the new worker is invited to
    sign in at the address they applied with."""
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if applicant.status != Applicant.Status.NEW:
        raise ValidationError(f"This application is already {applicant.get_status_display().lower()}.")
    worker = worker_hire(
        cooperative=applicant.cooperative, first_name=applicant.first_name, last_name=applicant.last_name,
        email=applicant.email, phone=applicant.phone, hire_date=hire_date, classifications=[(classification, wage_step)],
        hired_by=hired_by, invite_email=applicant.email if invite else None,
    )
    applicant.status, applicant.hired_worker, applicant.decided_by = Applicant.Status.HIRED, worker, hired_by
    applicant.save(update_fields=["status", "hired_worker", "decided_by"])
    audit_log(cooperative=applicant.cooperative, action="placements.applicant.hired", user=hired_by, obj=applicant)
    return worker


@transaction.atomic
def applicant_decline(*, applicant: Applicant, reason: str, declined_by) -> Applicant:
    if not reason.strip():
        raise ValidationError({"reason": "Record why the application is declined."})
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if applicant.status != Applicant.Status.NEW:
        raise ValidationError(f"This application is already {applicant.get_status_display().lower()}.")
    applicant.status, applicant.decline_reason, applicant.decided_by = Applicant.Status.DECLINED, reason.strip(), declined_by
    applicant.save(update_fields=["status", "decline_reason", "decided_by"])
    audit_log(cooperative=applicant.cooperative, action="placements.applicant.declined", user=declined_by, obj=applicant,
              data={"reason": reason})
    return applicant
