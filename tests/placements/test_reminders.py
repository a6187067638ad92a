"""Shift reminders: one email per confirmed assignment starting within 24 hours, once."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from placements.models import Assignment, ClientSite, Shift
from placements.services.matching import assignment_cancel, shift_assign
from placements.services.orders import job_order_create
from placements.services.reminders import shift_reminders_send
from placements.tasks import shift_reminder_task
from tests.members.factories import WorkerFactory


def _booked(contract, lvn, starts_at: datetime, *, hours=8, site=None, status=Assignment.Status.CONFIRMED, **worker):
    """A shift starting at `starts_at` (to the minute, at the client's site) and its assignment."""
    local = starts_at.astimezone(contract.client.zone).replace(second=0, microsecond=0)
    order = job_order_create(contract=contract, classification=lvn, starts_on=local.date(), ends_on=local.date(), site=site,
                             shift_start=local.time(), shift_end=(local + timedelta(hours=hours)).time())
    worker = WorkerFactory(cooperative=contract.cooperative, classifications=[lvn], **worker)
    return shift_assign(shift=Shift.objects.get(job_order=order), worker=worker, status=status)


class _Task:
    """Stands in for the bound Celery task: retry() returns the exception to raise."""

    class Retry(Exception):
        pass

    def retry(self, exc):
        return self.Retry(exc)


def test_each_confirmed_shift_in_the_next_day_is_reminded_once(alliedup, contract, lvn, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    now = timezone.now()
    soon = _booked(contract, lvn, now + timedelta(hours=3), first_name="Soon")
    tomorrow = _booked(contract, lvn, now + timedelta(hours=23), first_name="Tomorrow")
    _booked(contract, lvn, now + timedelta(hours=30), first_name="Later")                     # more than 24 h away
    cancelled = _booked(contract, lvn, now + timedelta(hours=5), first_name="Cancelled")
    assignment_cancel(assignment=cancelled, reason="Sick")
    _booked(contract, lvn, now + timedelta(hours=6), first_name="Requested", status=Assignment.Status.ACCEPTED)  # not confirmed yet
    _booked(contract, lvn, now - timedelta(hours=1), first_name="Started")                    # already under way

    with django_capture_on_commit_callbacks(execute=True):
        assert shift_reminder_task.delay(cooperative=alliedup.pk).get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert shift_reminder_task.delay(cooperative=alliedup.pk).get() == 0  # runs once

    assert sorted(m.to[0] for m in mailoutbox) == sorted([soon.worker.email, tomorrow.worker.email])
    assert set(Assignment.objects.filter(reminded_at__isnull=False).values_list("pk", flat=True)) == {soon.pk, tomorrow.pk}


def test_the_reminder_gives_the_time_at_the_site_and_where_to_go(alliedup, contract, lvn, mailoutbox):
    client = contract.client
    client.address = "1200 Main St, Oakland, CA"
    client.save()
    site = ClientSite.objects.create(cooperative=alliedup, client=client, name="3 West", address="1210 Main St, 3rd floor")
    # 19:00 on the night the clocks go back, in Oakland: 02:00 UTC on November 1st.
    starts = datetime(2026, 11, 1, 2, tzinfo=UTC)
    assignment = _booked(contract, lvn, starts, hours=12, site=site, first_name="Ana")
    assert assignment.ends_at - assignment.starts_at == timedelta(hours=13)  # the autumn night is an hour longer

    assert shift_reminders_send(cooperative=alliedup, task=_Task(), now=starts - timedelta(hours=20)) == 1
    message = mailoutbox[0]
    assert message.to == [assignment.worker.email]
    assert message.subject == "AlliedUP Cooperative: your shift at Eastbay Skilled Nursing on Sat Oct 31 at 19:00"
    assert "Saturday, October 31, 2026, 19:00–07:00 (ends the next day), America/Los_Angeles time" in message.body
    assert "Eastbay Skilled Nursing, 3 West" in message.body and "1210 Main St, 3rd floor" in message.body
    assert "Hello Ana" in message.body
    # Too early: nothing is due yet 25 hours before the start.
    assert shift_reminders_send(cooperative=alliedup, task=_Task(), now=starts - timedelta(hours=25)) == 0


def test_a_mail_failure_releases_the_unsent_reminders_for_the_retry(alliedup, contract, lvn, mailoutbox):
    start = datetime(2026, 12, 1, 16, tzinfo=UTC)
    booked = [_booked(contract, lvn, start + timedelta(minutes=i)) for i in range(3)]
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=[1, OSError("mail server down")]):
        with pytest.raises(_Task.Retry):
            shift_reminders_send(cooperative=alliedup, task=_Task(), now=start - timedelta(hours=1))
    reminded = dict(Assignment.objects.values_list("pk", "reminded_at"))
    assert reminded[booked[0].pk] is not None
    assert reminded[booked[1].pk] is None and reminded[booked[2].pk] is None
    # The retry sends the two that were released, and only those.
    assert shift_reminders_send(cooperative=alliedup, task=_Task(), now=start - timedelta(hours=1)) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([booked[1].worker.email, booked[2].worker.email])


@pytest.mark.parametrize("count", [1, 8])
def test_the_query_count_does_not_grow_with_assignments(alliedup, contract, lvn, count, django_assert_max_num_queries, mailoutbox):
    start = datetime(2026, 12, 1, 16, tzinfo=UTC)
    for i in range(count):
        _booked(contract, lvn, start + timedelta(minutes=i))
    with django_assert_max_num_queries(4):
        assert shift_reminders_send(cooperative=alliedup, task=_Task(), now=start - timedelta(hours=1)) == count
    assert len(mailoutbox) == count


def test_beat_runs_the_reminders_hourly_for_every_cooperative(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["placements-shift-reminders"]
    assert entry["task"] == "alliedup.tasks.fan_out" and entry["args"] == ["placements.tasks.shift_reminder_task"]
    assert entry["schedule"].hour == set(range(24)) and len(entry["schedule"].minute) == 1


def test_another_cooperatives_assignments_are_not_reminded(alliedup, nursescan, contract, lvn, mailoutbox, unscoped):
    _booked(contract, lvn, timezone.now() + timedelta(hours=2))
    with unscoped():
        assert shift_reminder_task.delay(cooperative=nursescan.pk).get() == 0
    assert mailoutbox == []
