"""Payroll and the holiday calendar (worktime; the calendar itself: tests/worktime/test_holidays.py):
the premium a pay run pays on a holiday (no pyramiding on overtime, kept out of the regular
rate), billing at the holiday multiplier in the wage floor, the guards around approved runs,
the page and the API, and isolation.
The arithmetic is written out in each test. Fixtures: tests/payroll/conftest.py (the CBA
pays a medical assistant $33.00; the client bills $28.00 with the default multipliers)."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from payroll.models import PayLine, PayStatement
from payroll.services.holidays import holiday_add, holiday_remove, holidays_add_standard
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from worktime.models import Holiday

D = Decimal
VETERANS_DAY = date(2026, 11, 11)  # a Wednesday inside the fixture period (Nov 1–14)
BASE = "/c/alliedup/payroll/holidays"
API = "/api/v1/c/alliedup/payroll/holidays"


def lines_of(run, worker, kind):
    return list(PayLine.objects.filter(run=run, worker=worker, kind=kind).order_by("workday", "id"))


def test_a_holiday_pays_the_premium_without_pyramiding_on_overtime(alliedup, agreement, worker, work, period):
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    work(worker, VETERANS_DAY, time(7), time(17))  # 10 hours: 8 straight, 2 daily overtime
    run = payrun_calculate(run=period.run)
    [regular] = lines_of(run, worker, "regular")
    [overtime] = lines_of(run, worker, "ot15")
    [holiday] = lines_of(run, worker, "holiday")
    assert (regular.hours, regular.rate, regular.amount) == (D("10.00"), D("33.0000"), D("10") * D("33.00"))
    # The regular rate stays $33.00 (the holiday premium is not part of it): OT premium 0.5 × 33.
    assert (overtime.hours, overtime.rate, overtime.amount) == (D("2.00"), D("16.5000"), D("2") * D("16.50"))
    # Holiday ×1.50: premium (1.50 − 1) × $33.00 = $16.50 on the 8 straight hours; the 2 overtime
    # hours already earn 0.5×, so they get nothing more.
    assert (holiday.hours, holiday.rate, holiday.amount) == (D("8.00"), D("16.5000"), D("8") * D("16.50"))
    assert "Veterans Day" in holiday.description
    statement = PayStatement.objects.get(run=run, worker=worker)
    # Every hour at 1.5 × $33.00 = $49.50, once: 10 × 49.50
    assert statement.gross == D("330.00") + D("33.00") + D("132.00") == D("10") * D("49.50")
    assert statement.hours_worked == D("10.00")  # premium lines add no hours
    # Billed at the contract's holiday multiplier ×1.50 (overtime: the larger of 1.50 and 1.50):
    assert regular.bill_amount == D("8") * D("28.00") * D("1.5") + D("2") * D("28.00") * D("1.5") == D("420.00")
    # absorbed: ($33.00 − $28.00) × (8 × 1.5 + 2 × 1.5)
    assert regular.absorbed == D("5.00") * (D("8") * D("1.5") + D("2") * D("1.5")) == D("75.00")


def test_a_double_pay_holiday_tops_overtime_up_to_double(alliedup, agreement, worker, work, period):
    agreement.holiday_multiplier = D("2.00")
    agreement.save(update_fields=["holiday_multiplier"])
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    work(worker, VETERANS_DAY, time(7), time(17))
    run = payrun_calculate(run=period.run)
    holiday = {(line.hours, line.rate, line.amount) for line in lines_of(run, worker, "holiday")}
    # straight hours: (2 − 1) × 33 = $33.00 premium; overtime hours: 1.0 − 0.5 already earned = 0.5 × 33
    assert holiday == {(D("8.00"), D("33.0000"), D("264.00")), (D("2.00"), D("16.5000"), D("33.00"))}
    # every hour at 2 × $33.00 = $66.00
    assert PayStatement.objects.get(run=run, worker=worker).gross == D("10") * D("66.00")


def test_only_the_holiday_workday_of_a_night_shift_earns_the_premium(alliedup, agreement, worker, work, period):
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    work(worker, date(2026, 11, 10), time(19), time(7))  # Tue 19:00–24:00 (5 h) + Wed 00:00–07:00 (7 h)
    run = payrun_calculate(run=period.run)
    [holiday] = lines_of(run, worker, "holiday")
    assert (holiday.workday, holiday.hours, holiday.amount) == (VETERANS_DAY, D("7.00"), D("7") * D("16.50"))


def test_without_a_holiday_nothing_changes_and_another_coops_calendar_does_not_count(alliedup, nursescan, agreement, worker,
                                                                                       work, period):
    with scope(cooperative=nursescan):
        holiday_add(cooperative=nursescan, day=VETERANS_DAY, name="NursesCan day")
    work(worker, VETERANS_DAY, time(7), time(15))
    run = payrun_calculate(run=period.run)
    assert lines_of(run, worker, "holiday") == []
    [regular] = lines_of(run, worker, "regular")
    assert regular.bill_amount == D("8") * D("28.00")


def test_days_of_an_approved_run_cannot_change(alliedup, alliedup_users, agreement, worker, work, period):
    holiday_add(cooperative=alliedup, day=VETERANS_DAY, name="Veterans Day")
    work(worker, date(2026, 11, 2), time(7), time(15))
    payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    with pytest.raises(ValidationError, match="approved pay run"):
        holiday_add(cooperative=alliedup, day=date(2026, 11, 3), name="Made up")
    with pytest.raises(ValidationError, match="approved pay run"):
        holiday_remove(cooperative=alliedup, day=VETERANS_DAY)
    assert list(Holiday.objects.values_list("day", flat=True)) == [VETERANS_DAY]
    # The standard list skips only days of approved runs: none of its eight is in Nov 1–14.
    added = holidays_add_standard(cooperative=alliedup, year=2026)
    assert len(added) == 8


# --- the page and the API ---------------------------------------------------------------------------


@pytest.fixture
def payroll_client(alliedup_users, login):
    return login(alliedup_users["payroll"])


def test_the_page_adds_lists_and_removes_holidays(payroll_client, alliedup, nursescan, django_assert_max_num_queries):
    with scope(cooperative=nursescan):
        Holiday.objects.create(cooperative=nursescan, day=date(2026, 3, 3), name="NursesCan founding day")
    response = payroll_client.post(f"{BASE}/standard/", {"year": 2026})
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    response = payroll_client.post(f"{BASE}/add/", {"day": "2026-11-11", "name": "Veterans Day"})
    assert response.status_code == 302
    with django_assert_max_num_queries(12):
        page = payroll_client.get(f"{BASE}/?year=2026")
    text = page.content.decode()
    assert page.status_code == 200 and "Veterans Day" in text and "Thanksgiving Day" in text
    assert "NursesCan founding day" not in text
    response = payroll_client.post(f"{BASE}/add/", {"day": "2026-11-11", "name": "Twice"})
    assert response.status_code == 400 and "already a holiday" in response.content.decode()
    payroll_client.post(f"{BASE}/remove/", {"day": "2026-11-11"})
    assert not Holiday.objects.filter(day=date(2026, 11, 11)).exists()
    assert Holiday.objects.filter(cooperative=alliedup).count() == 8


def test_workers_and_coordinators_cannot_change_the_calendar(alliedup_users, login):
    for role in ("worker", "coordinator"):
        client = login(alliedup_users[role])
        assert client.post(f"{BASE}/add/", {"day": "2026-11-11", "name": "Mine"}).status_code == 403
    assert not Holiday.objects.exists()


def _api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_api_lists_adds_and_removes_holidays(alliedup_users):
    api = _api(alliedup_users["payroll"])
    added = api.post(f"{API}/standard/", {"year": 2027}, format="json")
    assert added.status_code == 201 and len(added.json()) == 8
    assert api.post(API + "/", {"day": "2027-11-11", "name": "Veterans Day"}, format="json").status_code == 201
    listed = api.get(API + "/", {"year": 2027}).json()
    assert {"day": "2027-11-11", "name": "Veterans Day"} in listed and len(listed) == 9
    twice = api.post(API + "/", {"day": "2027-11-11", "name": "Again"}, format="json")
    assert twice.status_code == 400 and "already a holiday" in str(twice.json())
    assert api.post(f"{API}/remove/", {"day": "2027-11-11"}, format="json").status_code == 204
    assert api.post(f"{API}/remove/", {"day": "2027-11-11"}, format="json").status_code == 400
    assert api.get(API + "/", {"year": "nineteen"}).status_code == 400
    assert _api(alliedup_users["worker"]).get(API + "/").status_code == 403


@pytest.mark.today("2026-11-23")  # inside the agreement fixture's term (2026-01-01 – 2027-06-30)
def test_workers_see_this_years_holidays_and_the_premium_on_my_wage(alliedup, alliedup_users, login, agreement, worker):
    worker.user = alliedup_users["worker"]
    worker.save(update_fields=["user"])
    year = alliedup.today().year
    holidays_add_standard(cooperative=alliedup, year=year)
    holidays_add_standard(cooperative=alliedup, year=year + 1)
    text = login(alliedup_users["worker"]).get("/c/alliedup/payroll/my/wage/").content.decode()
    assert f"Holidays in {year}" in text and "Thanksgiving Day" in text
    assert "paid 1.50× your regular rate" in text
    assert text.count("Christmas Day") == 1  # this year's only
