from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    """A co-op's set-up: bylaws settings, catalogue, first-run checklist, roster import. A top
    layer: it writes through members, payroll and patronage, and no app imports it. No models."""

    name = "onboarding"
    label = "onboarding"
    default_auto_field = "django.db.models.BigAutoField"
