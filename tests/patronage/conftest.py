import pytest

from tests.members.factories import JobClassificationFactory


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    """Patronage tests act inside alliedup, as a request to /c/alliedup/ would."""
    with in_scope(alliedup):
        yield


@pytest.fixture
def ma(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="ma", name="Medical Assistant")
