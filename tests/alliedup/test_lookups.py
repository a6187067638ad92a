"""`__any_of` (alliedup.lookups): the same rows as `__in`, with the ids sent as one array."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from members.models import Worker
from tests.members.factories import WorkerFactory


def test_any_of_finds_the_same_rows_as_in(alliedup):
    workers = [WorkerFactory(cooperative=alliedup) for _ in range(4)]
    wanted = [workers[0].pk, workers[2].pk, None]
    with scope(cooperative=alliedup):
        _same_rows(workers, wanted)


def _same_rows(workers, wanted):
    assert set(Worker.objects.filter(pk__any_of=wanted)) == set(Worker.objects.filter(pk__in=wanted)) == {workers[0], workers[2]}
    # through a foreign key and a join, and with nothing asked
    assert list(Worker.objects.filter(pk__any_of=[])) == []
    assert Worker.objects.filter(cooperative__any_of={workers[1].cooperative_id}).count() == 4


def test_any_of_sends_a_long_list_as_one_array_parameter(alliedup):
    worker = WorkerFactory(cooperative=alliedup)
    ids = [worker.pk, *range(10**9, 10**9 + 5000)]
    with scope(cooperative=alliedup), CaptureQueriesContext(connection) as captured:
        assert list(Worker.objects.filter(pk__any_of=ids)) == [worker]
    sql = captured.captured_queries[-1]["sql"]
    assert "= ANY(" in sql and " IN (" not in sql
