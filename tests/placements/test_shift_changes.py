"""Workers drop or swap a confirmed shift before the co-op's cut-off; a coordinator decides
(placements/services/shift_changes.py, the worker portal, the staff page, the API).

The clock is Monday 2026-11-23, noon in California; the shift is Thursday 2026-11-26 07:00–
15:30 at the site (America/Los_Angeles), so the default 48-hour cut-off falls on Tuesday
2026-11-24 at 07:00 there."""

import threading
import time as time_module
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django_scopes import scope
from rest_framework.test import APIClient

from alliedup.models import AuditEvent, Role
from members.models import WorkerCredential
from onboarding.selectors import SETTING_CHANGED
from placements.models import Assignment, Shift, ShiftChangeRequest
from placements.selectors import shifts_open_to
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.shift_changes import (
    change_cutoff,
    shift_change_approve,
    shift_change_decline,
    shift_change_withdraw,
    shift_drop_request,
    shift_swap_accept,
    shift_swap_offer,
    shift_swap_turn_down,
)
from tests.conftest import clock_at
from tests.factories import CooperativeRoleFactory, UserFactory
from tests.members.factories import JobClassificationFactory, WorkerFactory
from tests.placements.conftest import DAY, licensed_worker

pytestmark = pytest.mark.today("2026-11-23")

BASE = "/c/alliedup/placements"
API = "/api/v1/c/alliedup/placements"
THURSDAY = date(2026, 11, 26)


def _shift(contract, lvn, day=THURSDAY, times=DAY) -> Shift:
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=times[0],
                             shift_end=times[1])
    return Shift.objects.get(job_order=order)


def _with_login(alliedup, worker_kwargs, *, lvn, licence, email):
    user = UserFactory(email=email)
    CooperativeRoleFactory(cooperative=alliedup, user=user, role=Role.WORKER)
    return licensed_worker(alliedup, lvn, licence, user=user, **worker_kwargs)


@pytest.fixture
def me(alliedup, alliedup_users, lvn, licence):
    """The alliedup worker login's employee record: a licensed LVN."""
    return licensed_worker(alliedup, lvn, licence, user=alliedup_users["worker"], first_name="Rosa", last_name="Delgado")


@pytest.fixture
def mate(alliedup, lvn, licence):
    """A co-worker, licensed LVN with a portal login."""
    return _with_login(alliedup, {"first_name": "Luis", "last_name": "Ortega"}, lvn=lvn, licence=licence, email="luis@example.com")


@pytest.fixture
def shift(contract, lvn):
    return _shift(contract, lvn)


@pytest.fixture
def mine(shift, me):
    """My confirmed assignment on Thursday's day shift."""
    return shift_assign(shift=shift, worker=me)


@pytest.fixture
def coordinator_user(alliedup_users):
    return alliedup_users["coordinator"]


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _actions(obj) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(obj.pk), object_type=obj._meta.label_lower).order_by("id")
                .values_list("action", flat=True))


# --- drop ---------------------------------------------------------------------------------


def test_an_approved_drop_cancels_the_assignment_and_reopens_the_shift(alliedup, mine, me, mate, coordinator_user, alliedup_users):
    change = shift_drop_request(assignment=mine, worker=me, reason="My daughter's recital", requested_by=alliedup_users["worker"])
    assert change.status == ShiftChangeRequest.Status.PENDING
    mine.refresh_from_db()
    assert mine.status == Assignment.Status.CONFIRMED and mine.shift.status == Shift.Status.FILLED  # mine until approved

    shift_change_approve(change=change, approved_by=coordinator_user)

    mine.refresh_from_db()
    change.refresh_from_db()
    assert mine.status == Assignment.Status.CANCELLED and "My daughter's recital" in mine.cancel_reason
    assert Shift.objects.get(pk=mine.shift_id).status == Shift.Status.OPEN
    assert change.status == ShiftChangeRequest.Status.APPROVED and change.decided_by == coordinator_user
    assert _actions(change) == ["placements.shift_change.requested", "placements.shift_change.approved"]
    assert _actions(mine) == ["placements.shift.assigned", "placements.assignment.cancelled"]
    # The slot is in the co-worker's open shifts again, with nothing stopping them.
    now = change.decided_at
    assert [(s.pk, reasons) for s, reasons in shifts_open_to(mate, now, now + timedelta(days=14))] == [(mine.shift_id, [])]


