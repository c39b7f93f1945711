from django.core.management.base import BaseCommand

from civsam.core.services import reference_data_load
from civsam.plan.services import plans_load_reference


class Command(BaseCommand):
    help = "Läser in referensdata (kommuner, juridiska former, verksamhetsområden, principer, roller) och planerna."

    def handle(self, *args, **options):
        counts = reference_data_load()
        counts["plans"] = plans_load_reference()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
