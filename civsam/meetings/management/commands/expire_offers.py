from django.core.management.base import BaseCommand

from civsam.meetings.services import offers_expire


class Command(BaseCommand):
    help = "Avslutar erbjudna platser vars svarstid har gått ut och erbjuder dem till nästa i väntelistan."

    def handle(self, *args, **options):
        ended = offers_expire()
        self.stdout.write(f"Utgångna erbjudanden: {ended}.")
