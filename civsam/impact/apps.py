from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "civsam.impact"
    label = "impact"
    verbose_name = _("Socialt värde")
