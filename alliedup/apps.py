from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AlliedupConfig(AppConfig):
    name = "alliedup"
    verbose_name = "Tenancy core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from alliedup import lookups  # noqa: F401, PLC0415 (registers `__any_of` on every field)
        from alliedup.models import Role  # noqa: PLC0415 (cycle: models need the app registry this method runs in)

        # A typo ("coordinater") would silently exempt a role from two-factor authentication.
        unknown = sorted(set(settings.MFA_REQUIRED_ROLES) - set(Role.values))
        if unknown:
            raise ImproperlyConfigured(
                f"MFA_REQUIRED_ROLES names unknown roles {unknown}; known: {', '.join(Role.values)}"
            )