def test_a_declined_drop_leaves_the_shift_with_the_worker(mine, me, coordinator_user):
    change = shift_drop_request(assignment=mine, worker=me)
    shift_change_decline(change=change, declined_by=coordinator_user, note="Nobody else holds the licence that day.")
    change.refresh_from_db()
    mine.refresh_from_db()
    assert change.status == ShiftChangeRequest.Status.DECLINED and change.decision_note.startswith("Nobody")
    assert mine.status == Assignment.Status.CONFIRMED and mine.shift.status == Shift.Status.FILLED
    with pytest.raises(ValidationError, match="no longer open"):
        shift_change_approve(change=change, approved_by=coordinator_user)


def test_a_worker_withdraws_and_may_ask_again_but_holds_one_open_request(mine, me):
    first = shift_drop_request(assignment=mine, worker=me)
    with pytest.raises(ValidationError, match="already asked"):
        shift_drop_request(assignment=mine, worker=me)
    shift_change_withdraw(change=first, worker=me)
    assert ShiftChangeRequest.objects.get(pk=first.pk).status == ShiftChangeRequest.Status.WITHDRAWN
    assert shift_drop_request(assignment=mine, worker=me).status == ShiftChangeRequest.Status.PENDING


def test_only_ones_own_confirmed_assignment_can_be_changed(alliedup, shift, me, mate, contract, lvn):
    theirs = shift_assign(shift=shift, worker=mate)
    with pytest.raises(ValidationError, match="not one of your shifts"):
        shift_drop_request(assignment=theirs, worker=me)
    requested = shift_assign(shift=_shift(contract, lvn, THURSDAY + timedelta(days=1)), worker=me, status=Assignment.Status.ACCEPTED)
    with pytest.raises(ValidationError, match="Only a confirmed shift"):
        shift_drop_request(assignment=requested, worker=me)
    assert not ShiftChangeRequest.objects.exists()


# --- the cut-off --------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "allowed"), [
    ("2026-11-24T06:59:59-08:00", True),  # a second before 48 hours ahead of 07:00 Thursday
    ("2026-11-24T07:00:00-08:00", False),  # the cut-off itself has passed
    ("2026-11-25T12:00:00-08:00", False),
])
def test_the_cutoff_is_48_hours_before_the_shift_at_the_site(moment, allowed, mine, me, mate):
    with clock_at(moment, tick=False):
        for ask in (lambda: shift_drop_request(assignment=mine, worker=me),
                    lambda: shift_swap_offer(assignment=mine, worker=me, to_worker=mate)):
            if allowed:
                shift_change_withdraw(change=ask(), worker=me)
            else:
                with pytest.raises(ValidationError, match="closed on Tue, Nov 24, 07:00 PST .*Call the coordinator"):
                    ask()
    assert ShiftChangeRequest.objects.exclude(status=ShiftChangeRequest.Status.WITHDRAWN).count() == 0


def test_the_cutoff_counts_real_hours_across_the_autumn_clock_change(contract, lvn, me):
    # Clocks fall back on Sunday 2026-11-01: 48 real hours before Monday 07:00 PST is
    # Saturday 08:00 PDT (by the wall clock it would be 07:00).
    assignment = shift_assign(shift=_shift(contract, lvn, date(2026, 11, 2)), worker=me)
    with clock_at("2026-10-31T07:30:00-07:00", tick=False):
        shift_change_withdraw(change=shift_drop_request(assignment=assignment, worker=me), worker=me)
    with clock_at("2026-10-31T08:00:00-07:00", tick=False), pytest.raises(ValidationError, match="Call the coordinator"):
        shift_drop_request(assignment=assignment, worker=me)


def test_each_coop_sets_its_own_cutoff(alliedup, mine, me):
    alliedup.shift_change_cutoff_hours = 72  # Thursday 07:00 less 72 hours: Monday 07:00, before now (noon)
    alliedup.save(update_fields=["shift_change_cutoff_hours"])
    mine.cooperative.refresh_from_db()
    with pytest.raises(ValidationError, match="72 hours before it starts"):
        shift_drop_request(assignment=mine, worker=me)
    alliedup.shift_change_cutoff_hours = 0  # until the shift starts
    alliedup.save(update_fields=["shift_change_cutoff_hours"])
    assert change_cutoff(mine, alliedup) == mine.starts_at
    assert shift_drop_request(assignment=Assignment.objects.get(pk=mine.pk), worker=me).status == "pending"


# --- swap ---------------------------------------------------------------------------------


def test_a_swap_accepted_and_approved_moves_the_assignment_to_the_coworker(mine, me, mate, coordinator_user):
    change = shift_swap_offer(assignment=mine, worker=me, to_worker=mate, reason="Can you cover?")
    assert change.status == ShiftChangeRequest.Status.OFFERED
    with pytest.raises(ValidationError, match="has not accepted"):
        shift_change_approve(change=change, approved_by=coordinator_user)
    shift_swap_accept(change=change, worker=mate)
    assert ShiftChangeRequest.objects.get(pk=change.pk).status == ShiftChangeRequest.Status.PENDING

    shift_change_approve(change=change, approved_by=coordinator_user)

    change.refresh_from_db()
    active = list(Assignment.objects.filter(shift=mine.shift, status__in=Assignment.ACTIVE))
    assert [(a.worker, a.status) for a in active] == [(mate, Assignment.Status.CONFIRMED)]
    assert change.new_assignment == active[0]
    assert Assignment.objects.get(pk=mine.pk).status == Assignment.Status.CANCELLED
    assert Shift.objects.get(pk=mine.shift_id).status == Shift.Status.FILLED
    assert _actions(change) == ["placements.shift_change.requested", "placements.shift_change.accepted",
                                "placements.shift_change.approved"]


def test_a_coworker_may_turn_a_swap_down(mine, me, mate):
    change = shift_swap_offer(assignment=mine, worker=me, to_worker=mate)
    with pytest.raises(ValidationError, match="not offered to you"):
        shift_swap_turn_down(change=change, worker=me)
    shift_swap_turn_down(change=change, worker=mate)
    assert ShiftChangeRequest.objects.get(pk=change.pk).status == ShiftChangeRequest.Status.TURNED_DOWN
    with pytest.raises(ValidationError, match="no longer open"):
        shift_swap_accept(change=change, worker=mate)


def test_an_ineligible_swap_target_is_refused_without_saying_why(alliedup, contract, lvn, licence, mine, me, mate):
    lapsing = licensed_worker(alliedup, lvn, licence, expires=THURSDAY - timedelta(days=1), user=UserFactory(), first_name="Ana")
    outside = WorkerFactory(cooperative=alliedup, user=UserFactory(), classifications=[JobClassificationFactory(cooperative=alliedup)])
    shift_assign(shift=_shift(contract, lvn, THURSDAY, (time(15, 0), time(23, 0))), worker=mate)  # overlaps 07:00–15:30
    no_login = licensed_worker(alliedup, lvn, licence)
    for target in (lapsing, outside, mate, no_login, me):
        with pytest.raises(ValidationError) as refused:
            shift_swap_offer(assignment=mine, worker=me, to_worker=target)
        assert "swap_to" in refused.value.message_dict
        assert "expires" not in str(refused.value)  # a co-worker's credentials are not the asker's business
    assert not ShiftChangeRequest.objects.exists()


def test_eligibility_is_checked_again_on_accept_and_on_approval(contract, lvn, mine, me, mate, coordinator_user):
    change = shift_swap_offer(assignment=mine, worker=me, to_worker=mate)
    WorkerCredential.objects.filter(worker=mate).update(expires_on=THURSDAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="You cannot take this shift: LVN licence expires"):
        shift_swap_accept(change=change, worker=mate)
    WorkerCredential.objects.filter(worker=mate).update(expires_on=date(2099, 12, 31))
    shift_swap_accept(change=change, worker=mate)
    # Staff book the co-worker elsewhere at the same time before the coordinator decides.
    shift_assign(shift=_shift(contract, lvn, THURSDAY, (time(8, 0), time(12, 0))), worker=mate)
    with pytest.raises(ValidationError, match="can no longer take this shift: Already working"):
        shift_change_approve(change=change, approved_by=coordinator_user)
    mine.refresh_from_db()
    assert mine.status == Assignment.Status.CONFIRMED and mine.shift.status == Shift.Status.FILLED
    assert ShiftChangeRequest.objects.get(pk=change.pk).status == ShiftChangeRequest.Status.PENDING


def test_accepting_after_the_cutoff_is_refused(mine, me, mate):
    change = shift_swap_offer(assignment=mine, worker=me, to_worker=mate)
    with clock_at("2026-11-24T07:00:00-08:00", tick=False), pytest.raises(ValidationError, match="Call the coordinator"):
        shift_swap_accept(change=change, worker=mate)


def test_a_request_on_an_assignment_staff_cancelled_cannot_be_approved(mine, me, coordinator_user):
    from placements.services.matching import assignment_cancel

    change = shift_drop_request(assignment=mine, worker=me)
    assignment_cancel(assignment=mine, reason="Client cancelled the shift", cancelled_by=coordinator_user)
    with pytest.raises(ValidationError, match="now cancelled; decline the request"):
        shift_change_approve(change=change, approved_by=coordinator_user)


def test_another_coops_worker_is_no_swap_target(nursescan, mine, me, unscoped, lvn):
    with unscoped():
        outsider = WorkerFactory(cooperative=nursescan, user=UserFactory())
    with pytest.raises(ValidationError, match="swap_to"):
        shift_swap_offer(assignment=mine, worker=me, to_worker=outsider)
    response = _api(me.user).post(f"{API}/me/assignments/{mine.uuid}/change/",
                                  {"kind": "swap", "swap_to": str(outsider.uuid)}, format="json")
    assert response.status_code == 400 and "swap_to" in response.json()
    assert not ShiftChangeRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_approving_one_swap_at_once_fill_the_slot_once(alliedup, contract, lvn, licence, mine, me, mate,
                                                                       coordinator_user, alliedup_users):
    """The second approval waits on the request's row lock, then finds it approved."""
    change = shift_swap_offer(assignment=mine, worker=me, to_worker=mate)
    shift_swap_accept(change=change, worker=mate)
    outcome = {}

    def second_coordinator():
        try:
            with scope(cooperative=alliedup):
                shift_change_approve(change=change, approved_by=alliedup_users["admin"])
            outcome["second"] = "approved"
        except ValidationError as exc:
            outcome["second"] = " ".join(exc.messages)
        finally:
            connections.close_all()

    from django.db import transaction

    with transaction.atomic():
        ShiftChangeRequest.objects.select_for_update().get(pk=change.pk)  # the first coordinator holds it
        other = threading.Thread(target=second_coordinator)
        other.start()
        with connection.cursor() as cursor:  # until the second really waits on that lock
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                if cursor.fetchone()[0]:
                    break
                time_module.sleep(0.05)
        shift_change_approve(change=change, approved_by=coordinator_user)
    other.join(10)
    assert "no longer open: approved" in outcome["second"]
    assert list(Assignment.objects.filter(shift=mine.shift, status__in=Assignment.ACTIVE).values_list("worker", flat=True)) == [mate.pk]


# --- worker portal ------------------------------------------------------------------------


def test_my_schedule_offers_drop_or_swap_then_shows_the_request(mine, me, mate, login, alliedup_users, django_assert_max_num_queries):
    client = login(alliedup_users["worker"])
    body = client.get(f"{BASE}/me/schedule/").content.decode()
    assert f"{BASE}/me/assignments/{mine.uuid}/change/" in body
    page = client.get(f"{BASE}/me/assignments/{mine.uuid}/change/").content.decode()
    assert "You can ask until Tue, Nov 24, 07:00 PST (48 hours before the shift)" in page and "Luis Ortega" in page

    response = client.post(f"{BASE}/me/assignments/{mine.uuid}/change/", {"action": "drop", "drop-reason": "Sick child"})
    assert response.status_code == 302
    change = ShiftChangeRequest.objects.get()
    assert (change.kind, change.reason, change.requested_by) == ("drop", "Sick child", alliedup_users["worker"])
    with django_assert_max_num_queries(12):
        body = client.get(f"{BASE}/me/schedule/").content.decode()
    assert "Drop requested:" in body and "waiting for the coordinator" in body
    assert client.post(f"{BASE}/me/shift-changes/{change.uuid}/withdraw/").status_code == 302
    assert ShiftChangeRequest.objects.get().status == ShiftChangeRequest.Status.WITHDRAWN


def test_after_the_cutoff_the_portal_says_to_call_the_coordinator(mine, login, alliedup_users):
    client = login(alliedup_users["worker"])
    with clock_at("2026-11-24T08:00:00-08:00"):
        assert "call the coordinator" in client.get(f"{BASE}/me/schedule/").content.decode()
        response = client.post(f"{BASE}/me/assignments/{mine.uuid}/change/", {"action": "drop"})
    assert response.status_code == 400
    assert "Changes to this shift closed on Tue, Nov 24, 07:00 (48 hours before it starts). Call the coordinator" in response.content.decode()
    assert not ShiftChangeRequest.objects.exists()


def test_an_ineligible_coworker_named_on_the_page_is_refused(alliedup, lvn, licence, mine, login, alliedup_users):
    lapsing = licensed_worker(alliedup, lvn, licence, expires=THURSDAY - timedelta(days=1), user=UserFactory(),
                              first_name="Ana", last_name="Lapsing")
    response = login(alliedup_users["worker"]).post(f"{BASE}/me/assignments/{mine.uuid}/change/",
                                                    {"action": "swap", "swap-swap_to": str(lapsing.uuid)})
    assert response.status_code == 400 and "Ana Lapsing cannot take this shift" in response.content.decode()
    assert not ShiftChangeRequest.objects.exists()


def test_the_coworker_accepts_on_their_portal_and_nobody_else_can(alliedup, lvn, licence, mine, me, mate, login):
    change = shift_swap_offer(assignment=mine, worker=me, to_worker=mate, reason="Concert tickets")
    client = login(mate.user)
    body = client.get(f"{BASE}/me/schedule/").content.decode()
    assert "Shifts offered to you" in body and "Rosa Delgado offers you their Licensed Vocational Nurse shift" in body
    third = _with_login(alliedup, {}, lvn=lvn, licence=licence, email="third@example.com")
    assert login(third.user).post(f"{BASE}/me/shift-changes/{change.uuid}/accept/").status_code == 404
    assert client.post(f"{BASE}/me/shift-changes/{change.uuid}/accept/").status_code == 302
    assert ShiftChangeRequest.objects.get().status == ShiftChangeRequest.Status.PENDING


def test_another_workers_assignment_is_not_reachable_from_the_portal(mine, mate, login):
    assert login(mate.user).get(f"{BASE}/me/assignments/{mine.uuid}/change/").status_code == 404


# --- staff --------------------------------------------------------------------------------


def test_the_coordinator_approves_a_drop_and_the_fill_board_shows_the_reopened_slot(alliedup, mine, me, login, alliedup_users):
    change = shift_drop_request(assignment=mine, worker=me, reason="Moving house")
    coordinator = login(alliedup_users["coordinator"])
    assert "Shift drops and swaps to decide</a>: <strong>1</strong>" in coordinator.get("/c/alliedup/staff/").content.decode()
    assert "Drops and swaps to decide (1)" in coordinator.get(f"{BASE}/").content.decode()
    page = coordinator.get(f"{BASE}/shift-changes/").content.decode()
    assert "Waiting for your decision (1)" in page and "Moving house" in page

    assert coordinator.post(f"{BASE}/shift-changes/{change.uuid}/approve/").status_code == 302

    board = coordinator.get(f"{BASE}/").content.decode()
    row = board[board.index(f'id="shift-{mine.shift.uuid}"'):]
    assert "Reopened: a worker dropped it" in row[:row.index("</tr>")]
    assert "Drops and swaps to decide (0)" in board
    assert "Closed in the last 14 days" in coordinator.get(f"{BASE}/shift-changes/").content.decode()


def test_payroll_staff_see_requests_but_do_not_decide(mine, me, login, alliedup_users):
    change = shift_drop_request(assignment=mine, worker=me)
    payroll = login(alliedup_users["payroll"])
    assert "Approve: reopen the shift" not in payroll.get(f"{BASE}/shift-changes/").content.decode()
    assert payroll.post(f"{BASE}/shift-changes/{change.uuid}/approve/").status_code == 403
    assert login(alliedup_users["worker"]).get(f"{BASE}/shift-changes/").status_code == 403
    assert ShiftChangeRequest.objects.get().status == ShiftChangeRequest.Status.PENDING


def test_the_staff_page_costs_the_same_queries_for_one_request_or_many(alliedup, contract, lvn, licence, me, login, alliedup_users,
                                                                       django_assert_max_num_queries, coordinator_user):
    coordinator = login(alliedup_users["coordinator"])
    shift_drop_request(assignment=shift_assign(shift=_shift(contract, lvn), worker=me), worker=me)
    with django_assert_max_num_queries(7):
        assert coordinator.get(f"{BASE}/shift-changes/").status_code == 200
    for n in range(1, 9):
        worker = licensed_worker(alliedup, lvn, licence, user=UserFactory())
        mate = licensed_worker(alliedup, lvn, licence, user=UserFactory())
        assignment = shift_assign(shift=_shift(contract, lvn, THURSDAY + timedelta(days=n)), worker=worker)
        change = shift_swap_offer(assignment=assignment, worker=worker, to_worker=mate, reason=f"Swap {n}")
        if n % 2:
            shift_swap_accept(change=change, worker=mate)
        if n % 3 == 0:
            shift_change_decline(change=change, declined_by=coordinator_user)
    with django_assert_max_num_queries(7):
        body = coordinator.get(f"{BASE}/shift-changes/").content.decode()
    assert "Swap 7" in body and "Swap 8" in body


# --- API ----------------------------------------------------------------------------------


def test_api_drop_then_staff_list_and_approve(mine, me, coordinator_user):
    worker = _api(me.user)
    options = worker.get(f"{API}/me/assignments/{mine.uuid}/change/").json()
    assert options["changes_open"] is True and options["cutoff_hours"] == 48 and options["cutoff"] == "2026-11-24T15:00:00Z"
    created = worker.post(f"{API}/me/assignments/{mine.uuid}/change/", {"kind": "drop", "reason": "Exam"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    uuid = created.json()["uuid"]
    assert [c["uuid"] for c in worker.get(f"{API}/me/shift-changes/").json()["results"]] == [uuid]
    assert worker.post(f"{API}/shift-changes/{uuid}/approve/").status_code == 403

    staff = _api(coordinator_user)
    assert [c["uuid"] for c in staff.get(f"{API}/shift-changes/").json()["results"]] == [uuid]
    approved = staff.post(f"{API}/shift-changes/{uuid}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert staff.get(f"{API}/shift-changes/", {"status": "approved"}).json()["count"] == 1
    assert staff.get(f"{API}/shift-changes/", {"status": "nonsense"}).status_code == 400
    assert staff.get(f"{API}/shifts/", {"status": "open"}).json()["results"][0]["uuid"] == str(mine.shift.uuid)


def test_api_swap_accept_decline_and_refusals(alliedup, lvn, licence, mine, me, mate, coordinator_user):
    worker = _api(me.user)
    lapsing = licensed_worker(alliedup, lvn, licence, expires=THURSDAY - timedelta(days=1), user=UserFactory())
    refused = worker.post(f"{API}/me/assignments/{mine.uuid}/change/", {"kind": "swap", "swap_to": str(lapsing.uuid)}, format="json")
    assert refused.status_code == 400 and "swap_to" in refused.json()
    assert worker.post(f"{API}/me/assignments/{mine.uuid}/change/", {"kind": "swap"}, format="json").status_code == 400
    offered = worker.post(f"{API}/me/assignments/{mine.uuid}/change/", {"kind": "swap", "swap_to": str(mate.uuid)}, format="json")
    assert offered.status_code == 201 and offered.json()["swap_to_name"] == "Luis Ortega"
    uuid = offered.json()["uuid"]
    assert worker.post(f"{API}/me/shift-changes/{uuid}/accept/").status_code == 404  # not offered to me
    accepted = _api(mate.user).post(f"{API}/me/shift-changes/{uuid}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "pending"
    declined = _api(coordinator_user).post(f"{API}/shift-changes/{uuid}/decline/", {"note": "Luis is on call."}, format="json")
    assert declined.status_code == 200 and declined.json()["decision_note"] == "Luis is on call."
    assert Assignment.objects.get(pk=mine.pk).status == Assignment.Status.CONFIRMED
    with clock_at("2026-11-25T09:00:00-08:00"):
        late = worker.post(f"{API}/me/assignments/{mine.uuid}/change/", {"kind": "drop"}, format="json")
    assert late.status_code == 400 and "Call the coordinator" in str(late.json())


# --- the setting --------------------------------------------------------------------------


def test_the_cutoff_is_a_coop_setting_with_its_default_shown_and_changes_audited(alliedup, alliedup_users, login):
    admin = alliedup_users["admin"]
    page = login(admin).get("/c/alliedup/settings/").content.decode()
    assert "Workers may ask to drop or swap a shift until this many hours before it" in page
    settings_api = _api(admin)
    body = settings_api.get("/api/v1/c/alliedup/settings/").json()
    assert body["shift_change_cutoff_hours"] == 48 and body["defaults"]["shift_change_cutoff_hours"] == 48
    assert settings_api.patch("/api/v1/c/alliedup/settings/", {"shift_change_cutoff_hours": 24}, format="json").status_code == 200
    event = AuditEvent.objects.get(action=SETTING_CHANGED, data__setting="shift_change_cutoff_hours")
    assert (event.before, event.after) == ({"shift_change_cutoff_hours": 48}, {"shift_change_cutoff_hours": 24})
    assert settings_api.patch("/api/v1/c/alliedup/settings/", {"shift_change_cutoff_hours": 721}, format="json").status_code == 400
