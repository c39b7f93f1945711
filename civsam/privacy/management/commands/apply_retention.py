"""Remove or de-identify the personal data past its retention period (ADR 0085).

Run it once a night from the scheduler (cron, a systemd timer or the platform's scheduled jobs,
docs/operations.md). Each kind of personal data whose retention in the record of processing
(core/data/processing.json) is automatic is handled by the app that holds it, in batches; the run
and its counts are written to the audit log. --dry-run counts what would go and changes nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from civsam.privacy.services import DEFAULT_BATCH_SIZE, retention_apply


class Command(BaseCommand):
    help = "Tar bort eller avidentifierar personuppgifter vars lagringstid har gått ut, och loggar vad som gjordes."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="räkna bara vad som skulle gallras; ändra inget")
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rader per transaktion (standard 1000)"
        )
        parser.add_argument(
            "--kind", action="append", dest="kinds", help="bara den här sortens personuppgifter (kan upprepas)"
        )
        parser.add_argument("--now", help="gallra som vid den här tidpunkten (ISO 8601 med tidszon)")

    def handle(self, *args, dry_run: bool, batch_size: int, kinds: list[str] | None, now: str | None, **options):
        moment: datetime.datetime | None = None
        if now:
            moment = parse_datetime(now)
            if moment is None or moment.tzinfo is None:
                raise CommandError("--now ska vara datum och tid med tidszon, till exempel 2027-01-31T03:00:00+01:00")
        try:
            run = retention_apply(now=moment, dry_run=dry_run, batch_size=batch_size, kinds=kinds)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "skulle gallras" if dry_run else "gallrade"
        for kind, count in run.counts.items():
            self.stdout.write(f"{kind}: {count} {verb}")
        for kind in run.unhandled:
            self.stderr.write(f"{kind}: automatisk gallring enligt registerförteckningen, men ingen app hanterar den")
        if run.unhandled:
            raise CommandError("Gallring saknas för: " + ", ".join(run.unhandled))
