"""What each role may do: the one place pages and API alike ask.

A permission is a name (`<area>.<verb>`) mapped to the roles that hold it. Views declare the
permission they need (`@permission_required_in_coop`, `CooperativePermission`); templates ask
`can` for navigation. Later issues add their permissions to PERMISSIONS.
"""

from functools import wraps

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_scopes import scopes_disabled
from rest_framework import permissions as drf_permissions

from alliedup.models import Cooperative, CooperativeRole, Role

STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PAYROLL})

PERMISSIONS: dict[str, frozenset[str]] = {
    "coop.view": frozenset(Role.values),
    "coop.view_staff_home": STAFF,
    "coop.view_worker_home": frozenset({Role.WORKER}),
    "coop.view_board_home": frozenset({Role.BOARD}),
    "coop.view_client_home": frozenset({Role.CLIENT}),
    "coop.view_team": frozenset({Role.ADMIN, Role.COORDINATOR}),
    "coop.invite": frozenset({Role.ADMIN}),
    "coop.view_audit": frozenset({Role.ADMIN}),
    "coop.settings": frozenset({Role.ADMIN}),  # the co-op's bylaws settings and catalogue (onboarding/)
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
    # patronage (patronage/): the board reads allocations; payroll staff run them
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
    # notifications: a worker chooses what they are told (the co-op's channels: coop.settings)
    "notifications.own": frozenset({Role.WORKER}),
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


# --- two-factor authentication required of staff and board (MFA_REQUIRED_ROLES) ----------
# Enforced for pages by alliedup.mfa.TwoFactorRequiredMiddleware (every /c/<coop>/ and
# session-authenticated /api/v1/c/<coop>/ route), for token-authenticated API calls by
# CooperativePermission below, and for minting tokens by alliedup.api.views.TokenView.


def two_factor_required_api_message() -> str:
    """The `detail` of the API's 403 for a user who must set up two-factor authentication."""
    return (
        "Two-factor authentication must be set up before you can use this cooperative: your "
        f"role here requires it. Activate an authenticator app at {reverse('mfa_activate_totp')} "
        "(signed in through the browser)."
    )


def mfa_required_roles() -> frozenset[str]:
    """The roles that need an active TOTP authenticator (settings.MFA_REQUIRED_ROLES)."""
    return frozenset(settings.MFA_REQUIRED_ROLES)


def has_active_totp(user) -> bool:
    """Return whether `user` has a TOTP authenticator: one query, cached on the user object
    for the request. Read on every request, so deactivating it blocks again at the next one."""
    cache = user.__dict__
    if "_has_active_totp" not in cache:
        cache["_has_active_totp"] = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()
    return cache["_has_active_totp"]


def two_factor_roles_without_totp(user, cooperative: Cooperative | None) -> frozenset[str]:
    """Return the roles `user` holds in `cooperative` that require two-factor authentication,
    if they have no TOTP authenticator yet; an empty set when they may go on.

    Costs no query for a user without such a role (the roles are already read for the
    permission check) and one for a user with one.
    """
    required = mfa_required_roles()
    if required:  # off (the test settings): not even the roles are read here
        required &= roles_for(user, cooperative)
    if not required or has_active_totp(user):
        return frozenset()
    return required


def two_factor_setup_required(user, cooperative: Cooperative | None) -> bool:
    return bool(two_factor_roles_without_totp(user, cooperative))


def two_factor_setup_required_anywhere(user) -> bool:
    """Whether `user` holds a role requiring two-factor authentication in any active
    cooperative and has no TOTP authenticator (an API token reaches every co-op of its user)."""
    required = mfa_required_roles()
    if not required or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    with scopes_disabled():  # across cooperatives on purpose, filtered by the user
        holds = CooperativeRole.objects.filter(
            user=user, role__in=required, cooperative__is_active=True
        ).exists()
    return holds and not has_active_totp(user)


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
        # First, whatever the method: the middleware only sees session users, a token's user
        # is known here. (No role here: nothing is required, the role check answers.)
        if two_factor_setup_required(request.user, cooperative):
            self.message = two_factor_required_api_message()
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
