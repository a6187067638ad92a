"""Reads behind the worker's private calendar feed (placements/calendar.py builds it)."""

from datetime import datetime

from django_scopes import scopes_disabled

from placements.models import Assignment, CalendarFeed
from placements.services.calendar import calendar_token_hash

# What the feed lists: booked shifts, and cancelled ones so calendars that kept them strike
# them out. A request staff have not confirmed yet is not booked; a no-show is not listed.
FEED_STATUSES = (Assignment.Status.CONFIRMED, Assignment.Status.CANCELLED)


def calendar_feed_live(worker) -> CalendarFeed | None:
    """The worker's live (not revoked) feed, or None."""
    return CalendarFeed.objects.filter(worker=worker, revoked_at=None).first()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token opens, with its worker and cooperative, or None (unknown,
    revoked, or its co-op deactivated). One query.

    Runs before any co-op is known (the token is what names it), so it is the one read here
    with the scopes disabled; it matches on the token's hash, unique across co-ops."""
    with scopes_disabled():
        return (
            CalendarFeed.objects.select_related("worker__user", "cooperative")
            .filter(token_hash=calendar_token_hash(token), revoked_at=None, cooperative__is_active=True)
            .first()
        )


def calendar_assignments(worker, since: datetime):
    """The worker's booked and cancelled assignments ending from `since`, by start, with
    what an event shows (shift, classification, client, site). One query."""
    return (
        Assignment.objects.filter(worker=worker, status__in=FEED_STATUSES, ends_at__gte=since)
        .select_related("shift__classification", "shift__job_order__contract__client", "shift__job_order__site")
        .order_by("starts_at", "id")
    )
