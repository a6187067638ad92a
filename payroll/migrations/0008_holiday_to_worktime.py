"""The holiday calendar moved to worktime (worktime 0001 took the model over on this table):
drop it from payroll's state only; the table and its rows stay (worktime 0002 renames it)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("payroll", "0007_entry_guards"),
        ("worktime", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Holiday")],
            database_operations=[],
        ),
    ]
