"""Remove superseded report PDFs (drafts and earlier versions); the newest of each stays."""

import datetime

from django.core.management.base import BaseCommand

from civsam.core.services import rendered_files_prune


class Command(BaseCommand):
    help = "Tar bort ersatta rapport-pdf:er äldre än --days dagar; den senaste för varje rapport och språk blir kvar."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="ålder i dagar (standard 30)")

    def handle(self, *args, days: int, **options):
        removed = rendered_files_prune(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"{removed} filer borttagna.")
