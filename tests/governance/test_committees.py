"""Committees: the LMC's equal representation, worker representatives chosen by peers,
meetings with attendance."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from alliedup.models import AuditEvent
from governance.services.committees import committee_balance, committee_create, committee_member_add, meeting_record
from tests.governance.conftest import make_owner
from tests.members.factories import WorkerFactory

START = date(2026, 1, 1)


def test_lmc_balance_while_filling_and_once_equal(alliedup):
    lmc = committee_create(cooperative=alliedup, name="LMC", kind="lmc")
    assert lmc.equal_representation  # the LMC always is
    for i in range(3):
        committee_member_add(committee=lmc, side="management", name=f"M{i}", starts_on=START)
    for _ in range(2):
        committee_member_add(committee=lmc, side="workers", worker=make_owner(alliedup), chosen_by_peers=True, starts_on=START)
    balance = committee_balance(lmc, date(2026, 6, 1))
    assert str(balance) == "unequal: 3 management, 2 workers" and not balance.holds
    committee_member_add(committee=lmc, side="workers", worker=WorkerFactory(cooperative=alliedup, status="employee"),
                         chosen_by_peers=True, starts_on=START)
    assert str(committee_balance(lmc, date(2026, 6, 1))) == "equal: 3 management, 3 workers"
    # a member whose seat ended no longer counts
    committee_member_add(committee=lmc, side="management", name="Gone", starts_on=START, ends_on=date(2026, 3, 1))
    assert committee_balance(lmc, date(2026, 6, 1)).equal
    assert AuditEvent.objects.filter(action="governance.committee.member_added").count() == 7


def test_a_culture_committee_has_no_balance_rule(alliedup):
    culture = committee_create(cooperative=alliedup, name="Workers' Culture Committee", kind="culture")
    committee_member_add(committee=culture, side="workers", name="A", starts_on=START)
    assert committee_balance(culture, START).holds


def test_a_peer_chosen_worker_representative_must_be_a_worker_of_the_coop(alliedup, nursescan, unscoped):
    lmc = committee_create(cooperative=alliedup, name="LMC", kind="lmc")
    with pytest.raises(ValidationError, match="worker of the co-op"):
        committee_member_add(committee=lmc, side="workers", name="Outsider", chosen_by_peers=True, starts_on=START)
    withdrawn = WorkerFactory(cooperative=alliedup, status="withdrawn")
    with pytest.raises(ValidationError, match="worker of the co-op"):
        committee_member_add(committee=lmc, side="workers", worker=withdrawn, chosen_by_peers=True, starts_on=START)
    with unscoped():
        other = WorkerFactory(cooperative=nursescan)
    with pytest.raises(ValidationError, match="Not a worker of this co-op"):
        committee_member_add(committee=lmc, side="workers", worker=other, chosen_by_peers=True, starts_on=START)
    with pytest.raises(ValidationError, match="Only the worker side"):
        committee_member_add(committee=lmc, side="management", name="CEO", chosen_by_peers=True, starts_on=START)
    assert not lmc.members.exists()


def test_meeting_attendance_is_of_sitting_members(alliedup):
    lmc = committee_create(cooperative=alliedup, name="LMC", kind="lmc")
    other = committee_create(cooperative=alliedup, name="Culture", kind="culture")
    m = committee_member_add(committee=lmc, side="management", name="M", starts_on=START)
    stranger = committee_member_add(committee=other, side="workers", name="S", starts_on=START)
    with pytest.raises(ValidationError, match="Not a member"):
        meeting_record(committee=lmc, held_on=date(2026, 2, 1), attendees=[m, stranger])
    meeting = meeting_record(committee=lmc, held_on=date(2026, 2, 1), agenda="Wages", minutes="Agreed", attendees=[m])
    assert list(meeting.attendees.all()) == [m]
    with pytest.raises(ValidationError):
        committee_create(cooperative=alliedup, name="lmc", kind="other")  # names are unique, whatever the case
