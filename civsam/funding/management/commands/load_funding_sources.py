from django.core.management.base import BaseCommand

from civsam.funding.services import funding_sources_load_reference


class Command(BaseCommand):
    help = (
        "Läser in bidragsgivare och finansieringskällor från funding/data/funding_sources.json. "
        "Idempotent; fält som handläggare har ändrat skrivs aldrig över."
    )

    def handle(self, *args, **options):
        result = funding_sources_load_reference()
        self.stdout.write(
            f"Bidragsgivare: {result.funders_created} nya. Finansieringskällor: {result.created} nya, "
            f"{result.updated} uppdaterade, {len(result.kept)} fält behöll handläggarnas värde."
        )
