"""Event notices: a shift confirmed or cancelled, a pay statement ready, voting opened. Each
goes once (running the task again sends nothing), only to the worker concerned, only on the
channels they did not opt out of, with a one-click unsubscribe link."""

from datetime import date, time

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import translation

from notifications.models import Channel, Delivery, Kind
from notifications.services.preferences import preferences_update
from notifications.tasks import notify_task
from placements.models import Assignment
from placements.services.matching import assignment_cancel, assignment_confirm, shift_request
from tests.notifications.conftest import book, order, worker_with_login

pytestmark = pytest.mark.today("2026-11-23")
SHIFT_DAY = date(2026, 11, 28)  # a Saturday, five days ahead


def test_a_confirmed_shift_is_told_once(alliedup, contract, lvn, nurse, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = book(contract, lvn, nurse, SHIFT_DAY)
    assert len(mailoutbox) == 1
    # A retry or a duplicate delivery of the task sends nothing more.
    assert notify_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, subject=f"assignment:{assignment.pk}").get() == 0
    assert notify_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, subject=f"assignment:{assignment.pk}").get() == 0
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
    assert notify_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CANCELLED, subject=f"assignment:{assignment.pk}").get() == 0
    assert len(mailoutbox) == 1


def test_a_confirmation_is_not_sent_once_the_assignment_was_cancelled(alliedup, contract, lvn, nurse, mailoutbox):
    assignment = book(contract, lvn, nurse, SHIFT_DAY)
    assignment_cancel(assignment=assignment, reason="Changed plans")
    # The task reads the assignment when it runs: a stale confirmation goes nowhere.
    assert notify_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, subject=f"assignment:{assignment.pk}").get() == 0
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
        assert notify_task.delay(cooperative=nursescan.pk, kind=Kind.SHIFT_CONFIRMED, subject=f"assignment:{assignment.pk}").get() == 0
    assert mailoutbox == []
    with unscoped():
        assert not Delivery.objects.exists()


def test_an_unknown_event_is_refused(alliedup):
    with pytest.raises(ValueError):
        notify_task.delay(cooperative=alliedup.pk, kind=Kind.OPEN_SHIFTS, subject="assignment:1").get()
    with pytest.raises(ValueError):
        notify_task.delay(cooperative=alliedup.pk, kind=Kind.SHIFT_CONFIRMED, subject="assignment:x").get()


# --- pay statements --------------------------------------------------------------------------------


@pytest.fixture
def approved_run(alliedup, lvn, contract, alliedup_users, django_capture_on_commit_callbacks):
    """A pay run of Nov 1–14 with two workers' statements, approved (on commit: told)."""
    from payroll.services.periods import pay_period_create
    from payroll.services.runs import payrun_approve, payrun_calculate
    from payroll.services.wages import agreement_create, wage_table_set
    from placements.services.timesheets import timesheet_approve, timesheet_submit

    cba = agreement_create(cooperative=alliedup, name="CBA", union="SEIU-UHW", starts_on=date(2026, 1, 1),
                           ends_on=date(2027, 6, 30), dues_kind="none")
    wage_table_set(agreement=cba, classification=lvn, effective_from=date(2026, 1, 1), steps={1: "40.00"})
    period = pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 1))
    workers = [worker_with_login(alliedup, classifications=[lvn], first_name=name) for name in ("Rosa", "Ben")]
    for worker in workers:
        assignment = book(contract, lvn, worker, date(2026, 11, 3))
        sheet = timesheet_submit(assignment=assignment, clock_in=assignment.starts_at, clock_out=assignment.ends_at)
        timesheet_approve(timesheet=sheet, approved_by=alliedup_users["client"])
    run = payrun_calculate(run=period.run)
    with django_capture_on_commit_callbacks(execute=True):
        run = payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    return run, workers


def test_approving_a_pay_run_tells_each_worker_once(alliedup, approved_run, mailoutbox):
    run, workers = approved_run
    assert sorted(m.to[0] for m in mailoutbox) == sorted(w.email for w in workers)
    rosa = next(m for m in mailoutbox if m.to == [workers[0].email])
    assert rosa.subject == "AlliedUP Cooperative: your pay statement for Nov 20, 2026 is ready"
    assert "Gross pay:    $320.00" in rosa.body and "8.00" in rosa.body
    assert "/c/alliedup/payroll/" in rosa.body
    assert notify_task.delay(cooperative=alliedup.pk, kind=Kind.PAY_STATEMENT, subject=f"payrun:{run.pk}").get() == 0
    assert len(mailoutbox) == 2


