from django import template

from alliedup.mfa import pending_setup

register = template.Library()


@register.filter
def allowed(perms_in_coop: dict, permission: str) -> bool:
    """`{% if perms_in_coop|allowed:"coop.invite" %}`: the role check from alliedup.permissions."""
    return bool(perms_in_coop.get(permission, False))


@register.simple_tag(takes_context=True)
def two_factor_setup_pending(context) -> dict | None:
    """`{% two_factor_setup_pending as pending %}`: {"next", "cooperative"} while a user sent
    to set up two-factor authentication (alliedup.mfa) has not gone back yet, else None."""
    request = context.get("request")
    return pending_setup(request) if request is not None else None
