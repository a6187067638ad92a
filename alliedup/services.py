"""Writes of the tenancy core: cooperatives, roles, invitations. One transaction each."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.models import Cooperative, CooperativeRole, Invitation, Role, User

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
def invitation_create(*, cooperative: Cooperative, email: str, role: str, invited_by: User) -> Invitation:
    """Invite `email` into `role`; the email goes out through Celery once this commits."""
    from alliedup.tasks import enqueue, invitation_send

    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if CooperativeRole.objects.filter(cooperative=cooperative, user__email__iexact=email, role=role).exists():
        raise ValidationError({"email": "This person already holds that role here."})
    invitation = Invitation(
        cooperative=cooperative, email=email, role=role, invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        cooperative=cooperative, action="alliedup.invitation.created", user=invited_by,
        obj=invitation, after={"email": email, "role": role},
    )
    enqueue(invitation_send, cooperative=cooperative, invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> CooperativeRole:
    """Turn an open invitation into a role for `user`, whose email must be the invited one."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.")
    if invitation.expires_at <= timezone.now():
        raise ValidationError("This invitation has expired; ask for a new one.")
    if user.email.lower() != invitation.email.lower():
        raise ValidationError("This invitation was sent to a different email address.")
    role = role_grant(
        cooperative=invitation.cooperative, user=user, role=invitation.role,
        granted_by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        cooperative=invitation.cooperative, action="alliedup.invitation.accepted", user=user,
        obj=invitation,
    )
    return role
