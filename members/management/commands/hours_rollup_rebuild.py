from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from alliedup.models import Cooperative
from members.selectors import hours_rollup_mismatches
from members.services.hours import hours_rollup_rebuild


class Command(BaseCommand):
    help = ("Recompute the monthly hours rollup (members.HoursMonth) of the named co-ops (slugs), or of every co-op "
            "with --all, from their hours ledger. With --check, only report where the rollup and the ledger differ "
            "(exit status 1 if they do).")

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument("--all", action="store_true", help="Every cooperative.")
        parser.add_argument("--check", action="store_true", help="Compare only; change nothing.")

    def handle(self, *args, slugs, all, check, **options):
        if all == bool(slugs):
            raise CommandError("Name co-ops by slug or pass --all (not both).")
        coops = Cooperative.objects.order_by("slug")
        if slugs:
            coops = coops.filter(slug__in=slugs)
            if missing := set(slugs) - {c.slug for c in coops}:
                raise CommandError(f"No cooperative {', '.join(sorted(missing))}.")
        differing = 0
        for coop in coops:
            if check:
                with scope(cooperative=coop):
                    mismatches = hours_rollup_mismatches(coop.pk)
                differing += bool(mismatches)
                self.stdout.write(f"{coop.slug}: {len(mismatches)} month(s) differ from the ledger")
                for worker_id, classification_id, month, ledger, rollup in mismatches[:20]:
                    self.stdout.write(f"  worker {worker_id} classification {classification_id} {month:%Y-%m}: "
                                      f"ledger {ledger}, rollup {rollup}")
            else:
                months = hours_rollup_rebuild(cooperative_ids=[coop.pk])
                self.stdout.write(f"{coop.slug}: {months} month(s) rebuilt")
        if differing:
            raise CommandError(f"{differing} cooperative(s) differ; run without --check to rebuild.", returncode=1)
