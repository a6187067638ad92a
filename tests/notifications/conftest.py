"""Fixtures of the notification tests: a client with an LVN contract in `alliedup`, workers
with a login, a shift booker, the SMS outbox, and a stand-in for a bound Celery task. The
notices tests of placements, payroll and governance import what they need from here."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from alliedup.models import Role
from members.models import WorkerCredential
from notifications import sms
from notifications.models import NotificationProfile, NotificationSettings
from placements.models import Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from tests.factories import CooperativeRoleFactory, UserFactory
from tests.members.factories import WorkerFactory

# The LVN classification and its required licence are the placements tests' own fixtures.
from tests.placements.conftest import LICENCE_VALID_UNTIL, licence, lvn  # noqa: E402,F401


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


@pytest.fixture(autouse=True)
def smsoutbox():
    """The locmem SMS backend's outbox, empty for each test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def contract(alliedup, lvn):
    client = client_create(cooperative=alliedup, name="Eastbay Skilled Nursing", address="1200 Main St, Oakland")
    contract = contract_create(client=client, reference="ESN-2026", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="52.00")
    return contract


def worker_with_login(coop, *, classifications=(), language="", **kw):
    """A worker linked to a user holding the worker role in `coop`."""
    user = UserFactory(language=language)
    CooperativeRoleFactory(cooperative=coop, user=user, role=Role.WORKER)
    return WorkerFactory(cooperative=coop, user=user, email=user.email, classifications=list(classifications), **kw)


@pytest.fixture
def nurse(alliedup, lvn):
    return worker_with_login(alliedup, classifications=[lvn], first_name="Ana", last_name="Reyes")


def order(contract, lvn, day: date, start=time(7), end=time(15), **kw) -> list[Shift]:
    """A job order on `day` and its shifts."""
    job_order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=start,
                                 shift_end=end, **kw)
    return list(Shift.objects.filter(job_order=job_order).order_by("id"))


def book(contract, lvn, worker, day: date, **kw):
    """A shift on `day` assigned (confirmed) to `worker`."""
    return shift_assign(shift=order(contract, lvn, day)[0], worker=worker, **kw)


def sms_on(coop):
    NotificationSettings.objects.update_or_create(cooperative=coop, defaults={"sms_enabled": True})


def opt_in_sms(worker, phone="+15105550100"):
    NotificationProfile.objects.update_or_create(cooperative=worker.cooperative, worker=worker,
                                                 defaults={"sms_phone": phone, "sms_consented_at": timezone.now()})


def licensed(worker, licence, expires=LICENCE_VALID_UNTIL):
    WorkerCredential.objects.create(cooperative=worker.cooperative, worker=worker, credential_type=licence, expires_on=expires)
    return worker


class FakeTask:
    """Stands in for the bound Celery task: retry() returns the exception to raise."""

    class Retry(Exception):
        pass

    def retry(self, exc):
        return self.Retry(exc)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=ZoneInfo("America/Los_Angeles"))


ONE_DAY = timedelta(days=1)
