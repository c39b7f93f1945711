"""Demo: an official history for the demo organisations, then the statistics computed."""

from django.core.management.base import BaseCommand

from civsam.plan.services import indicators_recompute
from civsam.registry.services.demo import demo_register_history_set
from civsam.stats.selectors import years
from civsam.stats.services import population_load_reference, statistics_compute


class Command(BaseCommand):
    help = "Ger demoorganisationerna registrerings- och avregistreringsdatum och beräknar statistiken."

    def handle(self, *args, **options):
        changed = demo_register_history_set()
        population_load_reference()
        written = statistics_compute()
        for year in years():  # the plan's computed indicators read the figures just stored
            indicators_recompute(year=year)
        self.stdout.write(f"{changed} demoorganisationer fick datum; {written} statistikuppgifter beräknade.")
