from django.apps import AppConfig


class PatronageConfig(AppConfig):
    """Patronage allocations and capital accounts: a module of payroll with its own tables."""

    name = "payroll.patronage"
    label = "patronage"
    default_auto_field = "django.db.models.BigAutoField"
