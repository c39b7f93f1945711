from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "civsam.privacy"
    label = "privacy"
    verbose_name = _("Dataskydd")

    def ready(self) -> None:
        # The retention of what lies below the domain apps (logins, the audit log, requests) is
        # applied from here; each domain app registers its own kinds (core.privacy).
        from .retention import register_handlers

        register_handlers()
