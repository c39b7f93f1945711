"""Flag organisations with similar names in the same municipality for review."""

import time

from django.core.management.base import BaseCommand, CommandError

from civsam.core.models import Municipality
from civsam.registry.models import DuplicateCandidate
from civsam.registry.services import duplicates_detect


class Command(BaseCommand):
    help = (
        "Letar efter organisationer med mycket lika namn i samma kommun och lägger dem på listan över "
        "möjliga dubbletter. Körs efter stora importer, som inte gör det själva."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kommun", dest="municipalities", action="append", default=[], metavar="KOD",
            help="Bara den här kommunen (kod eller namn); kan anges flera gånger.",
        )  # fmt: skip

    def handle(self, *args, municipalities, **options):
        municipality_ids = None
        if municipalities:
            municipality_ids = set()
            for given in municipalities:
                match = (
                    Municipality.objects.filter(code=given).first()
                    or Municipality.objects.filter(name__iexact=given).first()
                )
                if match is None:
                    raise CommandError(f"Okänd kommun: {given}")
                municipality_ids.add(match.pk)
        started = time.monotonic()
        # Counted here: the service's own count includes pairs that were already flagged.
        before = DuplicateCandidate.objects.count()
        duplicates_detect(municipality_ids=municipality_ids)
        flagged = DuplicateCandidate.objects.count() - before
        self.stdout.write(
            f"{flagged} nya möjliga dubbletter flaggade för granskning ({time.monotonic() - started:.1f} s)."
        )