def test_a_run_not_approved_tells_nobody(alliedup, lvn, mailoutbox):
    from payroll.models import PayRun
    from payroll.services.periods import pay_period_create

    run = pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 1)).run
    assert run.status == PayRun.Status.DRAFT
    assert notify_task.delay(cooperative=alliedup.pk, kind=Kind.PAY_STATEMENT, subject=f"payrun:{run.pk}").get() == 0
    assert mailoutbox == []


# --- voting opened ---------------------------------------------------------------------------------


def test_voting_opened_tells_the_roll_once(alliedup, mailoutbox, django_capture_on_commit_callbacks):
    from governance.services.voting import resolution_create, voting_open
    from tests.governance.conftest import make_owner
    from tests.governance.helpers import live_windows

    owners = [make_owner(alliedup, first_name=f"Owner{i}") for i in range(3)]
    employee = worker_with_login(alliedup)  # not a worker-owner: not on the roll
    windows = {k: v for k, v in live_windows().items() if not k.startswith("nominations")}
    resolution = resolution_create(cooperative=alliedup, title="Amend article 4", text="Resolved.", **windows)
    with django_capture_on_commit_callbacks(execute=True):
        voting_open(vote=resolution)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.email for o in owners)
    assert employee.email not in {m.to[0] for m in mailoutbox}
    assert mailoutbox[0].subject == "AlliedUP Cooperative: voting is open: Amend article 4"
    assert f"/c/alliedup/governance/" in mailoutbox[0].body and str(resolution.uuid) in mailoutbox[0].body
    assert notify_task.delay(cooperative=alliedup.pk, kind=Kind.VOTING_OPENED, subject=f"resolution:{resolution.pk}").get() == 0
    assert len(mailoutbox) == 3
    # Voting again for an open vote (idempotent) queues nothing new.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        voting_open(vote=resolution)
    assert callbacks == []


def test_the_time_of_day_in_the_email_is_the_sites(alliedup, contract, lvn, nurse, mailoutbox, django_capture_on_commit_callbacks):
    contract.client.time_zone = "America/New_York"
    contract.client.save()
    with django_capture_on_commit_callbacks(execute=True):
        shift_assign_night = book(contract, lvn, nurse, SHIFT_DAY)
    assert shift_assign_night.starts_at.astimezone(contract.client.zone).time() == time(7)
    assert "07:00–15:00, America/New_York time" in mailoutbox[0].body


# --- failures ------------------------------------------------------------------------------------


class FlakyBackend(LocmemBackend):
    """A mail server that takes one message and then goes down."""

    taken = 0

    def send_messages(self, messages):
        if FlakyBackend.taken >= 1:
            raise ConnectionRefusedError("mail server down")
        FlakyBackend.taken += 1
        return super().send_messages(messages)


def test_a_mail_failure_releases_the_unsent_and_the_retry_sends_only_those(alliedup, settings, mailoutbox):
    from governance.services.voting import resolution_create, voting_open
    from notifications.services.events import event_send
    from tests.governance.conftest import make_owner
    from tests.governance.helpers import live_windows
    from tests.notifications.conftest import FakeTask

    owners = [make_owner(alliedup) for _ in range(3)]
    windows = {k: v for k, v in live_windows().items() if not k.startswith("nominations")}
    resolution = voting_open(vote=resolution_create(cooperative=alliedup, title="Budget", text="Resolved.", **windows))
    FlakyBackend.taken = 0
    settings.EMAIL_BACKEND = "tests.notifications.test_events.FlakyBackend"
    with pytest.raises(FakeTask.Retry):
        event_send(cooperative=alliedup, kind=Kind.VOTING_OPENED, subject=f"resolution:{resolution.pk}", task=FakeTask())
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 1 and len(mailoutbox) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert event_send(cooperative=alliedup, kind=Kind.VOTING_OPENED, subject=f"resolution:{resolution.pk}", task=FakeTask()) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.email for o in owners)


def test_a_misconfigured_sms_backend_holds_back_no_email(alliedup, contract, lvn, nurse, settings, mailoutbox):
    from notifications.services.events import event_send
    from tests.notifications.conftest import FakeTask, opt_in_sms, sms_on

    sms_on(alliedup)
    opt_in_sms(nurse)
    settings.SMS_BACKEND = "notifications.sms.backends.twilio.SMSBackend"
    settings.SMS_TWILIO_ACCOUNT_SID = settings.SMS_TWILIO_AUTH_TOKEN = ""
    assignment = book(contract, lvn, nurse, SHIFT_DAY)
    with pytest.raises(Exception, match="SMS_TWILIO"):
        event_send(cooperative=alliedup, kind=Kind.SHIFT_CONFIRMED, subject=f"assignment:{assignment.pk}", task=FakeTask())
    assert len(mailoutbox) == 1
    assert Delivery.objects.get(channel=Channel.SMS).sent_at is None  # not stuck as claimed: a fixed setting sends it
