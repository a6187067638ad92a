"""A worker's shifts as an iCalendar feed (RFC 5545), for /cal/<token>.ics.

Times are wall-clock times at the client's site: each event's DTSTART/DTEND carry the
client's zone as TZID (DTSTART;TZID=America/Los_Angeles:20261101T190000) and the feed
includes a VTIMEZONE for each zone used, so a calendar shows the shift at the right hour on
either side of a daylight-saving change, wherever the phone is.
"""

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from placements.models import Assignment, Shift

PRODID = "-//Co-op Ops//Worker shifts//EN"
# Calendar apps poll subscribed feeds on their own schedule; these ask for about hourly.
REFRESH = timedelta(hours=1)


def event_uid(assignment: Assignment) -> str:
    """Stable per assignment: the same booking is the same event on every refresh."""
    return f"assignment-{assignment.uuid}@coop-ops"


def _place(shift: Shift) -> tuple[str, str]:
    """(where, in words: client · site; the address: the site's, else the client's)."""
    order = shift.job_order
    client, site = order.contract.client, order.site
    where = f"{client.name} · {site.name}" if site else client.name
    return where, (site.address if site and site.address else client.address)


def _is_cancelled(assignment: Assignment) -> bool:
    return assignment.status == Assignment.Status.CANCELLED or assignment.shift.status == Shift.Status.CANCELLED


def shift_event(assignment: Assignment, *, stamp: datetime, schedule_url: str = "") -> Event:
    shift = assignment.shift
    zone = shift.job_order.contract.client.zone
    where, address = _place(shift)
    cancelled = _is_cancelled(assignment)
    event = Event()
    event.add("uid", event_uid(assignment))
    event.add("dtstamp", stamp)
    event.add("dtstart", shift.starts_at.astimezone(zone))
    event.add("dtend", shift.ends_at.astimezone(zone))
    what = {"classification": shift.classification.name, "where": where}
    event.add("summary", _("Cancelled: %(classification)s at %(where)s") % what if cancelled else _("%(classification)s at %(where)s") % what)
    event.add("location", address or where)
    lines = [_("Shift: %(classification)s") % what, _("Where: %(where)s") % what]
    if address:
        lines.append(_("Address: %(address)s") % {"address": address})
    if cancelled:
        lines.append(_("This shift is cancelled for you."))
    if schedule_url:
        lines.append(_("My schedule: %(url)s") % {"url": schedule_url})
        event.add("url", schedule_url)
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A calendar that kept the booking replaces it with the higher sequence.
    event.add("sequence", 1 if cancelled else 0)
    return event


def _timezones(assignments: list[Assignment]) -> list[Timezone]:
    """One VTIMEZONE per zone the events use, covering just their dates (a year either side
    would only make the feed longer)."""
    spans: dict[str, list] = {}
    for a in assignments:
        zone = a.shift.job_order.contract.client.zone
        first, last = a.shift.starts_at.astimezone(zone).date(), a.shift.ends_at.astimezone(zone).date()
        span = spans.setdefault(zone.key, [zone, first, last])
        span[1], span[2] = min(span[1], first), max(span[2], last)
    return [
        Timezone.from_tzinfo(zone, tzid=key, first_date=first - timedelta(days=1), last_date=last + timedelta(days=1))
        for key, (zone, first, last) in sorted(spans.items())
    ]


def shifts_calendar(assignments, *, name: str, now: datetime | None = None, schedule_url: str = "") -> bytes:
    """The feed: one VEVENT per assignment (see selectors_calendar.calendar_assignments),
    VTIMEZONEs first (some clients need them before the events that name them)."""
    assignments = list(assignments)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    for tz in _timezones(assignments):
        cal.add_component(tz)
    for assignment in assignments:
        cal.add_component(shift_event(assignment, stamp=stamp, schedule_url=schedule_url))
    return cal.to_ical()
