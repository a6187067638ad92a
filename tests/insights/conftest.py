import pytest

from tests.insights.helpers import Builder


@pytest.fixture
def build(alliedup, in_scope):
    with in_scope(alliedup):
        yield Builder(alliedup)
