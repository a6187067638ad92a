from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Co-op insights: the figures the co-op lives by, as charts and reports. No models."""

    name = "insights"
    default_auto_field = "django.db.models.BigAutoField"
