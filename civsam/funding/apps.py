from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "civsam.funding"
    label = "funding"
    verbose_name = _("Finansiering och bidrag")

    def ready(self):
        # The plan's computed indicators over the grant register (ADR 0055: the serving app
        # registers them; the plan never imports funding).
        from .computations import register_computations

        register_computations()
        from .personal_data import register_provider  # a person's data export (accounts.personal_data)

        register_provider()
        # The initiative form's funding lines, the follow-up export's column and the annual
        # report's co-financing (ADR 0103: the plan asks what is registered).
        from .plan_parts import register as register_plan_parts

        register_plan_parts()
