"""Demo: an official history for the demo organisations, then the statistics computed."""

from django.core.management.base import BaseCommand

from civsam.core.models import Municipality
from civsam.plan.services import indicators_recompute
from civsam.registry.services.demo import demo_register_history_set
from civsam.stats.demo import kolada_demo_values
from civsam.stats.models import ExternalFigure
from civsam.stats.selectors import years
from civsam.stats.services import (
    external_figures_set,
    national_figures_load_reference,
    population_load_reference,
    statistics_compute,
)


class Command(BaseCommand):
    help = "Ger demoorganisationerna registrerings- och avregistreringsdatum och beräknar statistiken."

    def handle(self, *args, **options):
        changed = demo_register_history_set()
        population_load_reference()
        national_figures_load_reference()
        if not ExternalFigure.objects.filter(source=ExternalFigure.Source.KOLADA).exists():  # real ones are kept
            codes = list(Municipality.objects.values_list("code", flat=True))
            external_figures_set(source=ExternalFigure.Source.KOLADA, values=kolada_demo_values(codes))
        written = statistics_compute()
        for year in years():  # the plan's computed indicators read the figures just stored
            indicators_recompute(year=year)
        self.stdout.write(f"{changed} demoorganisationer fick datum; {written} statistikuppgifter beräknade.")
