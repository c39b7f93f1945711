from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "civsam.stats"
    label = "stats"
    verbose_name = _("Statistik")

    def ready(self):
        # The plan's indicator "organisations per 1,000 inhabitants" reads the stored figures
        # (ADR 0112); the plan never imports this app (ADR 0055).
        from .computations import register_computations

        register_computations()
