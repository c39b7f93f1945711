"""`manage.py backup DIR`: the database and every stored file into a new directory (civsam.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civsam.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite) and every file "
        "on the default storage into DIR, which must be new or empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            summary = backup(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up the {summary.engine} database ({summary.database_bytes:,} bytes) and "
            f"{summary.files} files ({summary.files_bytes:,} bytes) to {directory}."
        )
