from django.conf import settings

from alliedup.permissions import PERMISSIONS, role_can, roles_for


def cooperative(request):
    """The active cooperative and what the user may see in it, for the layout's navigation.

    A user with no role here gets nothing: not even the cooperative's name is rendered.
    """
    coop = getattr(request, "cooperative", None)
    roles = roles_for(request.user, coop) if hasattr(request, "user") else frozenset()
    if not roles:
        return {"current_cooperative": None, "perms_in_coop": {}, "coop_roles": []}
    return {
        "current_cooperative": coop,
        "coop_roles": sorted(roles),
        "perms_in_coop": {name: role_can(roles, name) for name in PERMISSIONS},
        # The demo's banner, for those whose two-factor sign-in it skips (settings.DEMO_SKIP_STAFF_MFA).
        "demo_mfa_off": settings.DEMO_SKIP_STAFF_MFA and bool(roles & set(settings.MFA_REQUIRED_ROLES_STAFF_AND_BOARD)),
    }
