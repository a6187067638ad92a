from datetime import date, time

import pytest

from members.models import CredentialRequirement, CredentialType, WorkerCredential
from placements.services.clients import bill_rate_set, client_create, contract_create
from tests.members.factories import JobClassificationFactory, WorkerFactory

# A licence that outlives any clock the suite runs at (`make test-clock` moves it years ahead);
# tests of expiry pass their own date.
LICENCE_VALID_UNTIL = date(2099, 12, 31)


def licensed_worker(cooperative, classification, licence, expires=LICENCE_VALID_UNTIL, **kw):
    """A worker hired in `classification` holding `licence` until `expires`."""
    worker = WorkerFactory(cooperative=cooperative, classifications=[classification], **kw)
    WorkerCredential.objects.create(cooperative=cooperative, worker=worker, credential_type=licence, expires_on=expires)
    return worker


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


@pytest.fixture
def lvn(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")


@pytest.fixture
def licence(alliedup, lvn):
    ctype = CredentialType.objects.create(cooperative=alliedup, code="lvn-licence", name="LVN licence")
    CredentialRequirement.objects.create(cooperative=alliedup, credential_type=ctype, classification=lvn)
    return ctype


@pytest.fixture
def contract(alliedup, lvn):
    client = client_create(cooperative=alliedup, name="Eastbay Skilled Nursing")
    contract = contract_create(client=client, reference="ESN-2026", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="52.00")
    return contract


NIGHT = (time(19, 0), time(7, 0))
DAY = (time(7, 0), time(15, 30))
