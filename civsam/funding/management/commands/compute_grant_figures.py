from django.core.management.base import BaseCommand

from civsam.funding.services import grant_figures_compute


class Command(BaseCommand):
    help = "Beräknar bidragsstatistiken ur bidragsregistret på nytt (körs varje natt och efter importer)."

    def handle(self, *args, **options):
        rows = grant_figures_compute()
        self.stdout.write(f"Bidragsstatistik: {rows} rader.")
