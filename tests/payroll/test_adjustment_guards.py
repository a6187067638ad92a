"""Payroll entries that cannot hurt a worker (issue 14): staff adjustments bounded by the
co-op's own settings on the page, the API and the service; a run paying someone less than
nothing approved only with a named, audited override; approving a run and opening voting
only after an explicit confirmation on the page.

The reported case: an adjustment of −$999,999,999.00, −40 hours and a 20,000-character
reason was accepted, and the run approved with a gross of −$999,999,729.94."""

from datetime import date, datetime, time, timezone as dt_timezone
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliedup.models import AuditEvent
from governance.models import Election, Resolution, VoterRollEntry
from governance.services.voting import election_create, resolution_create
from payroll.forms import AdjustmentForm
from payroll.models import PayLine, PayRun, PayStatement
from payroll.services.runs_adjust import pay_adjustment_add
from payroll.services.runs_approve import NegativePayRefused, payrun_approve
from payroll.services.runs_calculate import payrun_calculate

D = Decimal
PAGES = "/c/alliedup/payroll"
API = "/api/v1/c/alliedup/payroll"
REPORTED = {"amount": "-999999999", "hours": "-40", "reason": "x" * 20_000}


@pytest.fixture
def payroll_client(alliedup_users, login):
    return login(alliedup_users["payroll"])


