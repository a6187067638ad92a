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


def cooperative_team(cooperative: Cooperative) -> list[dict]:
    """Each user with a role here and the sorted list of their roles."""
    team: dict[int, dict] = {}
    rows = (
        CooperativeRole.objects.filter(cooperative=cooperative)
        .select_related("user")
        .order_by("user__email", "role")
    )
    for row in rows:
        entry = team.setdefault(row.user_id, {"user": row.user, "roles": []})
        entry["roles"].append(row.get_role_display())
    return list(team.values())


def audit_events(cooperative: Cooperative, *, action_prefix: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(cooperative=cooperative).select_related("actor")
    if action_prefix:
        qs = qs.filter(action__startswith=action_prefix)
    return qs
