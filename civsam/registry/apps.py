from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "civsam.registry"
    label = "registry"
    verbose_name = _("Aktörsregister")

    def ready(self) -> None:
        # What this app holds about a person joins their data export (accounts.personal_data).
        from .personal_data import register_provider

        register_provider()
