"""`manage.py restore DIR`: put back a backup made by `manage.py backup` (civsam.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civsam.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Replace the database by the one in the backup DIR and write its files back to the default storage. "
        "Stop the web processes and the worker first (docs/operations.md, the restore drill)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )

    def handle(self, *args, directory: Path, interactive: bool, **options):
        try:
            manifest = read_manifest(directory)
            if interactive:
                answer = input(
                    f"This replaces the whole database by the backup of {manifest['started_at']} "
                    f"({manifest['engine']}, {len(manifest['files'])} files). Type 'yes' to go on: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Nothing was restored.")
            summary = restore(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {summary.engine} database and {summary.files} files from {directory}. "
            "Run `manage.py migrate` if this version of Civsam is newer than the backup."
        )
