from django.apps import AppConfig


class ContentConfig(AppConfig):
    """An app for its management commands: reading, checking and loading content/ (`validate_content`, `load_content`) (no models)."""

    name = "ceds.content"
