from django.apps import AppConfig


class DemoConfig(AppConfig):
    """An app for its management commands: demo data behind `manage.py seed_demo` (no models)."""

    name = "ceds.demo"
