from django.core.management.base import BaseCommand

from civsam.impact.demo import demo_analyses_load


class Command(BaseCommand):
    help = (
        "Skapar demoanalyser av samhällsnytta: en publicerad och en som väntar på granskning "
        "(kräver demoanvändarna från load_demo_data)."
    )

    def handle(self, *args, **options):
        created = demo_analyses_load()
        self.stdout.write(f"Demoanalyser: {created} nya.")
