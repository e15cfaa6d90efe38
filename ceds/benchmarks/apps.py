from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "ceds.benchmarks"
    verbose_name = _("Benchmarks")

    def ready(self):
        from ceds.benchmarks.signals import on_city_changed
        from ceds.cities.signals import city_changed

        city_changed.connect(on_city_changed, dispatch_uid="benchmarks.on_city_changed")
