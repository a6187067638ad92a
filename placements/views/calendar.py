"""The worker's private calendar feed: the feed itself (/cal/<token>.ics, no sign-in:
calendar apps fetch without cookies, the token is the key), the worker's "new link" and
"revoke" on My schedule, and the same two actions for staff on the worker's record."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliedup.i18n import language_for
from alliedup.permissions import permission_required_in_coop
from alliedup.tenancy import cooperative_scope
from members.selectors import worker_by_uuid
from placements.calendar import shifts_calendar
from placements.selectors.calendar import calendar_assignments, calendar_feed_for_token
from placements.services.calendar import calendar_feed_issue, calendar_feed_revoke
from placements.views.portal import _own_worker, _schedule_context

# The feed keeps recent history too (a worker checks what they worked for a pay question).
FEED_PAST_DAYS = 60


def feed_links(request, token: str) -> dict[str, str]:
    """The feed's address for this token: `url` (https in production) and `webcal` (the
    scheme that makes a phone offer to subscribe)."""
    url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": token}))
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@require_safe
def calendar_feed(request, token):
    """The worker's shifts as text/calendar. An unknown or revoked token is a 404 (as is a
    deactivated co-op). Outside any /c/<coop>/ URL, so the scope is opened here, from the
    feed's own cooperative. Two queries whatever the number of shifts."""
    feed = calendar_feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    coop = feed.cooperative
    # A calendar app sends no cookie: the feed speaks the worker's saved language.
    with cooperative_scope(coop), translation.override(language_for(feed.worker)):
        assignments = calendar_assignments(feed.worker, since=timezone.now() - timedelta(days=FEED_PAST_DAYS))
        body = shifts_calendar(
            assignments, name=_("My shifts · %(coop)s") % {"coop": coop.name},
            schedule_url=request.build_absolute_uri(reverse("placements:my_schedule", args=[coop.slug])),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    # The address is a secret: no shared cache keeps it, no search engine lists it, and a
    # link followed from an event does not carry it along as the referrer.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the worker, on My schedule ------------------------------------------------------------


@require_POST
@permission_required_in_coop("placements.work")
def my_calendar_issue(request, coop_slug):
    """Make a new calendar link (the old one stops working) and show it, once, on My schedule."""
    worker = _own_worker(request)
    _feed, token = calendar_feed_issue(worker=worker, issued_by=request.user)
    context = _schedule_context(request, worker)
    context["calendar_link"] = feed_links(request, token)
    return render(request, "placements/portal/my_schedule.html", context)


@require_POST
@permission_required_in_coop("placements.work")
def my_calendar_revoke(request, coop_slug):
    worker = _own_worker(request)
    try:
        calendar_feed_revoke(worker=worker, revoked_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your calendar link no longer works. Remove the calendar from your calendar app, or make a new link."))
    return redirect(reverse("placements:my_schedule", args=[coop_slug]) + "#calendar")


# --- staff, on the worker's record ---------------------------------------------------------


def _coop_worker(request, worker_uuid):
    """The co-op's worker named in the URL; another co-op's (or none) is a 404."""
    worker = worker_by_uuid(request.cooperative, worker_uuid)
    if worker is None:
        raise Http404("No such worker.")
    return worker


def _worker_page(coop_slug, worker) -> str:
    return reverse("members:worker_detail", kwargs={"coop_slug": coop_slug, "worker_uuid": worker.uuid}) + "#calendar"


@require_POST
@permission_required_in_coop("placements.manage")
def worker_calendar_issue(request, coop_slug, worker_uuid):
    """Staff make a new calendar link for a worker (e.g. one who lost theirs) and see it
    once, to pass on."""
    worker = _coop_worker(request, worker_uuid)
    _feed, token = calendar_feed_issue(worker=worker, issued_by=request.user)
    return render(request, "placements/staff/calendar_link_issued.html",
                  {"worker": worker, "calendar_link": feed_links(request, token), "back": _worker_page(coop_slug, worker)})


@require_POST
@permission_required_in_coop("placements.manage")
def worker_calendar_revoke(request, coop_slug, worker_uuid):
    worker = _coop_worker(request, worker_uuid)
    try:
        calendar_feed_revoke(worker=worker, revoked_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{worker}'s calendar link no longer works.")
    return redirect(_worker_page(coop_slug, worker))
