"""Leaving the co-op (issue 15): a worker-owner's exit ends ownership and schedules the bylaws'
redemption of the equity buy-in paid in and of the capital account, paid through the capital
ledger; retention status in the API and on the portal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from alliedup.models import AuditEvent
from alliedup.money import split_evenly
from members.models import EquityEntry, MemberStatus, MemberStatusChange, RetentionNotice, Worker
from members.services import exit as exit_hook
from members.services.equity import equity_account_open, equity_payment_record, equity_waive
from members.services.retention import retention_check, retention_status
from members.services.status import member_move, status_change
from onboarding.services.settings import cooperative_settings_update
from patronage.models import CapitalAccountEntry, RedemptionInstallment, RedemptionSchedule
from patronage.selectors import capital_account, redemption_overviews
from patronage.services.capital import capital_redeem
from patronage.services.exit import ownership_exit
from patronage.services.redemption import redemption_payment_record
from tests.members.factories import HoursEntryFactory, WorkerFactory

D = Decimal
EXIT = date(2026, 11, 23)
# The co-op's today (an exit is recorded at most a year ahead of it); tests that need another day say so.
pytestmark = pytest.mark.today("2026-11-23")


def _owner(alliedup, classification, *, owner_since=date(2025, 3, 1), equity="250.00", capital="1000.01", **kw):
    """A worker-owner since `owner_since` who paid `equity` of the buy-in and holds `capital`
    of retained patronage."""
    worker = WorkerFactory(cooperative=alliedup, classifications=[classification], **kw)
    status_change(worker=worker, to_status=MemberStatus.CANDIDATE, reason="350 hours", effective_on=owner_since - timedelta(days=60))
    status_change(worker=worker, to_status=MemberStatus.OWNER, reason="signed and paid", effective_on=owner_since)
    Worker.objects.filter(pk=worker.pk).update(owner_classification=classification)
    worker = Worker.objects.get(pk=worker.pk)
    account = equity_account_open(worker=worker, start_on=owner_since - timedelta(days=30))
    if D(equity):
        equity_payment_record(account=account, amount=equity, effective_on=owner_since - timedelta(days=1), reference=f"r-{worker.pk}")
    if D(capital):
        CapitalAccountEntry.objects.create(
            cooperative=alliedup, worker=worker, kind=CapitalAccountEntry.Kind.PATRONAGE, amount=capital,
            effective_on=date(2025, 12, 31), reference=f"patronage-2025-{worker.pk}",
        )
    return worker


def _rows(schedule):
    return [(i.part, i.due_on, i.amount) for i in schedule.installments.order_by("number")]


# --- the split --------------------------------------------------------------------------------


@pytest.mark.parametrize("total, parts", [("1000.01", 5), ("1000.04", 5), ("250.00", 3), ("0.03", 5), ("-10.01", 2)])
def test_split_with_the_leftover_on_the_last_parts_sums_exactly(total, parts):
    amounts = split_evenly(D(total), parts, leftover_to="last")
    assert sum(amounts) == D(total) and len(amounts) == parts
    assert max(amounts) - min(amounts) <= D("0.01")
    assert amounts == sorted(amounts, key=abs)  # the odd cents sit at the end
    assert split_evenly(D("1000.01"), 5, leftover_to="last") == [D("200.00")] * 4 + [D("200.01")]
    assert split_evenly(D("1000.01"), 5) == [D("200.01")] + [D("200.00")] * 4  # the default is unchanged


def test_split_refuses_an_unknown_leftover_rule():
    with pytest.raises(ValueError):
        split_evenly(D("1.00"), 2, leftover_to="middle")


# --- the exit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reason, status", [
    ("withdrawal", MemberStatus.WITHDRAWN), ("lapse", MemberStatus.LAPSED), ("termination", MemberStatus.WITHDRAWN),
])
def test_each_exit_reason_schedules_equity_and_capital_to_the_cent(alliedup, ma, alliedup_users, reason, status):
    admin = alliedup_users["admin"]
    worker = _owner(alliedup, ma)
    schedule = ownership_exit(worker=worker, reason=reason, effective_on=EXIT, recorded_by=admin, note="Moving to Oregon")

    assert Worker.objects.get(pk=worker.pk).status == status
    assert (schedule.reason, schedule.equity_due, schedule.capital_due) == (reason, D("250.00"), D("1000.01"))
    assert _rows(schedule) == [
        ("equity", EXIT + timedelta(days=90), D("250.00")),
        ("capital", date(2027, 11, 23), D("200.00")),
        ("capital", date(2028, 11, 23), D("200.00")),
        ("capital", date(2029, 11, 23), D("200.00")),
        ("capital", date(2030, 11, 23), D("200.00")),
        ("capital", date(2031, 11, 23), D("200.01")),  # the leftover cent on the last installment
    ]
    capital = [i.amount for i in schedule.installments.filter(part="capital")]
    assert sum(capital) == capital_account(worker).retained_balance == D("1000.01")
    # the status change is recorded and audited with who and why, and the schedule points at it
    change = schedule.status_change
    assert (change.to_status, change.changed_by, change.effective_on) == (status, admin, EXIT)
    assert "Moving to Oregon" in change.reason
    assert AuditEvent.objects.filter(action=f"members.status.{status}", actor=admin, object_id=str(worker.pk)).exists()
    assert AuditEvent.objects.filter(action="members.ownership.ended", data__reason=reason).exists()
    assert AuditEvent.objects.filter(action="patronage.redemption.scheduled", object_id=str(schedule.pk)).exists()


def test_the_bylaws_settings_set_the_days_and_the_number_of_installments(alliedup, ma, alliedup_users):
    cooperative_settings_update(cooperative=alliedup, changes={"equity_redemption_days": 30, "capital_redemption_installments": 3},
                                updated_by=alliedup_users["admin"])
    worker = _owner(alliedup, ma, capital="100.00")
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    assert _rows(schedule) == [
        ("equity", date(2026, 12, 23), D("250.00")),
        ("capital", date(2027, 11, 23), D("33.33")),
        ("capital", date(2028, 11, 23), D("33.33")),
        ("capital", date(2029, 11, 23), D("33.34")),
    ]


def test_installments_must_be_at_least_one(alliedup, alliedup_users):
    with pytest.raises(ValidationError) as err:
        cooperative_settings_update(cooperative=alliedup, changes={"capital_redemption_installments": 0}, updated_by=alliedup_users["admin"])
    assert "capital_redemption_installments" in err.value.message_dict


def test_waived_equity_is_not_repaid(alliedup, ma, alliedup_users):
    worker = _owner(alliedup, ma, equity="0", capital="0")
    equity_waive(account=worker.equity_account, reason="Hardship", effective_on=date(2025, 2, 1), waived_by=alliedup_users["admin"])
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    assert (schedule.equity_paid, schedule.equity_due, schedule.installments.count()) == (D("0.00"), D("0.00"), 0)


def test_only_the_paid_part_of_a_partly_waived_buy_in_is_repaid(alliedup, ma, alliedup_users):
    worker = _owner(alliedup, ma, equity="100.00", capital="0")
    equity_waive(account=worker.equity_account, reason="Hardship", effective_on=date(2025, 2, 1), waived_by=alliedup_users["admin"])
    assert EquityEntry.objects.get(kind="waiver").amount == D("150.00")
    schedule = ownership_exit(worker=worker, reason="termination", effective_on=EXIT)
    assert _rows(schedule) == [("equity", EXIT + timedelta(days=90), D("100.00"))]


def test_fewer_cents_than_installments_gives_fewer_installments(alliedup, ma):
    worker = _owner(alliedup, ma, equity="0", capital="0.03")
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    assert [i.amount for i in schedule.installments.all()] == [D("0.01")] * 3


def test_losses_beyond_the_retained_patronage_reduce_the_equity_repaid(alliedup, ma):
    worker = _owner(alliedup, ma, capital="0")
    CapitalAccountEntry.objects.create(cooperative=alliedup, worker=worker, kind=CapitalAccountEntry.Kind.LOSS, amount="-40.00",
                                       effective_on=date(2025, 12, 31), reference="loss-2025")
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    assert _rows(schedule) == [("equity", EXIT + timedelta(days=90), D("210.00"))]
    assert schedule.equity_due + schedule.capital_due == capital_account(worker).balance


@pytest.mark.today("2028-02-29")
def test_a_leap_day_exit_falls_due_on_february_28(alliedup, ma):
    worker = _owner(alliedup, ma, equity="0", capital="2.00")
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=date(2028, 2, 29))
    assert [i.due_on for i in schedule.installments.all()][:2] == [date(2029, 2, 28), date(2030, 2, 28)]


def test_a_second_exit_is_refused_clearly_and_writes_nothing(alliedup, ma):
    worker = _owner(alliedup, ma)
    ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    with pytest.raises(ValidationError) as err:
        ownership_exit(worker=worker, reason="termination", effective_on=EXIT + timedelta(days=1))
    assert "not a worker-owner" in str(err.value) and "redemption schedule exists" in str(err.value)
    assert RedemptionSchedule.objects.count() == 1 and RedemptionInstallment.objects.count() == 6
    assert MemberStatusChange.objects.filter(worker=worker, to_status="withdrawn").count() == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"reason": "retirement"}, "reason"),
    ({"effective_on": date(2025, 2, 1)}, "effective_on"),  # before ownership began
    ({"effective_on": date(2099, 1, 1)}, "effective_on"),  # far ahead (and past the calendar's end in its schedule)
])
def test_bad_exits_are_refused_and_leave_the_owner_an_owner(alliedup, ma, kwargs, field):
    worker = _owner(alliedup, ma)
    with pytest.raises(ValidationError) as err:
        ownership_exit(worker=worker, **{"reason": "withdrawal", "effective_on": EXIT, **kwargs})
    assert field in err.value.message_dict
    assert Worker.objects.get(pk=worker.pk).status == MemberStatus.OWNER and not RedemptionSchedule.objects.exists()


def test_loading_the_apps_installs_patronage_exit_in_members_hook(monkeypatch):
    assert exit_hook._exit_service is ownership_exit  # installed by django.setup()
    monkeypatch.setattr(exit_hook, "_exit_service", None)
    apps.get_app_config("patronage").ready()
    assert exit_hook._exit_service is ownership_exit


def test_an_exit_without_the_hook_is_refused_and_writes_nothing(alliedup, ma, alliedup_users, monkeypatch):
    worker = _owner(alliedup, ma)
    monkeypatch.setattr(exit_hook, "_exit_service", None)
    with pytest.raises(ImproperlyConfigured):
        member_move(worker=worker, to_status=MemberStatus.WITHDRAWN, reason="Left", moved_by=alliedup_users["admin"],
                    effective_on=EXIT)
    assert Worker.objects.get(pk=worker.pk).status == MemberStatus.OWNER and not RedemptionSchedule.objects.exists()


def test_a_staff_move_of_an_owner_goes_through_the_exit(alliedup, ma, alliedup_users):
    worker = _owner(alliedup, ma)
    change = member_move(worker=worker, to_status=MemberStatus.LAPSED, reason="Stopped working", moved_by=alliedup_users["admin"],
                         effective_on=EXIT)
    schedule = RedemptionSchedule.objects.get(worker=worker)
    assert schedule.reason == "lapse" and schedule.status_change == change
    # a lapsed owner who then withdraws has no second schedule
    member_move(worker=worker, to_status=MemberStatus.WITHDRAWN, reason="Left", moved_by=alliedup_users["admin"], effective_on=EXIT)
    assert RedemptionSchedule.objects.count() == 1


@pytest.mark.today("2027-01-01")
def test_the_retention_lapse_schedules_the_redemption_once(alliedup, ma, django_capture_on_commit_callbacks):
    worker = _owner(alliedup, ma)
    HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 6, 1), hours="8.00")
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_check(cooperative=alliedup, today=date(2027, 1, 1)) == [worker]
    schedule = RedemptionSchedule.objects.get(worker=worker)
    assert (schedule.reason, schedule.effective_on, schedule.status_change.to_status) == ("lapse", date(2027, 1, 1), "lapsed")
    assert "8.00 of 100.00 hours" in schedule.status_change.reason
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_check(cooperative=alliedup, today=date(2027, 1, 1)) == []
    assert RedemptionSchedule.objects.count() == 1
    notice = RetentionNotice.objects.get(kind="lapse")
    assert notice.sent_at is not None and notice.pdf  # the notice went out, listing the repayment
    status = retention_status(Worker.objects.get(pk=worker.pk), date(2027, 1, 5))
    assert status.lapse_notice_sent_on == timezone.localdate(notice.sent_at, timezone=alliedup.zone)


# --- payments ---------------------------------------------------------------------------------


def test_payments_post_ledger_entries_and_the_balance_reaches_zero(alliedup, ma, alliedup_users):
    payroll = alliedup_users["payroll"]
    worker = _owner(alliedup, ma)
    assert capital_account(worker).balance == D("1250.01")
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    first, *rest = schedule.installments.order_by("number")
    # part of the equity installment, then the rest of it (the default amount is what is due)
    redemption_payment_record(installment=first, amount="100.00", paid_on=date(2026, 12, 1), reference="chk-1", recorded_by=payroll)
    assert RedemptionInstallment.objects.get(pk=first.pk).paid_on is None
    redemption_payment_record(installment=first, paid_on=date(2026, 12, 15), reference="chk-2", recorded_by=payroll)
    assert RedemptionInstallment.objects.get(pk=first.pk).paid_on == date(2026, 12, 15)
    account = capital_account(worker)
    assert (account.equity_redeemed, account.retained_balance, account.balance) == (D("250.00"), D("1000.01"), D("1000.01"))
    for n, installment in enumerate(rest):
        redemption_payment_record(installment=installment, paid_on=installment.due_on, reference=f"chk-y{n}", recorded_by=payroll)
    account = capital_account(worker)
    assert account.balance == D("0.00") and account.retained_balance == D("0.00")
    assert account.equity_paid + sum(e.amount for e in account.entries) == D("0.00")  # the ledger sums
    redemptions = CapitalAccountEntry.objects.filter(kind="redemption")
    assert redemptions.count() == 7 and all(e.redemption_installment_id for e in redemptions)
    overview = redemption_overviews(worker)[0]
    assert (overview.total, overview.paid, overview.due) == (D("1250.01"), D("1250.01"), D("0.00"))
    assert AuditEvent.objects.filter(action="patronage.redemption.paid", actor=payroll).count() == 7


def test_overpaying_or_paying_twice_is_refused_and_writes_nothing(alliedup, ma, alliedup_users):
    worker = _owner(alliedup, ma)
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    last = schedule.installments.order_by("number").last()
    with pytest.raises(ValidationError) as err:
        redemption_payment_record(installment=last, amount="200.02", paid_on=EXIT, reference="chk-9", recorded_by=None)
    assert "Only $200.01 is due" in err.value.message_dict["amount"][0]
    for bad in ("0", "-5.00", "1.001", "abc"):
        with pytest.raises(ValidationError):
            redemption_payment_record(installment=last, amount=bad, paid_on=EXIT, reference="chk-9", recorded_by=None)
    with pytest.raises(ValidationError) as err:
        redemption_payment_record(installment=last, paid_on=EXIT - timedelta(days=1), reference="chk-9", recorded_by=None)
    assert "paid_on" in err.value.message_dict
    assert not CapitalAccountEntry.objects.filter(kind="redemption").exists()
    redemption_payment_record(installment=last, paid_on=EXIT, reference="chk-9", recorded_by=None)
    with pytest.raises(ValidationError, match="paid already"):
        redemption_payment_record(installment=last, amount="0.01", paid_on=EXIT, reference="chk-10", recorded_by=None)
    first = schedule.installments.order_by("number").first()
    with pytest.raises(ValidationError) as err:
        redemption_payment_record(installment=first, paid_on=EXIT, reference="chk-9", recorded_by=None)  # reference reused
    assert "reference" in err.value.message_dict
    assert CapitalAccountEntry.objects.filter(kind="redemption").count() == 1


def test_a_payout_outside_the_schedule_cannot_take_the_scheduled_money(alliedup, ma):
    worker = _owner(alliedup, ma, capital="100.00")
    ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    with pytest.raises(ValidationError) as err:
        capital_redeem(worker=worker, amount="10.00", effective_on=EXIT, reference="x-1", reason="", recorded_by=None)
    assert "scheduled for redemption on exit" in err.value.message_dict["amount"][0]
    # patronage posted after the exit (the last year's allocation) is not in the schedule
    CapitalAccountEntry.objects.create(cooperative=alliedup, worker=worker, kind="patronage", amount="30.00",
                                       effective_on=date(2026, 12, 31), reference="patronage-2026")
    capital_redeem(worker=worker, amount="30.00", effective_on=date(2027, 9, 1), reference="x-2", reason="", recorded_by=None)


def test_the_board_figure_counts_an_equity_repayment_against_equity(alliedup, ma):
    from insights import metrics

    worker = _owner(alliedup, ma, capital="100.00")
    schedule = ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT)
    for installment in schedule.installments.order_by("number")[:2]:  # the equity and the first capital installment
        redemption_payment_record(installment=installment, paid_on=date(2026, 12, 1), reference=f"b-{installment.number}", recorded_by=None)
    row = metrics.capital_accounts(alliedup, date(2026, 1, 1), date(2026, 12, 31)).rows[-1]
    assert (row["equity_paid"], row["retained_net"], row["total"]) == (D("0.00"), D("80.00"), D("80.00"))
    assert row["total"] == capital_account(worker).balance


# --- retention status -------------------------------------------------------------------------


def test_retention_status_says_hours_against_the_requirement_and_at_risk(alliedup, ma):
    behind = _owner(alliedup, ma, first_name="Behind")
    on_pace = _owner(alliedup, ma, first_name="OnPace")
    new = _owner(alliedup, ma, first_name="New", owner_since=date(2026, 9, 1))
    HoursEntryFactory(worker=behind, classification=ma, workday=date(2026, 3, 1), hours="8.00")
    for i in range(12):
        HoursEntryFactory(worker=on_pace, classification=ma, workday=date(2026, 2, 1) + timedelta(days=i), hours="8.00")
    today = date(2026, 11, 23)
    s = retention_status(behind, today)
    assert (s.hours, s.required, s.year_start, s.year_end, s.checked, s.at_risk) == (
        D("8.00"), D("100.00"), date(2026, 1, 1), date(2026, 12, 31), True, True)
    assert retention_status(on_pace, today).at_risk is False
    assert retention_status(new, today).at_risk is False and retention_status(new, today).checked is False
    assert retention_status(WorkerFactory(cooperative=alliedup), today) is None  # never an owner


# --- pages and API ----------------------------------------------------------------------------


@pytest.fixture
def left(alliedup, ma, alliedup_users):
    """A worker-owner (linked to the worker account) who withdrew on EXIT."""
    worker = _owner(alliedup, ma, user=alliedup_users["worker"], first_name="Rosa", last_name="Delgado")
    ownership_exit(worker=worker, reason="withdrawal", effective_on=EXIT, recorded_by=alliedup_users["admin"])
    return Worker.objects.get(pk=worker.pk)


def test_staff_see_the_schedule_and_record_a_payment_on_the_worker_record(left, alliedup_users, login):
    base = f"/c/alliedup/members/workers/{left.uuid}"
    payroll = login(alliedup_users["payroll"])
    page = payroll.get(f"{base}/").content.decode()
    assert "Redemption" in page and "$1,250.01" in page and "$200.01" in page and "Record payment" in page
    last = RedemptionInstallment.objects.order_by("number").last()
    over = payroll.post(f"{base}/redemption/{last.uuid}/pay/", {"amount": "500.00", "paid_on": "2026-11-23", "reference": "c-1"}, follow=True)
    assert "Only $200.01 is due" in over.content.decode() and not CapitalAccountEntry.objects.filter(kind="redemption").exists()
    payroll.post(f"{base}/redemption/{last.uuid}/pay/", {"amount": "", "paid_on": "2026-11-23", "reference": "c-1"})
    entry = CapitalAccountEntry.objects.get(kind="redemption")
    assert (entry.amount, entry.redemption_installment, entry.recorded_by) == (D("-200.01"), last, alliedup_users["payroll"])
    # a coordinator reads the record but cannot record payments; the page offers them no form
    coordinator = login(alliedup_users["coordinator"])
    assert "Record payment" not in coordinator.get(f"{base}/").content.decode()
    first = RedemptionInstallment.objects.order_by("number").first()
    assert coordinator.post(f"{base}/redemption/{first.uuid}/pay/", {"paid_on": "2026-11-23", "reference": "c-2"}).status_code == 403


def test_staff_end_an_ownership_from_the_record_page(alliedup, ma, alliedup_users, login):
    worker = _owner(alliedup, ma)
    admin = login(alliedup_users["admin"])
    url = f"/c/alliedup/members/workers/{worker.uuid}/exit/"
    assert "End ownership" in admin.get(f"/c/alliedup/members/workers/{worker.uuid}/").content.decode()
    body = {"reason": "termination", "effective_on": "2026-11-23", "note": "Board decision 2026-14"}
    unconfirmed = admin.post(url, body, follow=True)
    assert "Check the form" in unconfirmed.content.decode() and not RedemptionSchedule.objects.exists()
    done = admin.post(url, {**body, "confirm": "on"}, follow=True).content.decode()
    assert "$1,250.01 is scheduled for redemption" in done
    assert RedemptionSchedule.objects.get().reason == "termination"
    again = admin.post(url, {**body, "confirm": "on"}, follow=True).content.decode()
    assert "not a worker-owner" in again and RedemptionSchedule.objects.count() == 1


def test_the_worker_sees_their_own_schedule_on_the_portal(left, alliedup, ma, alliedup_users, login):
    other = _owner(alliedup, ma, first_name="Other", capital="777.77")
    ownership_exit(worker=other, reason="withdrawal", effective_on=EXIT)
    client = login(alliedup_users["worker"])
    for url in ("/c/alliedup/members/me/", "/c/alliedup/payroll/patronage/my/capital/"):
        page = client.get(url).content.decode()
        assert "Repaying your equity and capital account" in page and "$1,250.01" in page and "$200.01" in page
        assert "$777.77" not in page and "$155.55" not in page  # not the other worker's
        assert "Record payment" not in page
    # staff pages and the payment route are closed to the worker
    inst = RedemptionInstallment.objects.filter(schedule__worker=left).first()
    assert client.get(f"/c/alliedup/members/workers/{left.uuid}/").status_code == 403
    assert client.post(f"/c/alliedup/members/workers/{left.uuid}/redemption/{inst.uuid}/pay/", {}).status_code == 403


def test_an_outsider_cooperative_gets_404(left, nursescan, nursescan_users, login):
    inst = RedemptionInstallment.objects.first()
    client = login(nursescan_users["admin"])
    assert client.get(f"/c/nursescan/members/workers/{left.uuid}/").status_code == 404
    assert client.post(f"/c/nursescan/members/workers/{left.uuid}/redemption/{inst.uuid}/pay/",
                       {"paid_on": "2026-11-23", "reference": "x"}).status_code == 404
    assert client.post(f"/c/nursescan/members/workers/{left.uuid}/exit/", {}).status_code == 404
    api = APIClient()
    api.force_authenticate(nursescan_users["admin"])
    assert api.post(f"/api/v1/c/nursescan/members/workers/{left.uuid}/redemption/{inst.uuid}/payments/",
                    {"paid_on": "2026-11-23", "reference": "x"}, format="json").status_code == 404
    assert not CapitalAccountEntry.objects.filter(kind="redemption").exists()


def test_the_pages_cost_a_fixed_number_of_queries(left, alliedup_users, login, django_assert_max_num_queries):
    staff, worker = login(alliedup_users["payroll"]), login(alliedup_users["worker"])
    for installment in RedemptionInstallment.objects.order_by("number")[:3]:
        redemption_payment_record(installment=installment, amount="1.00", paid_on=EXIT, reference=f"q-{installment.pk}", recorded_by=None)
    with django_assert_max_num_queries(26):
        assert staff.get(f"/c/alliedup/members/workers/{left.uuid}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert worker.get("/c/alliedup/members/me/").status_code == 200
    with django_assert_max_num_queries(14):
        assert worker.get("/c/alliedup/payroll/patronage/my/capital/").status_code == 200


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_more_payments_cost_no_more_queries(left, alliedup_users, login):
    staff = login(alliedup_users["payroll"])
    url = f"/c/alliedup/members/workers/{left.uuid}/"
    before = _queries(staff, url)
    for n, installment in enumerate(RedemptionInstallment.objects.order_by("number")):
        redemption_payment_record(installment=installment, amount="1.00", paid_on=EXIT, reference=f"m-{n}", recorded_by=None)
        redemption_payment_record(installment=installment, amount="1.00", paid_on=EXIT, reference=f"n-{n}", recorded_by=None)
    assert _queries(staff, url) == before


@pytest.fixture
def api(alliedup_users):
    def _client(role):
        client = APIClient()
        client.force_authenticate(alliedup_users[role])
        return client

    return _client


def test_exit_and_payments_through_the_api(alliedup, ma, api):
    worker = _owner(alliedup, ma)
    base = f"/api/v1/c/alliedup/members/workers/{worker.uuid}"
    assert api("payroll").post(f"{base}/exit/", {"reason": "withdrawal", "effective_on": "2026-11-23", "note": "x"},
                               format="json").status_code == 403
    created = api("coordinator").post(f"{base}/exit/", {"reason": "withdrawal", "effective_on": "2026-11-23", "note": "Moving"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["reason"], body["total"], body["due"]) == ("withdrawal", "1250.01", "1250.01")
    assert [(i["part"], i["amount"]) for i in body["installments"]] == [("equity", "250.00")] + [("capital", "200.00")] * 4 + [("capital", "200.01")]
    again = api("admin").post(f"{base}/exit/", {"reason": "termination", "effective_on": "2026-11-24", "note": "x"}, format="json")
    assert again.status_code == 400 and "not a worker-owner" in str(again.json())

    equity = body["installments"][0]["uuid"]
    over = api("payroll").post(f"{base}/redemption/{equity}/payments/", {"amount": "250.01", "paid_on": "2026-12-01", "reference": "w-1"}, format="json")
    assert over.status_code == 400 and "amount" in over.json()
    paid = api("payroll").post(f"{base}/redemption/{equity}/payments/", {"paid_on": "2026-12-01", "reference": "w-1"}, format="json")
    assert paid.status_code == 201
    assert paid.json()["installments"][0] | {"uuid": None} == {
        "uuid": None, "number": 1, "part": "equity", "due_on": "2027-02-21", "amount": "250.00", "paid": "250.00", "due": "0.00",
        "is_paid": True, "paid_on": "2026-12-01"}
    assert api("coordinator").post(f"{base}/redemption/{equity}/payments/", {"paid_on": "2026-12-01", "reference": "w-2"},
                                   format="json").status_code == 403
    ownership = api("coordinator").get(f"{base}/ownership/").json()
    assert ownership["redemption"][0]["paid"] == "250.00" and ownership["worker"]["status"] == "withdrawn"
    assert ownership["retention"]["hours"] is None and ownership["retention"]["lapse_notice_sent_on"] is None
    capital = api("payroll").get(f"/api/v1/c/alliedup/payroll/patronage/workers/{worker.uuid}/capital-account/").json()
    assert (capital["equity_redeemed"], capital["balance"]) == ("250.00", "1000.01")
    assert capital["entries"][-1]["redemption_installment"] == equity


def test_the_me_api_shows_my_schedule_and_retention_only(left, alliedup, ma, api, alliedup_users):
    other = _owner(alliedup, ma, first_name="Other")
    HoursEntryFactory(worker=other, classification=ma, workday=date(2026, 3, 1), hours="8.00")
    mine = api("worker").get("/api/v1/c/alliedup/members/me/ownership/").json()
    assert [s["uuid"] for s in mine["redemption"]] == [str(RedemptionSchedule.objects.get(worker=left).uuid)]
    assert mine["redemption"][0]["installments"][-1]["amount"] == "200.01"
    # an owner's retention status: hours this year against the requirement, at risk
    other.user = alliedup_users["board"]
    other.save(update_fields=["user"])
    from alliedup.models import CooperativeRole, Role

    CooperativeRole.objects.create(cooperative=alliedup, user=alliedup_users["board"], role=Role.WORKER)
    theirs = api("board").get("/api/v1/c/alliedup/members/me/ownership/").json()
    assert theirs["retention"] == {
        "required": "100.00", "year_start": "2026-01-01", "year_end": "2026-12-31", "hours": "8.00", "checked": True,
        "at_risk": True, "warning_sent_on": None, "lapse_notice_sent_on": None,
    }
    assert theirs["redemption"] == []
