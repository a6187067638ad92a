"""`{% load placements_calendar %}{% calendar_feed_panel worker %}`: the worker's calendar
link on their staff record (members/worker_detail.html), with "new link" and "revoke" for
staff who manage placements. A tag, so the members page needs no placements code."""

from django import template

from alliedup.permissions import can
from placements.selectors.calendar import calendar_feed_live

register = template.Library()


@register.inclusion_tag("placements/staff/_calendar_feed_panel.html", takes_context=True)
def calendar_feed_panel(context, worker):
    request = context["request"]
    return {
        "worker": worker,
        "feed": calendar_feed_live(worker),
        "can_manage": can(request.user, request.cooperative, "placements.manage"),
        "coop_slug": request.cooperative.slug,
        "csrf_token": context.get("csrf_token"),
    }
