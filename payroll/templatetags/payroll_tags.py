"""Template filters of the payroll pages and documents (money and hours: `{% load figures %}`)."""

from django import template

from alliedup.money import rate_text

register = template.Library()


@register.filter
def rate(value) -> str:
    """An hourly rate: 33.0000 → "33.00"; 17.2619 → "17.2619" (alliedup.money.rate_text)."""
    return rate_text(value)


@register.filter
def absolute(value):
    """|x| (sick leave used is stored negative)."""
    return None if value is None else abs(value)
