from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "civsam.meetings"
    label = "meetings"
    verbose_name = _("Nätverk och mötesplatser")

    def ready(self) -> None:
        # Computed indicators over meetings' data join the plan's registry from here, so that the
        # plan never imports the apps that serve it.
        from civsam.plan.computations import register

        from .computations import COMPUTATIONS

        for computation in COMPUTATIONS:
            register(computation)
        from .personal_data import register_provider  # a person's data export (accounts.personal_data)

        register_provider()
