from django.apps import AppConfig


class AlliedupConfig(AppConfig):
    name = "alliedup"
    verbose_name = "Tenancy core"
    default_auto_field = "django.db.models.BigAutoField"
