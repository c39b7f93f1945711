"""The scheduled job (nightly): compute the yearly statistics into stored figures (ADR 0112)."""

from django.core.management.base import BaseCommand, CommandError

from civsam.stats.services import statistics_compute, years_due


class Command(BaseCommand):
    help = (
        "Beräknar statistiken per år. Utan --year: år som saknas samt innevarande och föregående år; "
        "äldre år behålls som de beräknades."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="Beräkna detta år på nytt (kan upprepas).")

    def handle(self, *args, year, **options):
        years = year or years_due()
        try:
            written = statistics_compute(years=years)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Statistik beräknad för {', '.join(map(str, years))}: {written} uppgifter.")
