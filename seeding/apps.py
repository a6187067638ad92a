from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """Demo and generated data: `manage.py seed_demo` (`make run`) and `manage.py generate_data`
    (the benchmarks of `make bench`). The top layer: it writes through every app below and no
    app imports it. No models."""

    name = "seeding"
    label = "seeding"
    default_auto_field = "django.db.models.BigAutoField"
