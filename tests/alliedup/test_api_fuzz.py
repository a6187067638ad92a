"""The API answers no request with a server error: schemathesis over the whole OpenAPI schema.

In-process against the WSGI app, signed in (token) as the admin of a co-op holding
realistic data (tests/alliedup/fuzz_data.py), with the co-op slug fixed to that co-op and
each object path parameter to that co-op's objects (in several states each), so requests
reach the views rather than a 404. Valid and invalid inputs alike (schemathesis' positive
and negative modes) must get a 2xx/3xx/4xx. Dates are drawn mostly near the data's dates
(so more requests get past validation) and sometimes at Python's limits (0001-01-01,
9999-12-31), where a "day after" or a time zone conversion overflows.

Bounded and reproducible for CI: derandomized generation, a few examples per operation, no
shrinking, no example database. Each request runs in a savepoint rolled back afterwards,
so every example sees the same data and nothing outlives the test.

One test drives Hypothesis itself over `schema.get_all_operations()`, rather than
`schemathesis.pytest.from_fixture`, whose per-operation reporting breaks on pytest 9.2
(it writes the removed `Node._nodeid`); the failures of all operations are reported together.
"""

from datetime import date, timedelta

import hypothesis
import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from alliedup.wsgi import application
from tests.alliedup import fuzz_data

EXAMPLES_PER_OPERATION = 6
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],  # no shrinking, no replay database
    suppress_health_check=list(hypothesis.HealthCheck), verbosity=hypothesis.Verbosity.quiet,
)
TODAY = fuzz_data.NOW.date()
DATES = st.one_of(
    st.dates(TODAY - timedelta(days=800), TODAY + timedelta(days=800)),
    st.sampled_from([date.min, date.max]),
    st.dates(),
)
DATE_TIMES = st.builds(
    lambda day, time, offset: f"{day.isoformat()}T{time.isoformat(timespec='seconds')}{offset}",
    DATES, st.times(), st.sampled_from(["Z", "-08:00", "+14:00", "-12:00"]),
)


@pytest.fixture
def fuzz_target(db):
    """(path parameters: name -> values, request headers), with the clock at fuzz_data.NOW."""
    with time_machine.travel(fuzz_data.NOW, tick=True):
        coop, admin, uuids = fuzz_data.build()
        token = Token.objects.create(user=admin)
        yield {"coop_slug": [coop.slug], **uuids}, {"Authorization": f"Token {token.key}"}


@pytest.fixture
def connection_kept_open():
    """The WSGI handler closes the database connection at the end of each request (not in
    autocommit: the test's transaction), which would end the test's transaction; Django's test
    Client disconnects the same receivers around its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def date_formats():
    schemathesis.openapi.format("date", DATES.map(date.isoformat))
    schemathesis.openapi.format("date-time", DATE_TIMES)
    yield
    from schemathesis.specs.openapi.formats import unregister_string_format

    unregister_string_format("date")
    unregister_string_format("date-time")


def _path_choices(operation, parameters) -> list[dict]:
    """Fixed path parameters for `operation`: the i-th choice takes each parameter's i-th
    object (cycling), so every object of every parameter is used."""
    names = [p.name for p in operation.path_parameters]
    missing = [n for n in names if n not in parameters]
    assert not missing, f"{operation.label}: add objects for {missing} to tests/alliedup/fuzz_data.py"
    rounds = max((len(parameters[n]) for n in names), default=1)
    return [{n: parameters[n][i % len(parameters[n])] for n in names} for i in range(rounds)]


def _fuzz(operation, parameters, headers) -> None:
    strategy = st.one_of([
        operation.as_strategy(mode, path_parameters=fixed, headers=headers)
        for fixed in _path_choices(operation, parameters)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ])

    @SETTINGS
    @hypothesis.given(case=strategy)
    def run(case):
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=[not_a_server_error])

    run()


def test_no_api_operation_answers_a_server_error(fuzz_target, connection_kept_open, date_formats):
    parameters, headers = fuzz_target
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures, tested = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tested += 1
        try:
            _fuzz(operation, parameters, headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report every operation's failure together
            failures.append(f"{operation.label}: {exc}")
    assert tested > 100, "the schema lost its operations"
    assert not failures, f"{len(failures)} of {tested} operations answered a server error:\n\n" + "\n\n".join(failures)
