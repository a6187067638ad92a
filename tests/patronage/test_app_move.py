"""patronage moved from payroll/patronage/ to its own top-level app (issue 16) without touching
an existing database: Django names tables and records applied migrations by the app label, and
the label was "patronage" before and after. So no table is renamed and no migration is added;
these tests hold that down."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from patronage.models import CapitalAccountEntry
from tests.members.factories import WorkerFactory

# The migrations the app had under payroll/patronage/, by the names django_migrations holds.
OLD_NODES = [("patronage", "0001_initial"), ("patronage", "0002_redemption_schedules"), ("patronage", "0003_capital_opening_balance")]


def test_the_label_tables_and_migration_names_are_the_old_ones():
    config = apps.get_app_config("patronage")
    assert (config.name, config.label) == ("patronage", "patronage")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert sorted(node for node in loader.graph.nodes if node[0] == "patronage") == OLD_NODES
    assert loader.migrations_module("patronage")[0] == "patronage.migrations"
    assert {model._meta.db_table for model in config.get_models()} == {
        "patronage_fiscalyear", "patronage_patronageallocation", "patronage_patronageallocationline",
        "patronage_capitalaccountentry", "patronage_redemptionschedule", "patronage_redemptioninstallment",
    }


def _migrate(targets) -> list:
    """Migrate the test database to `targets`; returns the plan that was run (a fresh executor
    each time, so it reads what django_migrations now says)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(targets)
    executor.migrate(targets)
    return plan


def _leaves() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)  # schema changes beside rows: each migration commits
def test_a_database_of_the_old_package_migrates_forward_with_its_capital_accounts(alliedup):
    try:
        # The state payroll/patronage left behind: its last migration applied, a capital account row.
        _migrate([OLD_NODES[-1]])
        worker = WorkerFactory(cooperative=alliedup)
        entry = CapitalAccountEntry.objects.create(
            cooperative=alliedup, worker=worker, kind=CapitalAccountEntry.Kind.PATRONAGE, amount=Decimal("720.00"),
            effective_on=date(2025, 12, 31), reference="patronage-2025-old-package",
        )
        plan = _migrate(_leaves())
        assert not [m for m, _ in plan if m.app_label == "patronage"]  # nothing to apply: same names, same label
        # Rolled back one step and forward again, the migration file found in the new package
        # applies to the same table holding the same row.
        _migrate([OLD_NODES[1]])
        plan = _migrate(_leaves())
        assert [(m.app_label, m.name) for m, backwards in plan if not backwards] == [OLD_NODES[2]]
    finally:
        _migrate(_leaves())
    kept = CapitalAccountEntry.objects.get(pk=entry.pk)
    assert (kept.worker_id, kept.kind, kept.amount, kept.reference) == (worker.pk, "patronage", Decimal("720.00"), "patronage-2025-old-package")
