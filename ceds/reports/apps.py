from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ceds.reports"
    verbose_name = _("Reports")

    def ready(self):
        from ceds.reports import signals

        signals.connect()
