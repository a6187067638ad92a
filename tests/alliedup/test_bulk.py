"""alliedup.bulk.copy_rows: COPY's text format keeps every value as given."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django_scopes import scopes_disabled

from alliedup.bulk import copy_rows
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
