from django.core.management.base import BaseCommand

from civsam.funding.demo import demo_funding_load
from civsam.funding.services import funding_sources_load_reference


class Command(BaseCommand):
    help = (
        "Skapar demoutlysningar (Regionens två program med budget), några demoansökningar och demobeslut i "
        "bidragsregistret (kräver demoorganisationerna)."
    )

    def handle(self, *args, **options):
        funding_sources_load_reference()
        calls, decisions = demo_funding_load()
        self.stdout.write(f"Demoutlysningar: {calls} nya, demobeslut: {decisions} nya.")
