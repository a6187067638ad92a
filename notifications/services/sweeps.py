"""Notices found by looking that read only members, run by beat per co-op
(notifications.tasks): credentials about to expire, candidacy steps due. Each is set-based
(a fixed number of queries for the whole co-op) and sends once: the subject of each notice
names what it is about, so a second run finds its rows sent. The sweeps reading other apps'
data live with them (placements.notices: the open-shift digest; governance.notices: votes
closing)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliedup.models import Cooperative
from members.selectors import candidacies_closing, credentials_running_out
from notifications.kinds import Kind
from notifications.selectors import coop_settings
from notifications.services.delivery import Notice, absolute_url, deliver

# --- a credential about to expire ------------------------------------------------------------------


def credential_expiring_notices(*, cooperative: Cooperative, today: date | None = None) -> list[Notice]:
    """One notice per active worker and credential type whose last copy on file runs out
    within the co-op's notice days (a renewal on file with a later date means none).
    Subject: the type and that last day, so a renewal that runs out again is told again.
    Five queries (the co-op's settings, members.selectors.credentials_running_out)."""
    today = today or cooperative.today()
    last_day = today + timedelta(days=coop_settings(cooperative).credential_notice_days)
    url = absolute_url(reverse("worker_home", args=[cooperative.slug]))
    return [
        Notice(c.worker, f"credential:{c.credential_type.pk}:{c.valid_until.isoformat()}",
               {"credential_type": c.credential_type, "expires_on": c.valid_until, "days_left": (c.valid_until - today).days,
                "home_url": url})
        for c in credentials_running_out(cooperative, today, last_day)
    ]


def credential_expiring_send(*, cooperative: Cooperative, task, today: date | None = None) -> int:
    return deliver(cooperative=cooperative, kind=Kind.CREDENTIAL_EXPIRING, task=task,
                   notices=credential_expiring_notices(cooperative=cooperative, today=today))


# --- candidacy steps due -------------------------------------------------------------------------------

# Days before the candidacy's deadline a candidate with steps left is told: once at each.
CANDIDACY_NOTICE_DAYS = (14, 3)


CANDIDACY_STEPS = {
    "intake_call": _("An intake call with the co-op"),
    "interviews": _("Interviews"),
    "education": _("Co-op education sessions"),
    "agreement": _("Sign the membership agreement"),
    "equity": _("Choose how to pay the equity buy-in"),
}


def candidacy_steps_notices(*, cooperative: Cooperative, today: date | None = None) -> list[Notice]:
    """One notice per open candidacy with steps left whose deadline is within 14 days, and
    again within 3. Subject: the candidacy, its deadline (an extension starts over) and the
    step of the countdown. One query."""
    today = today or cooperative.today()
    rows = candidacies_closing(cooperative, today, today + timedelta(days=max(CANDIDACY_NOTICE_DAYS)))
    url = absolute_url(reverse("members:my_ownership", args=[cooperative.slug]))
    notices = []
    for candidacy in rows:
        done = {"intake_call": candidacy.intake_call_on, "interviews": candidacy.interviews_done_on,
                "education": candidacy.education_done_on, "agreement": candidacy.signed, "equity": candidacy.equity_chosen}
        left = [label for key, label in CANDIDACY_STEPS.items() if not done[key]]
        if not left:
            continue
        days_left = (candidacy.deadline - today).days
        countdown = min(d for d in CANDIDACY_NOTICE_DAYS if d >= days_left)
        notices.append(Notice(candidacy.worker, f"candidacy:{candidacy.pk}:{candidacy.deadline.isoformat()}:{countdown}",
                              {"candidacy": candidacy, "steps": left, "days_left": days_left, "ownership_url": url}))
    return notices


def candidacy_steps_send(*, cooperative: Cooperative, task, today: date | None = None) -> int:
    return deliver(cooperative=cooperative, kind=Kind.CANDIDACY_STEPS, task=task,
                   notices=candidacy_steps_notices(cooperative=cooperative, today=today))
