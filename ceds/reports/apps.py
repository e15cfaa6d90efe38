from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ceds.reports"
    verbose_name = _("Reports")

    def ready(self):
        from ceds.assessments.signals import reopened, validated
        from ceds.reports import issue, signals

        signals.connect()
        validated.connect(issue.on_validation, dispatch_uid="report-issued-on-validation")
        reopened.connect(issue.on_reopen, dispatch_uid="report-set-aside-on-reopen")
