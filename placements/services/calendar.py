"""Private calendar feeds: a secret address per worker that calendar apps subscribe to
(placements/calendar.py builds the feed, placements/views/calendar.py serves it).

The token is 256 random bits (`secrets.token_urlsafe(32)`); only its SHA-256 is stored, so
the address is shown once, when it is made. Making a new one revokes the old one: a worker
who lost the link, or fears someone else has it, makes a new link and the old one stops
working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from members.selectors import workers_locked
from placements.models import CalendarFeed

if TYPE_CHECKING:
    from members.models import Worker

TOKEN_BYTES = 32  # 256 bits; the brief's floor is 128


def calendar_token_hash(token: str) -> str:
    """The SHA-256 (hex) stored for a token. A plain hash suffices (no salt, no slow hash):
    the token is random and long, so there is nothing to guess from the digest."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, worker: Worker, issued_by=None) -> tuple[CalendarFeed, str]:
    """Make a new private calendar address for `worker`, revoking the live one if any.

    Returns (the feed, the token): the token is not stored and cannot be shown again.
    """
    # The worker's row lock serialises two "new link" taps: each revokes the other's
    # feed before making its own, so the one-live-feed constraint never trips.
    workers_locked([worker.pk])
    now = timezone.now()
    replaced = list(CalendarFeed.objects.filter(worker=worker, revoked_at=None).values_list("pk", flat=True))
    if replaced:
        CalendarFeed.objects.filter(pk__in=replaced).update(revoked_at=now, revoked_by=issued_by)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(
        cooperative=worker.cooperative, worker=worker, token_hash=calendar_token_hash(token), created_at=now, created_by=issued_by
    )
    audit_log(cooperative=worker.cooperative, action="placements.calendar_feed.issued", user=issued_by, obj=feed,
              data={"worker": str(worker), "replaced": len(replaced)})
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, worker: Worker, revoked_by=None) -> CalendarFeed:
    """Stop the worker's live calendar address; calendar apps get a 404 from then on.

    Returns the revoked feed; raises ValidationError when no address is live.
    """
    feed = CalendarFeed.objects.select_for_update().filter(worker=worker, revoked_at=None).first()
    if feed is None:
        raise ValidationError(_("There is no calendar link to revoke: none is active."))
    feed.revoked_at, feed.revoked_by = timezone.now(), revoked_by
    feed.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(cooperative=worker.cooperative, action="placements.calendar_feed.revoked", user=revoked_by, obj=feed,
              data={"worker": str(worker)})
    return feed
