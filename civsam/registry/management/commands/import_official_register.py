"""Import Statistics Sweden's or Bolagsverket's open bulk file, as the system (ADR 0111).

A dry run unless --apply is given: the summary comes first, the write when asked for."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civsam.registry.imports.official.formats import BOLAGSVERKET, SCB
from civsam.registry.imports.official.services import official_register_import


class Command(BaseCommand):
    help = (
        "Läser SCB:s företagsregisterfil (tabbseparerad, Latin-1) eller Bolagsverkets registerfil "
        "(semikolonseparerad, UTF-8). Utan --apply visas bara vad som skulle hända."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=[SCB, BOLAGSVERKET], help="Vilken myndighets fil")
        parser.add_argument("file", help="Filen")
        parser.add_argument("--apply", action="store_true", help="Skriv ändringarna (annars en provkörning).")
        parser.add_argument("--date", help="Filens datum (ÅÅÅÅ-MM-DD); i dag om det utelämnas.")

    def handle(self, *args, source, file, apply, date, **options):
        path = Path(file)
        on = None
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"Datumet {date} ska skrivas ÅÅÅÅ-MM-DD.") from exc
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Filen {file} kunde inte läsas: {exc.strerror}.") from exc
        with stream:
            result = official_register_import(
                actor=None, source=source, file_name=path.name, stream=stream, apply=apply, on=on
            )
        if result.file_error:
            raise CommandError(f"Fel i filen: {result.file_error} Ingenting importerades.")
        for problem in result.problems:
            self.stderr.write(f"Rad {problem.line}: {problem.message}")
        if result.problems_dropped:
            self.stderr.write(f"… och {result.problems_dropped} till.")
        verb = "blev" if result.applied else "skulle bli"
        self.stdout.write(
            f"{result.rows} rader lästa: {result.created} nya, {result.updated} ändrade, "
            f"{result.unchanged} oförändrade ({verb}); {result.other_forms} med andra juridiska former, "
            f"{result.outside_county} utanför länet, {result.unplaceable} kunde inte placeras i en kommun, "
            f"{result.rejected} med fel."
        )
        if not result.applied:
            self.stdout.write("Provkörning: ingenting har ändrats. Kör igen med --apply för att skriva.")
