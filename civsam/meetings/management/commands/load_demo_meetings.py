from django.core.management.base import BaseCommand

from civsam.meetings.demo import demo_meetings_load


class Command(BaseCommand):
    help = "Skapar demonätverk och demoevenemang (kräver demoorganisationerna)."

    def handle(self, *args, **options):
        networks, events = demo_meetings_load()
        self.stdout.write(f"Demonätverk: {networks} nya, demoevenemang: {events} nya.")
