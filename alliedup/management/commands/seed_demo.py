from django.conf import settings
from django.core.management.base import BaseCommand

from alliedup.demo import seed


class Command(BaseCommand):
    help = "Create the demo cooperatives (alliedup, nursescan) and a user per role; idempotent."

    def handle(self, *args, **options):
        logins = seed()
        self.stdout.write(self.style.SUCCESS("Demo ready. Sign in at http://127.0.0.1:8000/ with:"))
        self.stdout.write(f"  {'cooperative':<22} {'role':<22} {'email':<36} password")
        for login in logins:
            self.stdout.write(f"  {login.cooperative:<22} {login.role:<22} {login.email:<36} {login.password}")
        if settings.MFA_REQUIRED_ROLES:
            self.stdout.write(
                f"Roles {', '.join(settings.MFA_REQUIRED_ROLES)} set up an authenticator app (TOTP) on "
                "entering; MFA_REQUIRED_ROLES= make run skips that."
            )
