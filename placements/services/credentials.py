"""The nightly credential-expiry sweep: flag confirmed future assignments whose worker
will not hold a required credential through the shift, so staff replace or renew in time.
(New assignments are already refused by matching.)"""

from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.models import Cooperative, CooperativeRole, Role
from members.selectors import credentials_valid_until, required_credentials
from placements import selectors
from placements.models import Assignment


def _issues(assignments: list[Assignment]) -> dict[int, str]:
    """{assignment id: what is wrong} for those lacking a credential through their shift.
    Three queries for any number of assignments."""
    required = required_credentials({a.shift.classification_id for a in assignments})
    valid_until = credentials_valid_until({a.worker_id for a in assignments})
    issues = {}
    for a in assignments:
        end_day = selectors.shift_local_date(a.shift, a.shift.ends_at)
        missing = [
            f"{ctype} {'expires ' + str(valid_until[(a.worker_id, ctype.pk)]) if (a.worker_id, ctype.pk) in valid_until else 'missing'}"
            for ctype in required.get(a.shift.classification_id, [])
            if valid_until.get((a.worker_id, ctype.pk), date.min) < end_day
        ]
        if missing:
            issues[a.pk] = f"Shift ends {end_day}: " + "; ".join(missing)
    return issues


def credential_expiry_sweep(*, cooperative: Cooperative) -> list[Assignment]:
    """Flag newly affected future assignments (once), clear flags that a renewal fixed, and
    email the coordinators the new ones. Returns the newly flagged assignments."""
    now = timezone.now()
    upcoming = list(
        Assignment.objects.filter(cooperative=cooperative, status__in=Assignment.ACTIVE, starts_at__gte=now)
        .select_related("shift__job_order__contract__client", "shift__classification", "worker")
    )
    issues = _issues(upcoming)
    newly = [a for a in upcoming if a.pk in issues and not a.credential_flagged_at]
    with transaction.atomic():
        for a in newly:
            a.credential_issue, a.credential_flagged_at = issues[a.pk][:300], now
        Assignment.objects.bulk_update(newly, ["credential_issue", "credential_flagged_at"])
        fixed = [a.pk for a in upcoming if a.credential_flagged_at and a.pk not in issues]
        Assignment.objects.filter(pk__in=fixed).update(credential_issue="", credential_flagged_at=None)
        if newly:
            audit_log(cooperative=cooperative, action="placements.credentials.flagged",
                      data={"assignments": [str(a.uuid) for a in newly]})
            transaction.on_commit(lambda: _notify(cooperative, newly))
    return newly


def _notify(cooperative: Cooperative, flagged: list[Assignment]) -> None:
    recipients = sorted(set(
        CooperativeRole.objects.filter(cooperative=cooperative, role__in=[Role.ADMIN, Role.COORDINATOR])
        .values_list("user__email", flat=True)
    ))
    if recipients:
        send_mail(
            subject=f"{cooperative.name}: {len(flagged)} upcoming shift(s) without a valid credential",
            message=render_to_string("placements/email/credential_flags.txt", {"cooperative": cooperative, "flagged": flagged}),
            from_email=None, recipient_list=recipients,
        )
