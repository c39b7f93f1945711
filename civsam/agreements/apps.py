from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "civsam.agreements"
    label = "agreements"
    verbose_name = _("Överenskommelser och IOP")

    def ready(self) -> None:
        # The plan's indicator "active IOPs" is counted here, in place of the plan's placeholder
        # (ADR 0055: the serving app registers; the plan never imports agreements).
        from civsam.plan.computations import register

        from .computations import COMPUTATIONS

        for computation in COMPUTATIONS:
            register(computation)
