"""What each role may do: the one place pages and API alike ask.

A permission is a name (`<area>.<verb>`) mapped to the roles that hold it. Views declare the
permission they need (`@permission_required_in_coop`, `CooperativePermission`); templates ask
`can` for navigation. Later issues add their permissions to PERMISSIONS.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework import permissions as drf_permissions

from alliedup.models import Cooperative, CooperativeRole, Role

STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PAYROLL})

PERMISSIONS: dict[str, frozenset[str]] = {
    "coop.view": frozenset(Role.values),
    "coop.view_staff_home": STAFF,
    "coop.view_worker_home": frozenset({Role.WORKER}),
    "coop.view_team": frozenset({Role.ADMIN, Role.COORDINATOR}),
    "coop.invite": frozenset({Role.ADMIN}),
    "coop.view_audit": frozenset({Role.ADMIN}),
    # members: the ownership path
    "members.view_own": frozenset({Role.WORKER}),
    "members.view": STAFF,
    "members.manage": frozenset({Role.ADMIN, Role.COORDINATOR}),
    "members.post_hours": STAFF,
    # placements
    "placements.view": STAFF,
    "placements.manage": frozenset({Role.ADMIN, Role.COORDINATOR}),
    "placements.approve_timesheets": frozenset({Role.ADMIN, Role.COORDINATOR, Role.CLIENT}),
    "placements.work": frozenset({Role.WORKER}),
    "placements.client_portal": frozenset({Role.CLIENT}),
    "placements.hire": frozenset({Role.ADMIN, Role.COORDINATOR}),
    # payroll
    "payroll.view": frozenset({Role.ADMIN, Role.PAYROLL}),
    "payroll.manage": frozenset({Role.ADMIN, Role.PAYROLL}),
    "payroll.view_own": frozenset({Role.WORKER}),
    "payroll.wage_floor": frozenset({Role.ADMIN, Role.PAYROLL, Role.COORDINATOR}),
    "placements.invoice": frozenset({Role.ADMIN, Role.COORDINATOR, Role.PAYROLL}),
    # patronage (payroll/patronage): the board reads allocations; payroll staff run them
    "patronage.view": frozenset({Role.ADMIN, Role.PAYROLL, Role.BOARD}),
    "patronage.manage": frozenset({Role.ADMIN, Role.PAYROLL}),
    "patronage.view_own": frozenset({Role.WORKER}),
    # governance: worker-owners vote; the board and admins run elections; staff follow along.
    # Who reads which governance document is decided by governance.selectors.documents_for.
    "governance.vote": frozenset({Role.WORKER}),
    "governance.manage": frozenset({Role.ADMIN, Role.BOARD}),
    "governance.view": frozenset({Role.ADMIN, Role.COORDINATOR, Role.PAYROLL, Role.BOARD}),
    "governance.documents": frozenset(Role.values),
    # insights: staff read operations, the board money and governance; worker-owners (and the
    # board, admins) the co-op's aggregate figures on "our co-op".
    "insights.staff": frozenset({Role.ADMIN, Role.COORDINATOR, Role.PAYROLL}),
    "insights.board": frozenset({Role.ADMIN, Role.BOARD}),
    "insights.owner": frozenset({Role.WORKER, Role.BOARD, Role.ADMIN}),
}


class NoRoleInCooperative(PermissionDenied):
    """The user holds no role at all in the active cooperative."""


def roles_for(user, cooperative: Cooperative | None) -> frozenset[str]:
    """Return the roles `user` holds in `cooperative` (cached on the user object)."""
    if cooperative is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache = user.__dict__.setdefault("_coop_roles", {})
    if cooperative.pk not in cache:
        cache[cooperative.pk] = frozenset(
            CooperativeRole.objects.filter(user=user, cooperative=cooperative).values_list(
                "role", flat=True
            )
        )
    return cache[cooperative.pk]


def role_can(roles: frozenset[str], permission: str) -> bool:
    try:
        allowed = PERMISSIONS[permission]
    except KeyError:  # a typo must not silently open or close a page
        raise KeyError(f"Unknown permission {permission!r}; add it to PERMISSIONS") from None
    return bool(roles & allowed)


def can(user, cooperative: Cooperative | None, permission: str) -> bool:
    return role_can(roles_for(user, cooperative), permission)


def check(user, cooperative: Cooperative | None, permission: str) -> None:
    """Raise NoRoleInCooperative or PermissionDenied unless the user holds `permission`."""
    roles = roles_for(user, cooperative)
    if not roles:
        raise NoRoleInCooperative("You have no role in this cooperative.")
    if not role_can(roles, permission):
        raise PermissionDenied("Your role in this cooperative does not allow this.")


def public_page(view):
    """Mark a page of a cooperative that anyone may open without signing in (the job board).
    The isolation test checks such pages differently: one co-op's public page must show
    none of another co-op's data."""
    view.public_page = True
    return view


def permission_required_in_coop(permission: str):
    """Page decorator: login required, then `permission` in the URL's cooperative."""
    PERMISSIONS[permission]  # fail at import time on an unknown name

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request.user, request.cooperative, permission)
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator


class CooperativePermission(drf_permissions.BasePermission):
    """DRF: the view names `required_permission` (or `required_permissions` per method)."""

    message = "Your role in this cooperative does not allow this."

    def has_permission(self, request, view):
        cooperative = getattr(request._request, "cooperative", None)
        if cooperative is None or not request.user.is_authenticated:
            return False
        per_method = getattr(view, "required_permissions", {})
        permission = per_method.get(request.method, getattr(view, "required_permission", None))
        if permission is None:
            raise PermissionDenied(f"{type(view).__name__} declares no required_permission")
        roles = roles_for(request.user, cooperative)
        if not roles:
            self.message = "You have no role in this cooperative."
            return False
        return role_can(roles, permission)
