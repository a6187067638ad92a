"""Reads of the tenancy core used by pages, the API and other apps."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from alliedup.models import AuditEvent, Cooperative, CooperativeRole, Invitation, User


def user_cooperatives(user: User) -> list[Cooperative]:
    """The active cooperatives in which `user` holds any role, by name.

    Spans tenants on purpose (the picker), so it says so with scopes_disabled and filters
    by the user.
    """
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        ids = CooperativeRole.objects.filter(user=user).values("cooperative_id")
        return list(Cooperative.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def team_members(cooperative: Cooperative) -> QuerySet[User]:
    """The users holding any role here, by email (paginate it: a co-op has thousands)."""
    holders = CooperativeRole.objects.filter(cooperative=cooperative).values("user_id")
    return User.objects.filter(pk__in=holders).order_by("email")


def team_size(cooperative: Cooperative) -> int:
    return CooperativeRole.objects.filter(cooperative=cooperative).values("user_id").distinct().count()


def with_roles(cooperative: Cooperative, users) -> list[dict]:
    """[{user, roles}] for a page of users, their roles (display names) in one query."""
    users = list(users)
    roles: dict[int, list[str]] = {u.pk: [] for u in users}
    for row in CooperativeRole.objects.filter(cooperative=cooperative, user__in=users).order_by("role"):
        roles[row.user_id].append(row.get_role_display())
    return [{"user": u, "roles": roles[u.pk]} for u in users]


def audit_events(cooperative: Cooperative, *, action_prefix: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(cooperative=cooperative).select_related("actor")
    if action_prefix:
        qs = qs.filter(action__startswith=action_prefix)
    return qs


def email_status(user: User, email: str) -> str:
    """How `email` stands for `user`: "verified" (allauth confirmed it is theirs),
    "unverified" (their address, never confirmed) or "other" (not theirs)."""
    addresses = EmailAddress.objects.filter(user=user, email__iexact=email.strip())
    if addresses.filter(verified=True).exists():
        return "verified"
    if addresses.exists() or user.email.lower() == email.strip().lower():
        return "unverified"
    return "other"


def user_with_verified_email(email: str) -> User | None:
    """The account that confirmed `email` (allauth EmailAddress, verified), if any."""
    address = EmailAddress.objects.filter(email__iexact=email.strip(), verified=True).select_related("user").first()
    return address.user if address else None


def open_invitations(cooperative: Cooperative) -> QuerySet[Invitation]:
    """Invitations still waiting for their invitee: not accepted, withdrawn or expired."""
    return Invitation.objects.filter(
        cooperative=cooperative, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )
