"""Shared fixtures: an owner cooperative (`alliedup`) and an outsider (`nursescan`), each
with one user per role. Tests open scopes themselves, as production code does.

`ALLIEDUP_TEST_NOW` (an ISO datetime, e.g. `2028-02-29T19:00:00Z`) moves the whole suite's
clock there before any test runs (`make test-clock` runs the suite at several such dates), so a
test that assumes today's date fails here rather than on a user's machine on another day."""

import os
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_scopes import scope, scopes_disabled

from alliedup.models import Role
from tests.factories import PASSWORD, CooperativeFactory, CooperativeRoleFactory, UserFactory



def pytest_configure(config):
    moved_to = os.environ.get("ALLIEDUP_TEST_NOW", "").strip()
    if not moved_to:
        return
    when = datetime.fromisoformat(moved_to.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise pytest.UsageError(f"ALLIEDUP_TEST_NOW={moved_to!r} needs a UTC offset, e.g. 2028-02-29T19:00:00Z")
    # tick=True: the clock runs on from there (timeouts and "seconds ago" still behave);
    # tests that need one instant nest their own time_machine.travel.
    config._alliedup_clock = time_machine.travel(when, tick=True)
    config._alliedup_clock.start()


def pytest_report_header(config):
    clock = getattr(config, "_alliedup_clock", None)
    return f"clock moved to {datetime.now().astimezone().isoformat()} (ALLIEDUP_TEST_NOW)" if clock else None


def clock_at(value: str, *, tick: bool = True):
    """A time-machine traveller to `value`: a day ("2026-11-23", noon in California, where the
    co-ops of the tests keep their days) or an ISO datetime with its offset."""
    when = datetime.fromisoformat(value) if "T" in value else datetime.combine(
        datetime.fromisoformat(value).date(), time(12), tzinfo=ZoneInfo("America/Los_Angeles")
    )
    return time_machine.travel(when, tick=tick)


@pytest.fixture(autouse=True)
def _fixed_today(request):
    """`@pytest.mark.today("2026-11-23")` (or `pytestmark = ...` for a module whose data sits
    on calendar dates) runs the test with the clock at that day (`clock_at`). Unmarked tests
    run at the real (or moved, ALLIEDUP_TEST_NOW) clock."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with clock_at(marker.args[0]):
        yield


# Text that appears only in the outsider's data: no response to an alliedup user may show it.
OUTSIDER_MARKER = "NursesCan-Secret-7f3a"


@pytest.fixture
def alliedup(db):
    return CooperativeFactory(slug="alliedup", name="AlliedUP Cooperative")


@pytest.fixture
def nursescan(db):
    return CooperativeFactory(slug="nursescan", name=f"{OUTSIDER_MARKER} Cooperative")


def _users_with_roles(cooperative):
    users = {}
    for role in Role.values:
        user = UserFactory(email=f"{role}@{cooperative.slug}.example.com", full_name=f"{role.title()} of {cooperative.slug}")
        CooperativeRoleFactory(cooperative=cooperative, user=user, role=role)
        users[role] = user
    return users


@pytest.fixture
def alliedup_users(alliedup):
    return _users_with_roles(alliedup)


@pytest.fixture
def nursescan_users(nursescan):
    return _users_with_roles(nursescan)


@pytest.fixture
def login():
    """login(user) -> a Client signed in as that user (through allauth's backend)."""

    def _login(user):
        client = Client()
        assert client.login(email=user.email, password=PASSWORD)
        return client

    return _login


@pytest.fixture
def in_scope():
    """in_scope(coop) -> context manager opening that cooperative's scope."""
    return lambda cooperative: scope(cooperative=cooperative)


@pytest.fixture
def unscoped():
    return scopes_disabled
