from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """An app for its management commands: a person's data across apps: export, erasure, retention (no models)."""

    name = "ceds.privacy"
