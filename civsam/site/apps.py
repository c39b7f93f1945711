from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The shell at the top of the layers: home page, "Min sida", the public information pages,
    error pages and the command that loads every app's reference data. It may read every app;
    no app reads it. It has no models, so it needs no verbose name."""

    name = "civsam.site"
    label = "site"
