from django import template

register = template.Library()


@register.filter
def allowed(perms_in_coop: dict, permission: str) -> bool:
    """`{% if perms_in_coop|allowed:"coop.invite" %}`: the role check from alliedup.permissions."""
    return bool(perms_in_coop.get(permission, False))
