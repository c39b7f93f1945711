"""Print the scheduled jobs as a crontab, or write them as systemd units (civsam/core/schedule.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError

from civsam.core import schedule


class Command(BaseCommand):
    help = (
        "Skriver ut Civsams schemalagda jobb som en crontab, eller med --systemd som en .service och en .timer "
        "per jobb i en katalog. Installera dem på en enda maskin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--systemd", metavar="KATALOG", help="skriv systemd-enheter i den här katalogen")
        parser.add_argument(
            "--python", default=sys.executable, help="Python-tolken som kör manage.py (standard: den här)"
        )
        parser.add_argument(
            "--manage",
            default=str(Path(settings.BASE_DIR) / "manage.py"),
            help="sökvägen till manage.py (standard: den här installationens)",
        )
        parser.add_argument(
            "--environment-file",
            default="/etc/civsam/civsam.env",
            help="systemd: filen med miljövariablerna (standard /etc/civsam/civsam.env)",
        )
        parser.add_argument("--lock-dir", default="/run/lock", help="cron: katalogen för låsfilerna (flock)")

    def handle(self, *args, systemd, python, manage, environment_file, lock_dir, **options):
        missing = [job.command for job in schedule.JOBS if job.command not in get_commands()]
        if missing:
            raise CommandError("Schemat nämner kommandon som inte finns: " + ", ".join(missing))
        if not systemd:
            self.stdout.write(schedule.crontab(python=python, manage=manage, lock_dir=lock_dir), ending="")
            return
        directory = Path(systemd)
        directory.mkdir(parents=True, exist_ok=True)
        units = schedule.systemd_units(
            python=python, manage=manage, working_directory=str(Path(manage).parent), environment_file=environment_file
        )
        for name, text in units.items():
            (directory / name).write_text(text, encoding="utf-8")
        timers = " ".join(name for name in units if name.endswith(".timer"))
        self.stdout.write(f"{len(units)} filer i {directory}. Aktivera med: systemctl enable --now {timers}")
