"""Corrections of approved timesheets: the ledger reversed and posted again, a pay run of
the period calculated before them stale (approval refused until recalculated), the difference paid (or recovered) in the next run when an
approved run already paid the timesheet, invoices that bill it named. The arithmetic is
written out. Fixtures: tests/payroll/conftest.py (CBA $33.00 for a medical assistant; the
client bills $28.00; biweekly period Nov 1–14, 2026, Sunday workweeks)."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import HoursEntry
from payroll.models import PayLine, PayRun, PayStatement
from payroll.selectors import run_is_stale
from payroll.services.periods import pay_period_create
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from placements.models import Invoice, TimesheetCorrection
from placements.documents import invoice_pdf
from placements.services.invoices import invoice_create
from placements.services.timesheets import timesheet_approve, timesheet_correct
from tests.payroll.conftest import at
from tests.placements.test_invoices import _pdf_texts

D = Decimal
MON = date(2026, 11, 2)


def _correct(timesheet, start_hour, end_hour, reason="Left at 15:00; the client approved the scheduled end", **kwargs):
    return timesheet_correct(timesheet=timesheet, clock_in=at(MON, start_hour), clock_out=at(MON, end_hour),
                             break_minutes=kwargs.pop("break_minutes", 0), reason=reason, **kwargs)


def test_a_paid_timesheet_corrected_is_settled_in_the_next_run(alliedup, alliedup_users, agreement, worker, work, period):
    timesheet = work(worker, MON, time(7), time(17))  # 10 h: 8 straight + 2 daily overtime
    first = payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    correction = _correct(timesheet, 7, 15, corrected_by=alliedup_users["coordinator"])  # really 8 h
    assert (correction.hours_before, correction.hours_after, correction.hours_change) == (D("10.00"), D("8.00"), D("-2.00"))

    following = pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 15))
    work(worker, date(2026, 11, 16), time(7), time(15))  # 8 h in the new period: 8 × $33.00
    run = payrun_calculate(run=following.run)
    fixes = {(line.kind, line.hours, line.amount, line.corrects_run_id)
             for line in PayLine.objects.filter(run=run, worker=worker, workday=MON)}
    assert fixes == {
        ("regular", D("-2.00"), D("-2") * D("33.00"), first.pk),  # 2 straight hours fewer
        ("ot15", D("-2.00"), D("-2") * D("16.50"), first.pk),  # and no overtime premium
    }
    regular_fix = PayLine.objects.get(run=run, worker=worker, workday=MON, kind="regular")
    # billed: 10 h = 8 × 28 + 2 × 28 × 1.5 = 308.00 → 8 h = 224.00; absorbed 5 × (8 + 2 × 1.5) = 55 → 5 × 8 = 40
    assert (regular_fix.bill_amount, regular_fix.absorbed) == (D("224.00") - D("308.00"), D("40.00") - D("55.00"))
    statement = PayStatement.objects.get(run=run, worker=worker)
    assert statement.gross == D("8") * D("33.00") - D("66.00") - D("33.00") == D("165.00")
    correction.refresh_from_db()
    assert correction.paid_in_run_id == run.pk
    from payroll.selectors import run_exceptions

    [flag] = [e for e in run_exceptions(run) if e.kind == "corrected_timesheet"]
    assert "10.00 h → 8.00 h" in flag.message and "Left at 15:00" in flag.message
    # Settled once: the run after does not pay it again.
    payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    third = payrun_calculate(run=pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 29)).run)
    assert not PayLine.objects.filter(run=third, workday=MON).exists()


def test_a_correction_taking_more_than_the_run_pays_is_flagged(alliedup, alliedup_users, agreement, worker, work, period):
    from payroll.selectors import run_exceptions

    alliedup.timesheet_tolerance_minutes = 8 * 60  # lets staff record a worker sent home after 2 hours
    alliedup.save(update_fields=["timesheet_tolerance_minutes"])
    timesheet = work(worker, MON, time(7), time(17))
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    _correct(timesheet, 7, 9)  # 2 hours, not 10: nothing else is paid in the next run
    run = payrun_calculate(run=pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 15)).run)
    statement = PayStatement.objects.get(run=run, worker=worker)
    # −8 straight hours × $33.00 and −2 overtime premium hours × $16.50
    assert statement.gross == D("-8") * D("33.00") - D("2") * D("16.50") == D("-297.00")
    assert statement.deductions == D("0.00")  # nothing is deducted from a negative gross
    assert [e.kind for e in run_exceptions(run)] == ["corrected_timesheet", "negative_gross"]


def test_a_correction_makes_the_calculated_run_stale_and_the_recalculation_pays_the_new_hours(
        alliedup, alliedup_users, agreement, worker, work, period):
    timesheet = work(worker, MON, time(7), time(17))
    run = payrun_calculate(run=period.run)
    assert not run_is_stale(run)
    _correct(timesheet, 7, 15)
    run.refresh_from_db()
    # Placements leaves the run alone; payroll sees from its side that it pays the old hours.
    assert run.status == PayRun.Status.CALCULATED and run_is_stale(run)
    with pytest.raises(ValidationError, match="recalculate first"):
        payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED and run.approved_at is None
    run = payrun_calculate(run=run)
    assert not run_is_stale(run)
    assert PayStatement.objects.get(run=run, worker=worker).gross == D("8") * D("33.00")
    assert not PayLine.objects.filter(run=run, kind="ot15").exists()
    payrun_approve(run=run, approved_by=alliedup_users["payroll"])
    following = payrun_calculate(run=pay_period_create(cooperative=alliedup, starts_on=date(2026, 11, 15)).run)
    assert not PayLine.objects.filter(run=following).exists()  # nothing left to settle


def test_the_run_screen_shows_a_stale_run_and_refuses_to_approve_it_until_recalculated(
        alliedup_users, login, agreement, worker, work, period):
    timesheet = work(worker, MON, time(7), time(17))
    run = payrun_calculate(run=period.run)
    payroll = login(alliedup_users["payroll"])
    url = f"/c/alliedup/payroll/runs/{run.uuid}/"
    assert 'id="run-stale"' not in payroll.get(url).content.decode()
    _correct(timesheet, 7, 15)
    page = payroll.get(url).content.decode()
    assert 'id="run-stale"' in page and "Recalculate it before approving" in page and "Approve (final)" not in page
    refused = payroll.post(f"{url}approve/", {"approve-confirm": "on"})
    assert refused.status_code == 400 and "recalculate first" in refused.content.decode()
    assert PayRun.objects.get(pk=run.pk).status == PayRun.Status.CALCULATED
    assert payroll.post(f"{url}calculate/").status_code == 302
    page = payroll.get(url).content.decode()
    assert 'id="run-stale"' not in page and "Approve (final)" in page
    assert payroll.post(f"{url}approve/", {"approve-confirm": "on"}).status_code == 302
    assert PayRun.objects.get(pk=run.pk).status == PayRun.Status.APPROVED


def test_a_correction_of_a_later_week_leaves_the_run_alone(alliedup, alliedup_users, agreement, worker, work, period):
    """Only corrections that move hours from or to a workday up to the end of the run's period
    make it stale (one of the next period does not)."""
    later = work(worker, date(2026, 11, 16), time(7), time(17))
    run = payrun_calculate(run=period.run)
    timesheet_correct(timesheet=later, clock_in=at(date(2026, 11, 16), 7), clock_out=at(date(2026, 11, 16), 15),
                      break_minutes=0, reason="Left at 15:00")
    assert not run_is_stale(run)
    payrun_approve(run=run, approved_by=alliedup_users["payroll"])


def test_the_ledger_is_reversed_and_posted_again_under_a_new_reference(alliedup_users, agreement, worker, work, period):
    timesheet = work(worker, MON, time(7), time(17))
    _correct(timesheet, 7, 15)
    _correct(timesheet, 7, 16, reason="Stayed to 16:00 after all")
    entries = list(HoursEntry.objects.filter(worker=worker).order_by("id").values_list("source_ref", "hours", "reverses__source_ref"))
    uuid = str(timesheet.uuid)
    assert entries == [
        (uuid, D("10.00"), None), (uuid, D("-10.00"), uuid),
        (f"{uuid}/c1", D("8.00"), None), (f"{uuid}/c1", D("-8.00"), f"{uuid}/c1"),
        (f"{uuid}/c2", D("9.00"), None),
    ]
    assert sum(h for _, h, _ in entries) == D("9.00")
    # Approving it again returns the hours it counts now.
    assert timesheet_approve(timesheet=timesheet, approved_by=alliedup_users["client"]).hours == D("9.00")
    assert TimesheetCorrection.objects.filter(timesheet=timesheet).count() == 2


def test_an_invoice_billing_the_timesheet_is_named(alliedup, agreement, worker, work, period, low_contract):
    timesheet = work(worker, MON, time(7), time(17))
    invoice = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    correction = _correct(timesheet, 7, 15)
    assert correction.billed_on == [invoice]


@pytest.mark.parametrize("start, end, breaks, reason, message", [
    (7, 15, 0, " ", "Say why"),
    (15, 7, 0, "typo", "after clock-in"),
    (7, 15, 480, "typo", "Breaks must be shorter"),
    (7, 17, 0, "typo", "times already"),
])
def test_bad_corrections_are_refused_and_write_nothing(agreement, worker, work, period, start, end, breaks, reason, message):
    timesheet = work(worker, MON, time(7), time(17))
    before = HoursEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        _correct(timesheet, start, end, break_minutes=breaks, reason=reason)
    timesheet.refresh_from_db()
    assert (timesheet.clock_in, timesheet.clock_out) == (at(MON, 7), at(MON, 17))
    assert HoursEntry.objects.count() == before and not TimesheetCorrection.objects.exists()


def test_only_an_approved_timesheet_is_corrected(agreement, worker, work, period):
    timesheet = work(worker, MON, time(7), time(17), approve=False)
    with pytest.raises(ValidationError, match="Only an approved timesheet"):
        _correct(timesheet, 7, 15)


# --- the page and the API ---------------------------------------------------------------------------


def test_the_staff_page_corrects_in_site_time_and_names_the_invoice(alliedup_users, login, agreement, worker, work, period,
                                                                      low_contract, django_assert_max_num_queries):
    timesheet = work(worker, MON, time(7), time(17))
    invoice = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    coordinator = login(alliedup_users["coordinator"])
    url = f"/c/alliedup/placements/timesheets/{timesheet.uuid}/correct/"
    shift_page = coordinator.get(f"/c/alliedup/placements/shifts/{timesheet.assignment.shift.uuid}/").content.decode()
    assert url in shift_page
    with django_assert_max_num_queries(12):
        page = coordinator.get(url)
    assert page.status_code == 200 and 'value="2026-11-02T07:00"' in page.content.decode()  # Los Angeles wall clock
    refused = coordinator.post(url, {"clock_in": "2026-11-02T07:00", "clock_out": "2026-11-02T15:00", "break_minutes": 0, "reason": ""})
    assert refused.status_code == 400 and not TimesheetCorrection.objects.exists()
    done = coordinator.post(url, {"clock_in": "2026-11-02T07:00", "clock_out": "2026-11-02T15:00", "break_minutes": 0,
                                  "reason": "Left at 15:00"}, follow=True)
    text = done.content.decode()
    assert "10.00 h → 8.00 h" in text and f"Draft invoice for {invoice.client}" in text and "next invoice for that period adjusts them" in text
    timesheet.refresh_from_db()
    assert timesheet.clock_out == at(MON, 15)
    assert login(alliedup_users["payroll"]).get(url).status_code == 403  # coordinators and admins correct hours


def test_the_api_corrects_and_refuses_bad_input(alliedup_users, agreement, worker, work, period):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    timesheet = work(worker, MON, time(7), time(17))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=alliedup_users['coordinator'])[0].key}")
    url = f"/api/v1/c/alliedup/placements/timesheets/{timesheet.uuid}/correct/"
    bad = api.post(url, {"clock_in": "2026-11-02T07:00:00-08:00", "clock_out": "2026-11-02T06:00:00-08:00", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "clock_out" in bad.json()
    made = api.post(url, {"clock_in": "2026-11-02T07:00:00-08:00", "clock_out": "2026-11-02T15:30:00-08:00",
                          "break_minutes": 30, "reason": "Missed punch"}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert (body["hours_before"], body["hours_after"], body["billed_on"]) == ("10.00", "8.00", [])
    worker_api = APIClient()
    worker_api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=alliedup_users['worker'])[0].key}")
    assert worker_api.post(url, {}, format="json").status_code == 403


# --- billing: the next draft adjusts what was billed ---------------------------------------------


def test_a_corrected_timesheet_is_credited_on_the_next_invoice(alliedup, agreement, worker, work, period, low_contract):
    from placements.services.invoices import invoice_issue

    timesheet = work(worker, MON, time(7), time(17))  # billed: 8 × $28.00 + 2 × $42.00 = 224 + 84
    first = invoice_issue(invoice=invoice_create(client=low_contract.client, period_start=MON, period_end=MON))
    assert first.total == D("308.00")
    _correct(timesheet, 7, 15)  # really 8 hours: no overtime
    credit = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    assert [(line.kind, line.hours, line.amount, line.corrects_invoice_id) for line in credit.lines.all()] == [
        ("overtime", D("-2.00"), D("-84.00"), first.pk),  # −2 × $28.00 × 1.5
    ]
    assert credit.total == D("-84.00") and credit.is_credit
    assert first.total + credit.total == D("8") * D("28.00")
    issued = invoice_issue(invoice=credit)
    assert f"Credit note {issued.number}" in _pdf_texts(invoice_pdf(issued))


def test_hours_moved_out_of_the_period_are_credited_in_full(alliedup, agreement, worker, work, period, low_contract):
    alliedup.timesheet_tolerance_minutes = 24 * 60  # the largest tolerance: a timesheet may move a whole day
    alliedup.save(update_fields=["timesheet_tolerance_minutes"])
    timesheet = work(worker, MON, time(7), time(15))  # 8 h on Monday, billed 8 × $28.00
    invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    # It was Tuesday's shift: clocked in on the wrong day.
    timesheet_correct(timesheet=timesheet, clock_in=at(date(2026, 11, 3), 7), clock_out=at(date(2026, 11, 3), 15),
                      break_minutes=0, reason="Worked Tuesday, not Monday")
    credit = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    assert [(line.workday, line.kind, line.hours, line.amount) for line in credit.lines.all()] == [
        (MON, "regular", D("-8.00"), D("-224.00")),
    ]
    tuesday = invoice_create(client=low_contract.client, period_start=date(2026, 11, 3), period_end=date(2026, 11, 3))
    assert tuesday.total == D("224.00") and not tuesday.lines.filter(corrects_invoice__isnull=False).exists()


def test_a_holiday_added_after_billing_is_adjusted(alliedup, agreement, worker, work, period, low_contract):
    from payroll.services.holidays import holiday_add

    work(worker, MON, time(7), time(15))
    first = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    holiday_add(cooperative=alliedup, day=MON, name="Founders' Day")
    adjusted = invoice_create(client=low_contract.client, period_start=MON, period_end=MON)
    assert sorted((line.kind, line.hours, line.amount) for line in adjusted.lines.all()) == [
        ("holiday", D("8.00"), D("8") * D("28.00") * D("1.5")),  # 8 holiday hours at ×1.50
        ("regular", D("-8.00"), D("-8") * D("28.00")),  # the regular hours billed before
    ]
    assert first.total + adjusted.total == D("336.00")


def test_the_worker_is_told_once_and_sees_it_on_the_schedule(alliedup, alliedup_users, login, agreement, worker, work, period,
                                                             django_capture_on_commit_callbacks):
    from django.core import mail

    from placements.tasks import timesheet_correction_notify

    worker.user = alliedup_users["worker"]
    worker.save(update_fields=["user"])
    day = alliedup.today() - timedelta(days=2)  # recent: "my schedule" lists the last 14 days
    timesheet = work(worker, day, time(7), time(17))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        correction = timesheet_correct(timesheet=timesheet, clock_in=at(day, 7), clock_out=at(day, 15), break_minutes=0,
                                       reason="Left at 15:00")
    assert len(queued) == 1  # queued after the commit, not before
    # A duplicate delivery of the task sends nothing more.
    assert timesheet_correction_notify(cooperative=correction.cooperative_id, correction_id=correction.pk) is False
    [message] = mail.outbox
    assert message.to == [worker.email] and f"{day:%b} {day.day}" in message.subject
    assert "10.00 h" in message.body and "8.00 h" in message.body and "Left at 15:00" in message.body
    page = login(alliedup_users["worker"]).get(reverse("placements:my_schedule", args=["alliedup"]))
    assert "Corrected by staff" in page.content.decode() and "from 10.00 h" in page.content.decode()


def test_the_invoices_page_lists_hours_corrected_after_invoicing_until_drafted_again(
        alliedup, alliedup_users, login, agreement, worker, work, period, low_contract, django_assert_max_num_queries):
    from placements.services.invoices import invoice_issue

    timesheet = work(worker, MON, time(7), time(17))
    other = work(worker, date(2026, 11, 3), time(7), time(15))
    first = invoice_issue(invoice=invoice_create(client=low_contract.client, period_start=MON, period_end=date(2026, 11, 3)))
    page = login(alliedup_users["payroll"])
    assert "Hours corrected after they were invoiced" not in page.get("/c/alliedup/placements/invoices/").content.decode()
    _correct(timesheet, 7, 15)
    # Shifted but the same hours on the same day: billing does not change, nothing to list.
    timesheet_correct(timesheet=other, clock_in=at(date(2026, 11, 3), 8), clock_out=at(date(2026, 11, 3), 16),
                      break_minutes=0, reason="Started at 8")
    with django_assert_max_num_queries(14):
        text = page.get("/c/alliedup/placements/invoices/").content.decode()
    assert "Hours corrected after they were invoiced" in text and "10.00 → 8.00" in text and first.number in text
    assert "Started at 8" not in text
    # The one-click draft for that client and period carries the credit; then the list is empty.
    done = page.post("/c/alliedup/placements/invoices/new/", {"client": str(low_contract.client.uuid),
                                                            "period_start": "2026-11-02", "period_end": "2026-11-03"})
    assert done.status_code == 302
    credit = Invoice.objects.exclude(pk=first.pk).get()
    assert credit.total == D("-84.00")  # −2 overtime hours × $28.00 × 1.5
    assert "Hours corrected after they were invoiced" not in page.get("/c/alliedup/placements/invoices/").content.decode()
