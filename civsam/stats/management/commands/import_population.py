"""Store each year's population per municipality from Statistics Sweden (JSON-stat 2.0): from
PxWebApi 2.0 (`--api`) or from a file downloaded from it (ADR 0112, 0129)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.stats import clients
from civsam.stats.population_file import PopulationFileError, read
from civsam.stats.services import population_set

FILE_SOURCE = "SCB, BE0101N1 Folkmängden efter region och år, 31 december"


class Command(BaseCommand):
    help = (
        "Läser SCB:s folkmängd per kommun och år (tabell TAB638, BE0101N1, 31 december) som JSON-stat 2.0, "
        "från PxWebApi 2.0 (--api) eller från en nedladdad fil, och sparar den med källa och datum."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="JSON-stat-filen (utelämnas med --api)")
        parser.add_argument("--api", action="store_true", help="Hämta från SCB:s PxWebApi 2.0.")
        parser.add_argument("--year", type=int, action="append", help="År att hämta med --api (kan upprepas).")
        parser.add_argument("--url", default=clients.SCB_API, help="PxWebApi:s adress (för test eller spegel).")
        parser.add_argument("--source", default="", help="Källhänvisning att spara (annars tabell och datum).")

    def handle(self, *args, file, api, year, url, source, **options):
        today = timezone.localdate().isoformat()
        if api:
            if file or not year:
                raise CommandError("Ange --year (ett eller flera år) och ingen fil tillsammans med --api.")
            codes = list(Municipality.objects.order_by("code").values_list("code", flat=True))
            try:
                data = clients.population_fetch(years=year, municipalities=codes, base_url=url)
            except clients.SourceError as exc:
                raise CommandError(str(exc)) from exc
            source = source or (
                f"SCB, PxWebApi 2.0, tabell {clients.POPULATION_TABLE} ({clients.POPULATION_CONTENTS}, "
                f"folkmängd 31 december), hämtad {today}"
            )
        else:
            if not file:
                raise CommandError("Ange en JSON-stat-fil eller --api.")
            try:
                data = Path(file).read_bytes()
            except OSError as exc:
                raise CommandError(f"Filen {file} kunde inte läsas: {exc.strerror}.") from exc
            source = source or f"{FILE_SOURCE}, fil inläst {today}"
        try:
            years = read(data)
            with transaction.atomic():  # every year or none
                for found_year, values in sorted(years.items()):
                    population_set(year=found_year, values=values, source=source)
        except (PopulationFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Folkmängd sparad för {', '.join(map(str, sorted(years)))}.")
