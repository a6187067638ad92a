from django.conf import settings
from django.core.management.base import BaseCommand

from seeding.demo import VOTER, seed


class Command(BaseCommand):
    help = ("Create the demo cooperatives (alliedup, nursescan), a user per role and a year of their history; "
            "idempotent. Prints the logins last.")

    def handle(self, *args, **options):
        logins = seed()  # sends no email (seeding.demo), so nothing else prints in between
        self.stdout.write("Demo data ready: a year of shifts, pay statements and invoices in each co-op, "
                          "and a board election and a resolution open for voting now.")
        if settings.DEMO_SKIP_STAFF_MFA:
            self.stdout.write("Two-factor sign-in is off for staff and board: DEMO_SKIP_STAFF_MFA, the demo only "
                              "(production refuses it).")
        elif settings.MFA_REQUIRED_ROLES:
            self.stdout.write(
                f"Roles {', '.join(settings.MFA_REQUIRED_ROLES)} set up an authenticator app (TOTP) on entering; "
                "DEMO_SKIP_STAFF_MFA=true (as `make run` sets it) skips that in the demo."
            )
        voter = next(login for login in logins if login.email == VOTER)
        self.stdout.write(f"To vote in the board election, sign in as the worker-owner {voter.email} / {voter.password}.")
        # The logins come last: they are what a visitor looks for at the bottom of the terminal.
        self.stdout.write(self.style.SUCCESS("Sign in at http://127.0.0.1:8000/ with:"))
        self.stdout.write(f"  {'cooperative':<22} {'role':<22} {'email':<36} password")
        for login in logins:
            self.stdout.write(f"  {login.cooperative:<22} {login.role:<22} {login.email:<36} {login.password}")
