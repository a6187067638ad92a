"""alliedup.bulk.copy_rows: COPY's text format keeps every value as given; copy_pieces writes
piece after piece while a thread makes the next, and hands back what goes wrong on either side."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django_scopes import scopes_disabled

from alliedup.bulk import copy_pieces, copy_rows
from alliedup.models import AuditEvent

TEXTS = ["None", "a\ttab", "a line\nbreak\r", "back\\slash \\N", "", "\\N", "N\\one", "é ✓"]


def test_copy_rows_keeps_text_with_tabs_breaks_backslashes_and_the_word_none(alliedup):
    at = datetime(2026, 11, 2, 7, 0, tzinfo=ZoneInfo("UTC"))
    rows = [{"cooperative_id": alliedup.pk, "action": text, "object_type": text, "object_repr": text,
             "before": {"text": text, "nothing": None}, "data": {"list": [1, "None", text]}, "created_at": at}
            for text in TEXTS]
    assert copy_rows(AuditEvent, rows) == len(TEXTS)
    with scopes_disabled():
        events = list(AuditEvent.objects.filter(cooperative=alliedup).order_by("id"))
    assert [(e.action, e.object_type, e.object_repr, e.before, e.data, e.created_at) for e in events] == [
        (t, t, t, {"text": t, "nothing": None}, {"list": [1, "None", t]}, at) for t in TEXTS
    ]
    assert [(e.object_id, e.after, e.actor_id) for e in events] == [("", {}, None)] * len(TEXTS)  # defaults, NULL


def test_copy_rows_fills_callable_defaults_and_shared_columns(alliedup):
    assert copy_rows(AuditEvent, [{"action": "a"}, {"action": "b"}], same={"cooperative_id": alliedup.pk}) == 2
    with scopes_disabled():
        events = list(AuditEvent.objects.filter(cooperative=alliedup).order_by("id"))
    assert [e.action for e in events] == ["a", "b"]
    assert all(e.created_at is not None and e.data == {} for e in events)


def _actions(coop) -> list[str]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(cooperative=coop).order_by("id").values_list("action", flat=True))


def test_copy_pieces_writes_every_piece_in_order_and_skips_empty_ones(alliedup):
    made = []  # which thread made the rows: not the caller's

    def piece(name, count):
        for i in range(count):
            made.append(threading.current_thread())
            yield {"action": f"{name}{i}", "object_repr": "None" if i == 0 else "tab\there"}

    count = copy_pieces(AuditEvent, [piece("a", 3), iter(()), piece("b", 2), piece("c", 1)], same={"cooperative_id": alliedup.pk})
    assert count == 6 and _actions(alliedup) == ["a0", "a1", "a2", "b0", "b1", "c0"]
    with scopes_disabled():
        assert AuditEvent.objects.filter(cooperative=alliedup, object_repr="None").count() == 3  # the text, not NULL
    assert made and threading.current_thread() not in made
    assert copy_pieces(AuditEvent, [iter(()), iter(())], same={"cooperative_id": alliedup.pk}) == 0


def test_an_error_making_a_piece_is_raised_to_the_caller_and_the_thread_ends(alliedup):
    def broken():
        yield {"action": "first"}
        raise ValueError("no wage")

    before = threading.active_count()
    with pytest.raises(ValueError, match="no wage"), transaction.atomic():
        copy_pieces(AuditEvent, [iter([{"action": "written"}]), broken()], same={"cooperative_id": alliedup.pk})
    assert threading.active_count() == before and _actions(alliedup) == []


def test_a_database_error_in_a_piece_stops_the_thread_making_the_next(alliedup):
    made = []

    def later():
        for i in range(1000):
            made.append(i)
            yield {"action": f"later{i}"}

    before = threading.active_count()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_pieces(AuditEvent, [iter([{"action": None}]), later(), later(), later()], same={"cooperative_id": alliedup.pk})
    assert threading.active_count() == before and _actions(alliedup) == []
    assert len(made) <= 2000  # the thread stopped: the last piece was never made


def test_a_piece_that_runs_a_query_is_refused(alliedup):
    def reading():
        with connection.cursor() as cursor:  # would read outside the caller's transaction
            cursor.execute("SELECT 1")
        yield {"action": "read"}

    with pytest.raises(RuntimeError, match="ran a query"), transaction.atomic():
        copy_pieces(AuditEvent, [reading()], same={"cooperative_id": alliedup.pk})
