"""Ballot secrecy against database readers (docs/governance.md): the sealed holding table for
cast ballots, the per-vote minimum batch, and the ballots already stored rewritten.

Ballots cast before this migration were written in their voter's transaction: their xmin is
their participation's, and their physical order is the order of casting. The last operation
rewrites every stored ballot (same keys, receipts and content) in one transaction, in random
order, so their xmin is this migration's and their order says nothing. The old row versions
stay on disk as dead tuples until vacuumed: run `VACUUM FULL governance_electionballot,
governance_resolutionballot;` after migrating (it cannot run inside a migration's
transaction), and see the docs for backups and WAL archives made before.
"""

import secrets
import uuid

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

BATCH_HELP = ("Cast ballots move from the sealed holding table into the ballot table in random batches of at least this many, "
              "so a database reader can narrow a voter's ballot down to no fewer than this many.")


def rewrite_stored_ballots(apps, schema_editor):
    rng = secrets.SystemRandom()
    for name in ("ElectionBallot", "ResolutionBallot"):
        model = apps.get_model("governance", name)
        rows = list(model._base_manager.all())
        if not rows:
            continue
        rng.shuffle(rows)
        model._base_manager.all().delete()
        model._base_manager.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingBallot",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("receipt_digest", models.CharField(max_length=64, unique=True)),
                ("sealed", models.TextField()),
                ("cooperative", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="alliedup.cooperative")),
                ("election", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                               related_name="pending_ballots", to="governance.election")),
                ("resolution", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                 related_name="pending_ballots", to="governance.resolution")),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(models.Q(("election__isnull", False), ("resolution__isnull", True)),
                                           models.Q(("election__isnull", True), ("resolution__isnull", False)), _connector="OR"),
                        name="pending_ballot_for_one_vote",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="election",
            name="ballot_batch_min",
            field=models.PositiveSmallIntegerField(default=10, help_text=BATCH_HELP, validators=[django.core.validators.MinValueValidator(2)]),
        ),
        migrations.AddField(
            model_name="resolution",
            name="ballot_batch_min",
            field=models.PositiveSmallIntegerField(default=10, help_text=BATCH_HELP, validators=[django.core.validators.MinValueValidator(2)]),
        ),
        migrations.AddConstraint(
            model_name="election",
            constraint=models.CheckConstraint(condition=models.Q(("ballot_batch_min__gte", 2)), name="election_ballot_batch_of_two_or_more"),
        ),
        migrations.AddConstraint(
            model_name="resolution",
            constraint=models.CheckConstraint(condition=models.Q(("ballot_batch_min__gte", 2)), name="resolution_ballot_batch_of_two_or_more"),
        ),
        migrations.RunPython(rewrite_stored_ballots, migrations.RunPython.noop),
    ]
