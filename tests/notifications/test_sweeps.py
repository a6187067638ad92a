"""Notices found by the beat jobs that read only members: credentials about to expire,
candidacy steps due. Each job run twice sends once. (The open-shift digest:
tests/placements/test_notices.py; votes closing: tests/governance/test_notices.py.)"""

from datetime import date, timedelta

import pytest

from members.models import AgreementSignature, Candidacy, CredentialType, EquityAccount, MemberStatus, MembershipAgreement
from notifications.models import Delivery, Kind
from notifications.tasks import candidacy_steps_task, credential_expiring_task
from tests.conftest import clock_at
from tests.notifications.conftest import licensed, worker_with_login

pytestmark = pytest.mark.today("2026-11-23")


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
