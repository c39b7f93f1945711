"""Import organisations from a CSV or XLSX file, as the system (no user)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civsam.registry.imports.services import organisations_import


class Command(BaseCommand):
    help = (
        "Importerar organisationer från en CSV- eller Excel-fil (samma kolumner som exporten). "
        "Organisationsnumret avgör om en rad är ny eller ändrar en befintlig organisation."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- eller XLSX-fil")
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle hända, ändra ingenting.")
        parser.add_argument(
            "--valid-rows-only", action="store_true", help="Importera de giltiga raderna även om andra rader har fel."
        )
        parser.add_argument(
            "--no-duplicates", action="store_true", help="Leta inte efter möjliga dubbletter efter importen."
        )

    def handle(self, *args, file, dry_run, valid_rows_only, no_duplicates, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {file} kunde inte läsas: {exc.strerror}.") from exc
        result = organisations_import(
            actor=None,
            file_name=path.name,
            data=data,
            apply=not dry_run,
            valid_rows_only=valid_rows_only,
            detect_duplicates=not no_duplicates,
        )
        for warning in result.warnings:
            self.stdout.write(f"Varning: {warning}")
        for error in result.errors:
            if error.line == 0:
                self.stderr.write(f"Fel i filen: {error.message}")
            else:
                self.stderr.write(f"Rad {error.line}, kolumn {error.column}: {error.message}")
        if result.errors_dropped:
            self.stderr.write(f"… och {result.errors_dropped} fel till.")
        if result.file_error:
            raise CommandError("Ingenting importerades.")
        verb = "skulle bli" if not result.applied else "blev"
        self.stdout.write(
            f"{result.rows} rader lästa: {result.created} nya, {result.updated} ändrade, "
            f"{result.unchanged} oförändrade, {result.rejected} med fel ({verb})."
        )
        if dry_run:
            self.stdout.write("Provkörning: ingenting har ändrats.")
            if result.errors:
                raise CommandError("Filen har fel; rätta dem eller kör med --valid-rows-only.")
            return
        if not result.applied:
            if result.errors:
                raise CommandError(
                    "Ingenting importerades eftersom filen har fel. Rätta dem eller kör med --valid-rows-only."
                )
            raise CommandError("Ingenting importerades: filen har inga giltiga rader.")
        self.stdout.write(self.style.SUCCESS(f"Importen är klar (import nr {result.run_id})."))
        if result.duplicates_flagged:
            self.stdout.write(f"{result.duplicates_flagged} möjliga dubbletter flaggade för granskning.")
        if result.duplicates_deferred:
            self.stdout.write(
                "Importen var för stor för att leta dubbletter direkt. Kör: python manage.py detect_duplicates"
            )
