"""What placements tells workers (placements/notices.py): a shift confirmed or cancelled, each
once (running the task again sends nothing), only to the worker concerned, only on the
channels they did not opt out of, with a one-click unsubscribe link; and the daily digest of
new open shifts, once a day."""

from datetime import date, time, timedelta

import pytest
from django.utils import translation

from notifications.models import Channel, Delivery, Kind
from notifications.services.preferences import preferences_update
from placements import notices
from placements.models import Assignment, JobOrder
from placements.notices import open_shift_digest_task, shift_notice_task
from placements.services.matching import assignment_cancel, assignment_confirm, shift_request
from tests.conftest import clock_at
from tests.members.factories import JobClassificationFactory

# The notification tests' client (with its address), workers with a login, and shift booking.
from tests.notifications.conftest import FakeTask, book, contract, licensed, nurse, order, worker_with_login  # noqa: F401

pytestmark = pytest.mark.today("2026-11-23")
SHIFT_DAY = date(2026, 11, 28)  # a Saturday, five days ahead


def test_a_confirmed_shift_is_told_once(alliedup, contract, lvn, nurse, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = book(contract, lvn, nurse, SHIFT_DAY)
    assert len(mailoutbox) == 1
    # A retry or a duplicate delivery of the task sends nothing more.
    assert shift_notice_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk).get() == 0
    assert shift_notice_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk).get() == 0
    assert len(mailoutbox) == 1

    message = mailoutbox[0]
    assert message.to == [nurse.email]
    assert message.subject == "AlliedUP Cooperative: shift confirmed at Eastbay Skilled Nursing on Sat Nov 28 at 07:00"
    assert "Hello Ana" in message.body
    assert "Saturday, November 28, 2026, 07:00–15:00, America/Los_Angeles time" in message.body
    assert "1200 Main St, Oakland" in message.body and "Licensed Vocational Nurse" in message.body
    assert "/c/alliedup/placements/me/schedule/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://") and "/c/alliedup/notifications/unsubscribe/" in unsubscribe
    assert unsubscribe.strip("<>") in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = Delivery.objects.get()
    assert (row.worker, row.kind, row.channel, row.subject, row.address) == (
        nurse, Kind.SHIFT_CONFIRMED, Channel.EMAIL, f"assignment:{assignment.pk}", nurse.email)
    assert row.sent_at is not None


def test_a_requested_shift_is_told_when_staff_confirm_it(alliedup, contract, lvn, nurse, alliedup_users, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        requested = shift_request(shift=order(contract, lvn, SHIFT_DAY)[0], worker=nurse)
    assert requested.status == Assignment.Status.ACCEPTED and mailoutbox == []  # asked for, not confirmed yet
    with django_capture_on_commit_callbacks(execute=True):
        assignment_confirm(assignment=requested, confirmed_by=alliedup_users["coordinator"])
    assert [m.subject.split(": ")[1][:15] for m in mailoutbox] == ["shift confirmed"]


def test_a_cancelled_shift_is_told_once_and_a_no_show_is_not(alliedup, contract, lvn, nurse, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    assignment = book(contract, lvn, nurse, SHIFT_DAY)  # its confirmation is not committed here: not sent
    other = book(contract, lvn, nurse, date(2026, 11, 29))
    with django_capture_on_commit_callbacks(execute=True):
        assignment_cancel(assignment=assignment, reason="The client closed the unit")
        assignment_cancel(assignment=other, reason="Did not come", no_show=True)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "AlliedUP Cooperative: shift cancelled at Eastbay Skilled Nursing on Sat Nov 28 at 07:00"
    assert "no longer expected" in mailoutbox[0].body
    assert shift_notice_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CANCELLED, assignment_id=assignment.pk).get() == 0
    assert len(mailoutbox) == 1


def test_a_confirmation_is_not_sent_once_the_assignment_was_cancelled(alliedup, contract, lvn, nurse, mailoutbox):
    assignment = book(contract, lvn, nurse, SHIFT_DAY)
    assignment_cancel(assignment=assignment, reason="Changed plans")
    # The task reads the assignment when it runs: a stale confirmation goes nowhere.
    assert shift_notice_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk).get() == 0
    assert mailoutbox == []


