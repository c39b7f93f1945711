from django.core.management.base import BaseCommand

from civsam.agreements.demo import demo_agreements_load


class Command(BaseCommand):
    help = "Skapar demoöverenskommelser: två IOP och en lokal överenskommelse (efter demoaktörerna)."

    def handle(self, *args, **options):
        created = demo_agreements_load()
        self.stdout.write(f"Demoöverenskommelser: {created} nya.")
