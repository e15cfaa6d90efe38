from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ceds.audit"
    label = "portal_audit"
    verbose_name = "Portal audit"
