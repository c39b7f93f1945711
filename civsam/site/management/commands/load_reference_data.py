"""Load every app's reference data. It lives in the site shell because it reaches into several
apps; each app owns the loader of its own data."""

from django.core.management.base import BaseCommand

from civsam.core.services import reference_data_load
from civsam.funding.services import funding_sources_load_reference
from civsam.plan.services import plans_load_reference
from civsam.stats.services import population_load_reference


class Command(BaseCommand):
    help = (
        "Läser in referensdata (kommuner, juridiska former, verksamhetsområden, principer, roller), planerna, "
        "finansieringskällorna och folkmängden per år."
    )

    def handle(self, *args, **options):
        counts = reference_data_load()
        counts["plans"] = plans_load_reference()
        counts["funding_sources"] = funding_sources_load_reference().created
        counts["population"] = population_load_reference()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
