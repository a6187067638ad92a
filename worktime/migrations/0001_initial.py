"""The holiday calendar moves from payroll to worktime, keeping its rows: this migration
takes over the model in Django's state on payroll's existing table (no SQL); payroll 0008
drops it from payroll's state; 0002 renames the table to worktime_holiday."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("alliedup", "0003_patronage_and_board_bylaws_settings"),
        ("payroll", "0007_entry_guards"),  # the table payroll 0003 created
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Holiday",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("day", models.DateField()),
                        ("name", models.CharField(max_length=100)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("cooperative", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                          to="alliedup.cooperative")),
                    ],
                    options={
                        "ordering": ["day"],
                        "db_table": "payroll_holiday",
                        "constraints": [models.UniqueConstraint(fields=("cooperative", "day"), name="one_holiday_a_day")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
