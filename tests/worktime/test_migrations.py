"""The holiday calendar moved from payroll to worktime keeping its rows: worktime 0001 takes
the model over in Django's state on payroll's table, payroll 0008 drops it from payroll's
state, worktime 0002 renames payroll_holiday to worktime_holiday. A database holding holidays
in the old table is migrated forward, back and forward again; the rows stay each time."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

from worktime.models import Holiday

BEFORE = [("payroll", "0007_entry_guards"), ("worktime", None)]  # the calendar still in payroll


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_holidays_in_payrolls_table_survive_the_move_to_worktime_and_back(alliedup):
    executor = _migrate(BEFORE)
    assert "payroll_holiday" in _tables() and "worktime_holiday" not in _tables()
    OldHoliday = executor.loader.project_state(("payroll", "0007_entry_guards")).apps.get_model("payroll", "Holiday")
    OldHoliday.objects.create(cooperative_id=alliedup.pk, day=date(2026, 11, 11), name="Veterans Day")
    OldHoliday.objects.create(cooperative_id=alliedup.pk, day=date(2026, 12, 25), name="Christmas Day")
    old_rows = sorted(OldHoliday.objects.values_list("id", "cooperative_id", "day", "name"))

    _migrate(_leaves())
    assert "worktime_holiday" in _tables() and "payroll_holiday" not in _tables()
    with scopes_disabled():
        assert sorted(Holiday.objects.values_list("id", "cooperative_id", "day", "name")) == old_rows
        # New days go on from the old ids; the one-a-day constraint came along.
        added = Holiday.objects.create(cooperative=alliedup, day=date(2026, 11, 26), name="Thanksgiving Day")
        assert added.pk > max(row[0] for row in old_rows)
    assert ContentType.objects.filter(app_label="worktime", model="holiday").exists()

    executor = _migrate(BEFORE)  # and back: the rows are in payroll's table again
    assert "payroll_holiday" in _tables() and "worktime_holiday" not in _tables()
    OldHoliday = executor.loader.project_state(("payroll", "0007_entry_guards")).apps.get_model("payroll", "Holiday")
    assert OldHoliday.objects.count() == 3

    _migrate(_leaves())
    with scopes_disabled():
        assert Holiday.objects.filter(cooperative=alliedup).count() == 3
