"""Notices found by the beat jobs: the open-shift digest, credentials about to expire, votes
closing within a day, candidacy steps due. Each job run twice sends once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from members.models import Candidacy, CredentialType, EquityAccount, MemberStatus
from notifications.models import Channel, Delivery, Kind
from notifications.services import sweeps
from notifications.services.preferences import preferences_update
from notifications.tasks import candidacy_steps_task, credential_expiring_task, open_shift_digest_task, voting_closing_task
from placements.models import JobOrder
from tests.conftest import clock_at
from tests.notifications.conftest import FakeTask, book, licensed, order, worker_with_login
from tests.members.factories import JobClassificationFactory

pytestmark = pytest.mark.today("2026-11-23")


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
        assert sweeps.open_shift_digest_send(cooperative=alliedup, task=FakeTask()) == count


def test_another_cooperatives_digest_lists_none_of_ours(alliedup, nursescan, contract, lvn, mailoutbox, unscoped):
    worker_with_login(alliedup, classifications=[lvn])
    order(contract, lvn, date(2026, 11, 27))
    with unscoped():
        outsider_lvn = JobClassificationFactory(cooperative=nursescan, code="lvn")
        worker_with_login(nursescan, classifications=[outsider_lvn])
        assert open_shift_digest_task.delay(cooperative=nursescan.pk).get() == 0
    assert mailoutbox == []
    assert JobOrder.objects.count() == 1


# --- credentials about to expire -------------------------------------------------------------------


def test_a_credential_expiring_within_30_days_is_told_to_its_holder_once(alliedup, lvn, licence, mailoutbox):
    soon = licensed(worker_with_login(alliedup, first_name="Soon"), licence, date(2026, 12, 10))
    renewed = licensed(worker_with_login(alliedup, first_name="Renewed"), licence, date(2026, 12, 10))
    licensed(renewed, licence, date(2028, 12, 10))  # a renewal on file
    licensed(worker_with_login(alliedup, first_name="Later"), licence, date(2027, 1, 31))
    bls = CredentialType.objects.create(cooperative=alliedup, code="bls", name="BLS card", expires=False)
    licensed(worker_with_login(alliedup, first_name="Never"), bls, date(2026, 12, 1))  # a type that does not expire

    assert credential_expiring_task.delay(cooperative=alliedup.pk).get() == 1
    assert credential_expiring_task.delay(cooperative=alliedup.pk).get() == 0
    assert [m.to[0] for m in mailoutbox] == [soon.email]
    assert mailoutbox[0].subject == "AlliedUP Cooperative: your LVN licence expires on Dec 10, 2026"
    assert "in 17 days" in mailoutbox[0].body
    # Renewed to a date that also runs out: told again about the new date.
    licensed(soon, licence, date(2026, 12, 20))
    assert credential_expiring_task.delay(cooperative=alliedup.pk).get() == 1
    assert "Dec 20, 2026" in mailoutbox[-1].subject


# --- votes closing -----------------------------------------------------------------------------------


def test_voters_who_have_not_voted_are_reminded_a_day_before_the_close(alliedup, mailoutbox):
    from governance.services.voting import ballot_cast, resolution_create, voting_open
    from tests.governance.conftest import make_owner

    now = timezone.now()
    owners = [make_owner(alliedup, first_name=f"Owner{i}") for i in range(3)]
    resolution = voting_open(vote=resolution_create(
        cooperative=alliedup, title="Adopt the budget", text="Resolved.", record_date=date(2026, 11, 16),
        voting_opens_at=now - timedelta(days=2), voting_closes_at=now + timedelta(hours=30)))
    ballot_cast(vote=resolution, worker=owners[0], choices="yes")
    assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 0  # 30 hours to go
    with clock_at("2026-11-23T22:00:00-08:00"):  # 20 hours before the close
        assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 2
        assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.email for o in owners[1:])
    assert mailoutbox[0].subject == "AlliedUP Cooperative: voting closes within a day: Adopt the budget"
    assert "You have not voted yet" in mailoutbox[0].body


def test_a_vote_opened_less_than_12_hours_ago_gets_no_reminder(alliedup, mailoutbox):
    from governance.services.voting import resolution_create, voting_open
    from tests.governance.conftest import make_owner

    now = timezone.now()
    make_owner(alliedup)
    voting_open(vote=resolution_create(cooperative=alliedup, title="Quick vote", text="Resolved.", record_date=date(2026, 11, 16),
                                       voting_opens_at=now - timedelta(hours=1), voting_closes_at=now + timedelta(hours=20)))
    assert voting_closing_task.delay(cooperative=alliedup.pk).get() == 0


# --- candidacy steps due -----------------------------------------------------------------------------


def _candidacy(coop, lvn, deadline, **done):
    worker = worker_with_login(coop, classifications=[lvn], status=MemberStatus.CANDIDATE)
    return Candidacy.objects.create(cooperative=coop, worker=worker, classification=lvn, opened_on=deadline - timedelta(days=90),
                                    deadline=deadline, qualifying_hours="350.00", **done)


def test_a_candidate_with_steps_left_is_told_at_14_and_at_3_days(alliedup, lvn, mailoutbox):
    due = _candidacy(alliedup, lvn, date(2026, 12, 3), intake_call_on=date(2026, 9, 10))
    _candidacy(alliedup, lvn, date(2027, 1, 15))  # more than 14 days left
    complete = _candidacy(alliedup, lvn, date(2026, 12, 1), intake_call_on=date(2026, 9, 1), interviews_done_on=date(2026, 9, 20),
                          education_done_on=date(2026, 10, 1))
    EquityAccount.objects.create(cooperative=alliedup, worker=complete.worker, buy_in="250.00")
    from members.models import AgreementSignature, MembershipAgreement

    agreement = MembershipAgreement.objects.create(cooperative=alliedup, version=1, body="We agree.", effective_from=date(2026, 1, 1))
    AgreementSignature.objects.create(cooperative=alliedup, agreement=agreement, worker=complete.worker, candidacy=complete,
                                      typed_name="X")

    assert candidacy_steps_task.delay(cooperative=alliedup.pk).get() == 1
    assert candidacy_steps_task.delay(cooperative=alliedup.pk).get() == 0
    assert mailoutbox[0].to == [due.worker.email]
    assert mailoutbox[0].subject == "AlliedUP Cooperative: 10 days left in your candidacy"
    body = mailoutbox[0].body
    assert "Interviews" in body and "Sign the membership agreement" in body and "intake call" not in body
    with clock_at("2026-11-30"):
        assert candidacy_steps_task.delay(cooperative=alliedup.pk).get() == 1  # three days left: once more
        assert candidacy_steps_task.delay(cooperative=alliedup.pk).get() == 0
    assert mailoutbox[-1].subject.endswith("3 days left in your candidacy")
    assert Delivery.objects.filter(kind=Kind.CANDIDACY_STEPS).count() == 2
