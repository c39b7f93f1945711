from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "civsam.plan"
    label = "plan"
    verbose_name = _("Handlingsplan")

    def ready(self) -> None:
        # What this app holds about a person joins their data export (accounts.personal_data).
        from .personal_data import register_provider

        register_provider()
