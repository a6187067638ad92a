"""`{% load figures %}`: money and hours on pages and PDFs, printed by the one rule of
alliedup.money (two places, half up, thousands separators), and hourly rates (up to four
places where they have them).

    {{ statement.gross|money }}      → $1,234.50   (-$12.00 when negative)
    {{ statement.hours_worked|hours }} h → 1,234.50 h   (the template labels the unit)
    ${{ line.rate|rate }}            → $33.00, $17.2619
"""

from django import template

from alliedup.money import hours_text, money_text, rate_text

register = template.Library()


@register.filter
def money(value) -> str:
    return money_text(value)


@register.filter
def hours(value) -> str:
    return hours_text(value)


@register.filter
def rate(value) -> str:
    return rate_text(value)
