"""Writes of the tenancy core: cooperatives, roles, invitations. One transaction each."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from alliedup.models import Cooperative, CooperativeRole, Invitation, Role, User
from alliedup.selectors import email_status
from alliedup.tasks import enqueue, invitation_send

INVITATION_VALID_DAYS = 14


@transaction.atomic
def cooperative_create(*, slug: str, name: str, time_zone: str = "America/Los_Angeles", **settings) -> Cooperative:
    """Create a tenant with the default rule settings (overridable by keyword)."""
    cooperative = Cooperative(slug=slug, name=name, time_zone=time_zone, **settings)
    cooperative.full_clean()
    cooperative.save()
    audit_log(cooperative=cooperative, action="alliedup.cooperative.created", obj=cooperative)
    return cooperative


@transaction.atomic
def role_grant(*, cooperative: Cooperative, user: User, role: str, granted_by: User | None = None) -> CooperativeRole:
    """Give `user` `role` in `cooperative`; granting a role already held changes nothing."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    obj, created = CooperativeRole.objects.get_or_create(
        cooperative=cooperative, user=user, role=role, defaults={"granted_by": granted_by}
    )
    if created:
        audit_log(
            cooperative=cooperative, action="alliedup.role.granted", user=granted_by, obj=obj,
            after={"user": user.email, "role": role},
        )
    user.__dict__.pop("_coop_roles", None)
    return obj


@transaction.atomic
def role_revoke(*, cooperative: Cooperative, user: User, role: str, revoked_by: User | None = None) -> bool:
    """Remove `role`; return whether it was held. The last admin cannot be removed."""
    held = CooperativeRole.objects.filter(cooperative=cooperative, user=user, role=role)
    if not held.exists():
        return False
    if role == Role.ADMIN and CooperativeRole.objects.filter(
        cooperative=cooperative, role=Role.ADMIN
    ).count() == 1:
        raise ValidationError("A cooperative keeps at least one administrator.")
    held.delete()
    audit_log(
        cooperative=cooperative, action="alliedup.role.revoked", user=revoked_by,
        before={"user": user.email, "role": role},
    )
    user.__dict__.pop("_coop_roles", None)
    return True


@transaction.atomic
def invitation_create(
    *, cooperative: Cooperative, email: str, role: str, invited_by: User, worker=None, links_record: bool = False,
) -> Invitation:
    """Invite `email` into `role`; the email goes out through Celery once this commits.

    `worker`: the employee record to link to the accepting account (role worker). An
    invitation that links a record (`worker`, or `links_record` for a client contact) goes
    out even to someone already holding the role: the link is what it is for. Raises
    ValidationError on an unknown role or someone already holding it.
    """
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if worker is not None and role != Role.WORKER:
        raise ValidationError({"role": "An invitation linked to an employee record is into the worker role."})
    if worker is not None and worker.cooperative_id != cooperative.pk:
        raise ValidationError("That employee record belongs to another cooperative.")
    links_record = links_record or worker is not None
    if not links_record and CooperativeRole.objects.filter(
        cooperative=cooperative, user__email__iexact=email, role=role
    ).exists():
        raise ValidationError({"email": "This person already holds that role here."})
    invitation = Invitation(
        cooperative=cooperative, email=email, role=role, invited_by=invited_by, worker=worker,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    after = {"email": email, "role": role}
    if worker is not None:
        after["worker"] = str(worker.uuid)
    audit_log(
        cooperative=cooperative, action="alliedup.invitation.created", user=invited_by,
        obj=invitation, after=after,
    )
    enqueue(invitation_send, cooperative=cooperative, invitation_id=invitation.pk)
    return invitation


def team_invite(*, cooperative: Cooperative, email: str, role: str, invited_by: User) -> Invitation:
    """Invite someone from the Team page or the invitations API: a role that acts for a
    record (settings.INVITATION_RECORD_SERVICES) goes through its app's service, any other is
    `invitation_create`. Raises ValidationError as those do."""
    if path := settings.INVITATION_RECORD_SERVICES.get(role):
        return import_string(path)(cooperative=cooperative, email=email, invited_by=invited_by)
    return invitation_create(cooperative=cooperative, email=email, role=role, invited_by=invited_by)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User | None, reason: str = "") -> bool:
    """Withdraw an invitation not yet accepted: its link stops working (and it is not sent
    if it has not gone out yet). Returns False if it was already withdrawn; raises
    ValidationError if it was accepted (unlink the account instead)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was already accepted; it cannot be withdrawn.")
    if invitation.revoked_at is not None:
        return False
    invitation.revoked_at, invitation.revoked_by = timezone.now(), revoked_by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        cooperative=invitation.cooperative, action="alliedup.invitation.revoked", user=revoked_by,
        obj=invitation, data={"reason": reason} if reason else None,
    )
    return True


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> CooperativeRole:
    """Turn an open invitation into a role for `user` and link the records it names.

    The invited address must be one `user` has verified (allauth): an account that never
    proved the address is not silently given what was sent to it. Raises ValidationError
    (nothing written) on an accepted, withdrawn or expired invitation, another address, an
    unverified one, or a record that cannot be linked.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn; ask the cooperative for a new one."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired; ask for a new one."))
    status = email_status(user, invitation.email)
    if status == "other":
        raise ValidationError(_("This invitation was sent to a different email address."))
    if status == "unverified":
        raise ValidationError(
            _("Confirm your email address %(email)s first (see the confirmation email, or your account's email page), "
              "then accept the invitation.") % {"email": invitation.email}
        )
    role = role_grant(
        cooperative=invitation.cooperative, user=user, role=invitation.role,
        granted_by=invitation.invited_by,
    )
    # Apps that tie an invitation to a record of their own link it here (the setting).
    for path in settings.INVITATION_ACCEPTANCE_LINKS:
        import_string(path)(invitation=invitation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        cooperative=invitation.cooperative, action="alliedup.invitation.accepted", user=user,
        obj=invitation,
    )
    return role


def user_language_set(*, user: User, language: str) -> None:
    """Save the language a user chose (the portal's switch); "" goes back to the browser's.
    Raises ValidationError for a language the site does not speak. The user's own
    preference, not a change to the co-op's records: not audited."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": f"Unknown language {language!r}."})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
