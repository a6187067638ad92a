from django.apps import AppConfig


class PatronageConfig(AppConfig):
    """Patronage allocations, capital accounts and the redemption on exit: its own app above
    payroll and governance (docs/architecture.md).

    It lived in payroll/patronage/ until issue 16 but always had the label "patronage", and
    Django names tables and records applied migrations by the label, not by the Python package:
    the tables (patronage_fiscalyear, …) and the django_migrations rows ("patronage",
    "0001_initial" …) stay as they are, so moving the package needed no table rename and no
    new migration (tests/patronage/test_app_move.py)."""

    name = "patronage"
    label = "patronage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Install patronage's exit in members' exit hook (members.services.exit explains it)."""
        # cycle: the services import models, which are not ready when Django imports apps.py
        from members.services.exit import exit_service_register  # noqa: PLC0415
        from patronage.services.exit import ownership_exit  # noqa: PLC0415

        exit_service_register(ownership_exit)