@pytest.fixture
def api(alliedup_users):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=alliedup_users["payroll"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def calculated(agreement, worker, work, period):
    """The period's run, calculated: Rosa worked 8 h at $33.00 = $264.00 gross."""
    work(worker, date(2026, 11, 2), time(7), time(15))
    return payrun_calculate(run=period.run)


@pytest.fixture
def negative(calculated, worker, alliedup_users):
    """The run, calculated again after a −$300.00 clawback: Rosa's gross is −$36.00."""
    pay_adjustment_add(run=calculated, worker=worker, amount="-300.00", reason="Overpaid in October",
                       added_by=alliedup_users["payroll"])
    return payrun_calculate(run=calculated)


def _nothing_written(run, status=PayRun.Status.CALCULATED):
    run.refresh_from_db()
    assert not PayLine.objects.filter(run=run, is_manual=True).exists()
    assert run.status == status
    assert not AuditEvent.objects.filter(action="payroll.adjustment.added").exists()


# --- the reported adjustment, on every entry point -------------------------------------------


def test_the_reported_adjustment_is_refused_by_the_service(calculated, worker, alliedup_users):
    with pytest.raises(ValidationError) as refused:
        pay_adjustment_add(run=calculated, worker=worker, added_by=alliedup_users["payroll"], **REPORTED)
    errors = refused.value.message_dict
    assert errors["amount"] == ["An adjustment is at most $5,000.00 either way (the co-op's limit); "
                                "-$999,999,999.00 is refused."]
    assert errors["reason"] == ["Keep the reason to 300 characters (it has 20000)."]
    assert "hours" not in errors  # 40 hours is within the default 80
    _nothing_written(calculated)


def test_the_reported_adjustment_is_refused_on_the_page(calculated, worker, payroll_client):
    response = payroll_client.post(f"{PAGES}/runs/{calculated.uuid}/adjustments/",
                                   {"adj-worker": str(worker.uuid), **{f"adj-{k}": v for k, v in REPORTED.items()}})
    page = response.content.decode()
    assert response.status_code == 400
    assert "An adjustment is at most $5,000.00 either way" in page and "-$999,999,999.00 is refused" in page
    assert "at most 300 characters (it has 20000)" in page
    _nothing_written(calculated)


def test_the_reported_adjustment_is_refused_by_the_api_with_every_field_named(calculated, worker, api):
    response = api.post(f"{API}/runs/{calculated.uuid}/adjustments/", {"worker": str(worker.uuid), **REPORTED}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["amount"] == ["An adjustment is at most $5,000.00 either way (the co-op's limit); -$999,999,999.00 is refused."]
    assert "300 characters" in body["reason"][0]
    _nothing_written(calculated)


# --- bounds: the co-op's own settings --------------------------------------------------------


@pytest.mark.parametrize("amount, hours, ok", [
    ("5000.00", "80.00", True),
    ("-5000.00", "-80.00", True),
    ("5000.01", "0", False),
    ("-5000.01", "0", False),
    ("10.00", "80.01", False),
    ("10.00", "-80.01", False),
])
def test_bounds_default_to_5000_dollars_and_80_hours(calculated, worker, amount, hours, ok):
    if ok:
        line = pay_adjustment_add(run=calculated, worker=worker, amount=amount, hours=hours, reason="Retro pay")
        assert (line.amount, line.hours) == (D(amount), D(hours))
    else:
        with pytest.raises(ValidationError):
            pay_adjustment_add(run=calculated, worker=worker, amount=amount, hours=hours, reason="Retro pay")
        _nothing_written(calculated)


def test_the_limit_moves_with_the_cooperative_setting(alliedup, calculated, worker, alliedup_users, payroll_client, api):
    alliedup.adjustment_max_amount, alliedup.adjustment_max_hours = D("100.00"), D("8.00")
    alliedup.save(update_fields=["adjustment_max_amount", "adjustment_max_hours"])
    with pytest.raises(ValidationError) as refused:
        pay_adjustment_add(run=calculated, worker=worker, amount="100.01", hours="8.01", reason="Retro pay")
    assert refused.value.message_dict == {
        "amount": ["An adjustment is at most $100.00 either way (the co-op's limit); $100.01 is refused."],
        "hours": ["An adjustment is at most 8.00 hours either way (the co-op's limit); 8.01 is refused."],
    }
    form = AdjustmentForm({"adj-worker": str(worker.uuid), "adj-amount": "-100.01", "adj-reason": "Retro pay"},
                          run=PayRun.objects.select_related("cooperative").get(pk=calculated.pk))
    assert not form.is_valid() and "at most $100.00 either way" in form.errors["amount"][0]
    refused = api.post(f"{API}/runs/{calculated.uuid}/adjustments/",
                       {"worker": str(worker.uuid), "amount": "100.01", "reason": "Retro pay"}, format="json")
    assert refused.status_code == 400 and "at most $100.00" in refused.json()["amount"][0]
    _nothing_written(calculated)
    # at the limit itself: accepted
    pay_adjustment_add(run=calculated, worker=worker, amount="-100.00", hours="8.00", reason="Retro pay")
    assert PayLine.objects.filter(run=calculated, is_manual=True).count() == 1


@pytest.mark.parametrize("amount", ["0", "0.00", "1.005", "abc", "NaN", "Infinity", "1E+40"])
def test_an_amount_must_be_non_zero_whole_cents(calculated, worker, amount):
    with pytest.raises(ValidationError) as refused:
        pay_adjustment_add(run=calculated, worker=worker, amount=amount, reason="Retro pay")
    assert "amount" in refused.value.message_dict
    _nothing_written(calculated)


def test_a_reason_is_required_and_at_most_300_characters_kept_whole(calculated, worker):
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="Say what the adjustment is for"):
            pay_adjustment_add(run=calculated, worker=worker, amount="10.00", reason=reason)
    with pytest.raises(ValidationError, match="it has 301"):
        pay_adjustment_add(run=calculated, worker=worker, amount="10.00", reason="r" * 301)
    line = pay_adjustment_add(run=calculated, worker=worker, amount="10.00", reason="r" * 300)
    line.refresh_from_db()
    assert line.description == "r" * 300  # stored whole, never cut to fit
    assert PayLine._meta.get_field("description").max_length == 300


# --- negative pay needs a named override ------------------------------------------------------


def test_a_run_with_a_negative_gross_is_refused_without_an_override(negative, worker, alliedup_users):
    assert PayStatement.objects.get(run=negative, worker=worker).gross == D("-36.00")
    with pytest.raises(NegativePayRefused) as refused:
        payrun_approve(run=negative, approved_by=alliedup_users["payroll"])
    assert [s.worker for s in refused.value.statements] == [worker]
    assert refused.value.message_dict["negative_override_reason"] == [
        "Negative pay for Rosa Diaz (gross -$36.00, net -$36.00). Correct the run, or approve it with a reason for the override."]
    negative.refresh_from_db()
    assert negative.status == PayRun.Status.CALCULATED and negative.negative_override_at is None
    assert not AuditEvent.objects.filter(action__in=["payroll.run.approved", "payroll.run.negative_pay_overridden"]).exists()


def test_a_negative_net_is_refused_too(calculated, worker, alliedup_users):
    PayStatement.objects.filter(run=calculated).update(deductions=D("300.00"))  # gross 264.00, net −36.00
    with pytest.raises(NegativePayRefused, match=r"gross \$264.00, net -\$36.00"):
        payrun_approve(run=calculated, approved_by=alliedup_users["payroll"])


def test_the_override_is_recorded_on_the_run_and_audited_with_the_workers(negative, worker, alliedup_users):
    payroll = alliedup_users["payroll"]
    when = datetime(2026, 11, 16, 18, 0, tzinfo=dt_timezone.utc)
    with time_machine.travel(when, tick=False):
        run = payrun_approve(run=negative, approved_by=payroll, negative_override_reason="  Recovering the October overpayment  ")
    run.refresh_from_db()
    assert run.status == PayRun.Status.APPROVED
    assert (run.negative_override_reason, run.negative_override_by, run.negative_override_at) == (
        "Recovering the October overpayment", payroll, when)
    event = AuditEvent.objects.get(action="payroll.run.negative_pay_overridden")
    assert event.actor == payroll and event.object_id == str(run.pk)
    assert event.data == {"reason": "Recovering the October overpayment", "workers": [
        {"worker": str(worker.uuid), "name": "Rosa Diaz", "gross": "-36.00", "net": "-36.00"}]}


def test_only_a_role_that_may_approve_runs_can_override(negative, alliedup_users):
    with pytest.raises(PermissionDenied):
        payrun_approve(run=negative, approved_by=alliedup_users["coordinator"], negative_override_reason="Because")
    negative.refresh_from_db()
    assert negative.status == PayRun.Status.CALCULATED and negative.negative_override_reason == ""


def test_an_override_reason_is_at_most_300_characters(negative, alliedup_users):
    with pytest.raises(ValidationError, match="it has 301"):
        payrun_approve(run=negative, approved_by=alliedup_users["payroll"], negative_override_reason="r" * 301)


def test_a_run_without_negative_pay_records_no_override(calculated, alliedup_users):
    run = payrun_approve(run=calculated, approved_by=alliedup_users["payroll"], negative_override_reason="Not needed")
    run.refresh_from_db()
    assert run.status == PayRun.Status.APPROVED and run.negative_override_reason == "" and run.negative_override_at is None


def test_the_run_screen_lists_negative_pay_and_approves_only_with_a_reason(negative, payroll_client):
    url = f"{PAGES}/runs/{negative.uuid}/"
    page = payroll_client.get(url).content.decode()
    assert 'id="negative-pay"' in page and "Diaz, Rosa" in page and 'name="approve-negative_override_reason"' in page
    refused = payroll_client.post(f"{url}approve/", {"approve-confirm": "on"})
    assert refused.status_code == 400 and "Negative pay for Rosa Diaz" in refused.content.decode()
    negative.refresh_from_db()
    assert negative.status == PayRun.Status.CALCULATED
    done = payroll_client.post(f"{url}approve/", {"approve-confirm": "on",
                                                 "approve-negative_override_reason": "Recovering the October overpayment"})
    assert done.status_code == 302
    negative.refresh_from_db()
    assert negative.status == PayRun.Status.APPROVED and negative.negative_override_reason == "Recovering the October overpayment"
    assert "Negative pay approved" in payroll_client.get(url).content.decode()


def test_the_approve_api_answers_400_with_the_workers_unless_a_reason_is_given(negative, worker, api):
    url = f"{API}/runs/{negative.uuid}/approve/"
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 400
    body = refused.json()
    assert body["negative_pay"] == [{"worker": str(worker.uuid), "worker_name": "Rosa Diaz", "gross": "-36.00", "net": "-36.00"}]
    assert "Negative pay for Rosa Diaz" in body["negative_override_reason"][0]
    negative.refresh_from_db()
    assert negative.status == PayRun.Status.CALCULATED
    done = api.post(url, {"negative_override_reason": "Recovering the October overpayment"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "approved" and done.json()["negative_override_reason"] == "Recovering the October overpayment"


# --- final actions ask for confirmation on the page -------------------------------------------


def test_approving_on_the_page_needs_the_confirmation(calculated, payroll_client):
    url = f"{PAGES}/runs/{calculated.uuid}/"
    assert 'name="approve-confirm"' in payroll_client.get(url).content.decode()
    refused = payroll_client.post(f"{url}approve/")
    assert refused.status_code == 400 and "Tick the confirmation to approve the pay run." in refused.content.decode()
    calculated.refresh_from_db()
    assert calculated.status == PayRun.Status.CALCULATED
    assert payroll_client.post(f"{url}approve/", {"approve-confirm": "on"}).status_code == 302
    calculated.refresh_from_db()
    assert calculated.status == PayRun.Status.APPROVED


WINDOWS = dict(voting_opens_at=datetime(2026, 11, 20, 17, tzinfo=dt_timezone.utc),
               voting_closes_at=datetime(2026, 11, 27, 17, tzinfo=dt_timezone.utc), record_date=date(2026, 11, 13))


@pytest.mark.parametrize("kind", ["election", "resolution"])
def test_opening_voting_on_the_page_needs_the_confirmation(alliedup, alliedup_users, login, kind):
    if kind == "election":
        vote = election_create(cooperative=alliedup, title="Board 2027", number_of_seats=1, method="plurality",
                               nominations_open_at=datetime(2026, 11, 1, tzinfo=dt_timezone.utc),
                               nominations_close_at=datetime(2026, 11, 15, tzinfo=dt_timezone.utc), **WINDOWS)
    else:
        vote = resolution_create(cooperative=alliedup, title="Amend article 4", text="Resolved: we amend article 4.", **WINDOWS)
    client = login(alliedup_users["board"])
    detail = f"/c/alliedup/governance/{kind}s/{vote.uuid}/"
    assert 'name="confirm"' in client.get(detail).content.decode()
    refused = client.post(f"{detail}voting-open/", follow=True)
    assert "Tick the confirmation to open voting: nothing was changed." in refused.content.decode()
    vote.refresh_from_db()
    assert vote.status == "draft" and vote.roll_fixed_at is None and not VoterRollEntry.objects.exists()
    if kind == "resolution":  # an election would also need its candidates
        client.post(f"{detail}voting-open/", {"confirm": "on"})
        vote.refresh_from_db()
        assert vote.status == Resolution.Status.VOTING
    else:
        assert Election.objects.get(pk=vote.pk).status == Election.Status.DRAFT
