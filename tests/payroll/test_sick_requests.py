"""Paid sick leave asked for in the portal: checked as a use (waiting requests counted),
approved into the ledger (and paid by the next run), declined with a reason, withdrawn by
the worker; pages, API, who may do what. Fixtures: tests/payroll/conftest.py."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from payroll.models import PayLine, SickLeaveEntry, SickLeaveRequest
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.sick_leave import (
    sick_leave_request,
    sick_leave_request_approve,
    sick_leave_request_decline,
    sick_leave_request_withdraw,
)
from tests.conftest import clock_at

D = Decimal
WED = date(2026, 11, 11)
# The requests sit on days of November 2026 (a sick day is payable by a run for 91 days).
pytestmark = pytest.mark.today("2026-11-23")


def seed_balance(worker, hours):
    return SickLeaveEntry.objects.create(cooperative=worker.cooperative, worker=worker, kind="accrued", hours=D(hours),
                                         workday=date(2026, 10, 1), note="Opening balance")


@pytest.fixture
def linked(worker, alliedup_users):
    worker.user = alliedup_users["worker"]
    worker.save(update_fields=["user"])
    return worker


def test_waiting_requests_count_against_the_balance_and_approval_pays_them(linked, agreement, work, period, alliedup_users):
    seed_balance(linked, "10")
    first = sick_leave_request(worker=linked, workday=WED, hours="6", note="Flu")
    with pytest.raises(ValidationError, match=r"Only 4.00 hours .* \(6.00 h are already asked for\)"):
        sick_leave_request(worker=linked, workday=date(2026, 11, 12), hours="5")  # 10 − 6 waiting = 4 left
    with pytest.raises(ValidationError, match="already asked"):
        sick_leave_request(worker=linked, workday=WED, hours="1")  # one waiting request a day
    approved = sick_leave_request_approve(request=first, approved_by=alliedup_users["payroll"])
    assert approved.status == "approved" and approved.entry.hours == D("-6") and approved.entry.workday == WED
    # The week's regular rate is $33.00 (8 h worked on Monday): 6 sick hours × $33.00.
    work(linked, date(2026, 11, 9), time(7), time(15))
    run = payrun_calculate(run=period.run)
    [sick] = PayLine.objects.filter(run=run, kind="sick")
    assert (sick.hours, sick.amount) == (D("6.00"), D("6") * D("33.00"))
    with pytest.raises(ValidationError, match="approved already"):
        sick_leave_request_decline(request=first, reason="Too late")


def test_approval_checks_again_and_decline_and_withdraw_write_no_leave(linked, alliedup_users):
    seed_balance(linked, "8")
    asked = sick_leave_request(worker=linked, workday=WED, hours="8")
    SickLeaveEntry.objects.create(cooperative=linked.cooperative, worker=linked, kind="used", hours=D("-4"), workday=date(2026, 11, 2))
    with pytest.raises(ValidationError, match="Only 4.00 hours"):  # the balance fell since it was asked
        sick_leave_request_approve(request=asked, approved_by=alliedup_users["payroll"])
    asked.refresh_from_db()
    assert asked.status == "pending" and asked.entry is None
    with pytest.raises(ValidationError, match="why"):
        sick_leave_request_decline(request=asked, reason=" ")
    declined = sick_leave_request_decline(request=asked, reason="Recorded by phone already", declined_by=alliedup_users["payroll"])
    assert declined.status == "declined"
    again = sick_leave_request(worker=linked, workday=WED, hours="4")  # the day is free again
    assert sick_leave_request_withdraw(request=again).status == "withdrawn"
    assert SickLeaveEntry.objects.filter(kind="used").count() == 1  # only the one entered by hand


def test_the_portal_and_the_staff_page(linked, alliedup_users, login, django_assert_max_num_queries):
    seed_balance(linked, "16")
    phone = login(alliedup_users["worker"])
    refused = phone.post(reverse("payroll:my_sick_leave_ask", args=["alliedup"]), {"workday": "2026-11-11", "hours": "40"})
    assert refused.status_code == 400 and not SickLeaveRequest.objects.exists()
    phone.post(reverse("payroll:my_sick_leave_ask", args=["alliedup"]), {"workday": "2026-11-11", "hours": "8", "note": "Fever"})
    phone.post(reverse("payroll:my_sick_leave_ask", args=["alliedup"]), {"workday": "2026-11-12", "hours": "4"})
    page = phone.get(reverse("payroll:my_sick_leave", args=["alliedup"])).content.decode()
    assert page.count("Waiting for staff") == 2
    [fever, other] = SickLeaveRequest.objects.order_by("workday")
    phone.post(reverse("payroll:my_sick_leave_withdraw", args=["alliedup", other.uuid]))

    staff = login(alliedup_users["payroll"])
    with django_assert_max_num_queries(10):
        listing = staff.get(reverse("payroll:sick_requests", args=["alliedup"])).content.decode()
    assert "Fever" in listing and "Waiting (1)" in listing
    staff.post(reverse("payroll:sick_request_approve", args=["alliedup", fever.uuid]))
    fever.refresh_from_db()
    other.refresh_from_db()
    assert (fever.status, other.status) == ("approved", "withdrawn")
    assert "Approved" in phone.get(reverse("payroll:my_sick_leave", args=["alliedup"])).content.decode()
    # A worker cannot decide, and cannot withdraw someone else's request.
    assert phone.post(reverse("payroll:sick_request_approve", args=["alliedup", fever.uuid])).status_code == 403
    assert login(alliedup_users["coordinator"]).get(reverse("payroll:sick_requests", args=["alliedup"])).status_code == 403


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_the_api(linked, alliedup_users):
    seed_balance(linked, "16")
    worker_api, staff_api = _api(alliedup_users["worker"]), _api(alliedup_users["payroll"])
    base = "/api/v1/c/alliedup/payroll"
    made = worker_api.post(f"{base}/me/sick-leave/requests/", {"workday": "2026-11-11", "hours": "8"}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "pending"
    assert worker_api.post(f"{base}/me/sick-leave/requests/", {"workday": "2026-11-12", "hours": "9"}, format="json").status_code == 400
    assert [r["workday"] for r in worker_api.get(f"{base}/me/sick-leave/requests/").json()["results"]] == ["2026-11-11"]
    waiting = staff_api.get(f"{base}/sick-leave/requests/", {"status": "pending"}).json()["results"]
    assert [r["uuid"] for r in waiting] == [made.json()["uuid"]]
    assert staff_api.get(f"{base}/sick-leave/requests/", {"status": "maybe"}).status_code == 400
    declined = staff_api.post(f"{base}/sick-leave/requests/{made.json()['uuid']}/decline/", {"reason": "Duplicate"}, format="json")
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "Duplicate"
    assert worker_api.get(f"{base}/sick-leave/requests/").status_code == 403


def test_the_worker_is_emailed_the_decision_once(linked, alliedup_users, django_capture_on_commit_callbacks):
    from django.core import mail

    from payroll.tasks import sick_request_decided_notify

    seed_balance(linked, "16")
    first = sick_leave_request(worker=linked, workday=WED, hours="8")
    second = sick_leave_request(worker=linked, workday=date(2026, 11, 12), hours="4")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sick_leave_request_approve(request=first, approved_by=alliedup_users["payroll"])
        sick_leave_request_decline(request=second, reason="You worked that day", declined_by=alliedup_users["payroll"])
    approved, declined = mail.outbox
    assert approved.to == [linked.email] and "Nov 11 is approved" in approved.subject and "next pay statement" in approved.body
    assert "is declined" in declined.subject and "You worked that day" in declined.body
    assert sick_request_decided_notify(cooperative=linked.cooperative_id, request_id=first.pk) is False  # once
    assert len(mail.outbox) == 2


def test_the_page_and_the_api_show_the_first_usable_day_and_refuse_the_day_before(linked, alliedup_users, login):
    """Hired Jan 1: day 90 of employment is Mar 31 (the hire date is day 1, Labor Code
    §246(c)); a request for Mar 30 is refused with that date, one for Mar 31 is taken."""
    linked.hire_date = date(2026, 1, 1)
    linked.save(update_fields=["hire_date"])
    SickLeaveEntry.objects.create(cooperative=linked.cooperative, worker=linked, kind="accrued", hours=D("10"),
                                  workday=date(2026, 2, 1), note="Opening balance")
    with clock_at("2026-03-20", tick=False):
        phone = login(alliedup_users["worker"])
        page = phone.get(reverse("payroll:my_sick_leave", args=["alliedup"])).content.decode()
        assert "Usable from" in page and "Mar 31, 2026" in page
        refused = phone.post(reverse("payroll:my_sick_leave_ask", args=["alliedup"]), {"workday": "2026-03-30", "hours": "4"})
        assert refused.status_code == 400 and "usable from 2026-03-31" in refused.content.decode()
        assert phone.post(reverse("payroll:my_sick_leave_ask", args=["alliedup"]),
                          {"workday": "2026-03-31", "hours": "4"}).status_code == 302
        api = _api(alliedup_users["worker"])
        base = "/api/v1/c/alliedup/payroll"
        assert api.get(f"{base}/me/sick-leave/").json()["usable_from"] == "2026-03-31"
        refused = api.post(f"{base}/me/sick-leave/requests/", {"workday": "2026-03-30", "hours": "2"}, format="json")
        assert refused.status_code == 400 and "2026-03-31" in refused.json()["workday"][0]
    assert list(SickLeaveRequest.objects.values_list("workday", flat=True)) == [date(2026, 3, 31)]