def test_an_opt_out_of_one_kind_stops_only_that_kind(alliedup, contract, lvn, nurse, mailoutbox, django_capture_on_commit_callbacks):
    preferences_update(worker=nurse, choices={(Kind.SHIFT_CONFIRMED, Channel.EMAIL): False})
    with django_capture_on_commit_callbacks(execute=True):
        assignment = book(contract, lvn, nurse, SHIFT_DAY)
    assert mailoutbox == [] and not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_cancel(assignment=assignment, reason="The client closed the unit")
    assert [m.subject for m in mailoutbox] == [
        "AlliedUP Cooperative: shift cancelled at Eastbay Skilled Nursing on Sat Nov 28 at 07:00"]


def test_a_past_shift_assigned_after_the_fact_is_not_told(alliedup, contract, lvn, nurse, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(contract, lvn, nurse, date(2026, 11, 20))
    assert mailoutbox == []


def test_the_email_is_rendered_in_the_workers_language(alliedup, contract, lvn, mailoutbox, django_capture_on_commit_callbacks):
    """Dates go through Django's translated month and day names (locale/ holds the rest)."""
    nurse = worker_with_login(alliedup, classifications=[lvn], first_name="Lupe", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        book(contract, lvn, nurse, SHIFT_DAY)
    assert "sábado" in mailoutbox[0].body.lower() and "noviembre" in mailoutbox[0].body.lower()
    assert translation.get_language() == "en"  # the task's override did not leak


def test_another_cooperatives_task_cannot_reach_the_assignment(alliedup, nursescan, contract, lvn, nurse, mailoutbox, unscoped):
    assignment = book(contract, lvn, nurse, SHIFT_DAY)
    with unscoped():
        assert shift_notice_task.delay(cooperative=nursescan.pk, kind=Kind.SHIFT_CONFIRMED, assignment_id=assignment.pk).get() == 0
    assert mailoutbox == []
    with unscoped():
        assert not Delivery.objects.exists()


def test_an_unknown_kind_is_refused(alliedup):
    with pytest.raises(ValueError):
        shift_notice_task.delay(cooperative=alliedup.pk, kind=Kind.OPEN_SHIFTS, assignment_id=1).get()
    with pytest.raises(ValueError):
        shift_notice_task.delay(cooperative=alliedup.pk, kind=Kind.PAY_STATEMENT, assignment_id=1).get()


def test_the_time_of_day_in_the_email_is_the_sites(alliedup, contract, lvn, nurse, mailoutbox, django_capture_on_commit_callbacks):
    contract.client.time_zone = "America/New_York"
    contract.client.save()
    with django_capture_on_commit_callbacks(execute=True):
        shift_assign_night = book(contract, lvn, nurse, SHIFT_DAY)
    assert shift_assign_night.starts_at.astimezone(contract.client.zone).time() == time(7)
    assert "07:00–15:00, America/New_York time" in mailoutbox[0].body


# --- open-shift digest ---------------------------------------------------------------------------


def test_the_digest_lists_new_shifts_a_worker_can_take_once_a_day(alliedup, contract, lvn, licence, mailoutbox):
    ana = licensed(worker_with_login(alliedup, classifications=[lvn], first_name="Ana"), licence)
    lapsing = licensed(worker_with_login(alliedup, classifications=[lvn], first_name="Lapsing"), licence, date(2026, 11, 28))
    unlicensed = worker_with_login(alliedup, classifications=[lvn], first_name="Nolicence")
    cna = JobClassificationFactory(cooperative=alliedup, code="cna", name="CNA")
    other_class = worker_with_login(alliedup, classifications=[cna], first_name="Cna")
    gone = licensed(worker_with_login(alliedup, classifications=[lvn], first_name="Gone", is_active=False), licence)
    busy = licensed(worker_with_login(alliedup, classifications=[lvn], first_name="Busy"), licence)
    book(contract, lvn, busy, date(2026, 11, 27))
    order(contract, lvn, date(2026, 11, 27), headcount=2)  # two positions
    order(contract, lvn, date(2026, 11, 30))
    order(contract, lvn, date(2026, 12, 20))  # beyond the 14 days looked at

    assert open_shift_digest_task.delay(cooperative=alliedup.pk).get() == 3  # Ana, Lapsing, Busy
    assert open_shift_digest_task.delay(cooperative=alliedup.pk).get() == 0  # once a day
    by_name = {m.body.split(",")[0].removeprefix("Hello "): m for m in mailoutbox}
    assert set(by_name) == {"Ana", "Lapsing", "Busy"}
    assert {unlicensed.email, other_class.email, gone.email}.isdisjoint({m.to[0] for m in mailoutbox})
    assert by_name["Ana"].subject == "AlliedUP Cooperative: 3 new open shifts for you"
    assert by_name["Ana"].body.count("Eastbay Skilled Nursing") == 3 and "Dec 20" not in by_name["Ana"].body
    assert by_name["Lapsing"].subject.endswith("2 new open shifts for you")  # the licence lapses before Nov 30
    assert by_name["Busy"].subject.endswith("1 new open shift for you")  # the 27th clashes with their own shift
    assert "/c/alliedup/placements/me/shifts/" in by_name["Ana"].body


def test_the_next_days_digest_lists_only_shifts_posted_since(alliedup, contract, lvn, mailoutbox):
    worker_with_login(alliedup, classifications=[lvn], first_name="Ana")
    order(contract, lvn, date(2026, 11, 27))
    assert open_shift_digest_task.delay(cooperative=alliedup.pk).get() == 1
    with clock_at("2026-11-24"):
        assert open_shift_digest_task.delay(cooperative=alliedup.pk).get() == 0  # nothing new
        order(contract, lvn, date(2026, 11, 29))
    with clock_at("2026-11-25"):
        assert open_shift_digest_task.delay(cooperative=alliedup.pk).get() == 1
    assert mailoutbox[-1].subject.endswith("1 new open shift for you") and "Nov 29" in mailoutbox[-1].body
    assert "Nov 27" not in mailoutbox[-1].body


def test_the_digest_respects_the_opt_out(alliedup, contract, lvn, mailoutbox):
    ana = worker_with_login(alliedup, classifications=[lvn])
    preferences_update(worker=ana, choices={(Kind.OPEN_SHIFTS, Channel.EMAIL): False})
    order(contract, lvn, date(2026, 11, 27))
    assert open_shift_digest_task.delay(cooperative=alliedup.pk).get() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("count", [1, 6])
def test_the_digest_costs_a_fixed_number_of_queries(alliedup, contract, lvn, licence, count, django_assert_max_num_queries):
    for i in range(count):
        licensed(worker_with_login(alliedup, classifications=[lvn]), licence)
        order(contract, lvn, date(2026, 11, 26) + timedelta(days=i))
    with django_assert_max_num_queries(16):
        assert notices.open_shift_digest_send(cooperative=alliedup, task=FakeTask()) == count


def test_another_cooperatives_digest_lists_none_of_ours(alliedup, nursescan, contract, lvn, mailoutbox, unscoped):
    worker_with_login(alliedup, classifications=[lvn])
    order(contract, lvn, date(2026, 11, 27))
    with unscoped():
        outsider_lvn = JobClassificationFactory(cooperative=nursescan, code="lvn")
        worker_with_login(nursescan, classifications=[outsider_lvn])
        assert open_shift_digest_task.delay(cooperative=nursescan.pk).get() == 0
    assert mailoutbox == []
    assert JobOrder.objects.count() == 1
