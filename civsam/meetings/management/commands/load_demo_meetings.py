from django.core.management.base import BaseCommand

from civsam.meetings.demo import demo_conference_load, demo_meetings_load


class Command(BaseCommand):
    help = "Skapar demonätverk, demoevenemang och demokonferensen (kräver demoorganisationerna)."

    def handle(self, *args, **options):
        networks, events = demo_meetings_load()
        conference = demo_conference_load()
        state = "ny" if conference else "fanns"
        self.stdout.write(f"Demonätverk: {networks} nya, demoevenemang: {events} nya, demokonferens: {state}.")
