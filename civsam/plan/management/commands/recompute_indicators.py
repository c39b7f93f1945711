from django.core.management.base import BaseCommand
from django.utils import timezone

from civsam.plan.services import indicators_recompute


class Command(BaseCommand):
    help = "Räknar om de beräknade indikatorerna från Civsams data och sparar värdena (schemalagt jobb)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Året som räknas (standard: innevarande år).")

    def handle(self, *args, year, **options):
        year = year or timezone.localdate().year
        for indicator, outcome, value in indicators_recompute(year=year):
            shown = value if value is not None else "–"
            self.stdout.write(f"{indicator.code} {year}: {shown} ({outcome})")
