"""Reads of the tenancy core used by pages, the API and other apps."""

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from alliedup.models import AuditEvent, Cooperative, CooperativeRole, User


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
