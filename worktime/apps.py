from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    """Work time, below placements and payroll: workdays and workweeks, worked hours, overtime
    splitting (overtime.py) and the co-op's holiday calendar (models, services, selectors)."""

    name = "worktime"
    label = "worktime"
    default_auto_field = "django.db.models.BigAutoField"
