"""Store each year's population per municipality from Statistics Sweden's table (JSON-stat 2.0)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civsam.stats.population_file import PopulationFileError, read
from civsam.stats.services import population_set


class Command(BaseCommand):
    help = (
        "Läser SCB:s tabell Folkmängden efter region och år (BE0101N1) som JSON-stat 2.0, från PxWebApi 2.0, "
        "och sparar folkmängden per kommun och år."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON-stat-filen")
        parser.add_argument("--source", default="SCB, BE0101N1 Folkmängden efter region och år, 31 december")

    def handle(self, *args, file, source, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {file} kunde inte läsas: {exc.strerror}.") from exc
        try:
            years = read(data)
            with transaction.atomic():  # every year or none
                for year, values in sorted(years.items()):
                    population_set(year=year, values=values, source=source)
        except (PopulationFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Folkmängd sparad för {', '.join(map(str, sorted(years)))}.")
