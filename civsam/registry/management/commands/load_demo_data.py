from django.core.management.base import BaseCommand
from django.db import transaction

from civsam.core.models import Municipality
from civsam.registry import demo
from civsam.registry.imports.bulk import demo_organisations_insert
from civsam.registry.models import Organisation
from civsam.registry.services import demo_users_create, duplicates_detect
from civsam.registry.services.demo import demo_actors_create


class Command(BaseCommand):
    help = "Skapar demodata: påhittade organisationer i länet och demoanvändare för varje roll."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--password", default="civsam-demo-2026")
        parser.add_argument("--replace", action="store_true", help="Ta bort befintliga demoorganisationer först.")

    def handle(self, *args, count, seed, password, replace, **options):
        populations = dict(Municipality.objects.values_list("code", "population"))
        if not populations:
            self.stderr.write("Läs in referensdata först: manage.py load_reference_data")
            return
        with transaction.atomic():
            if replace:
                Organisation.objects.filter(is_demo=True).delete()
            existing = Organisation.objects.filter(is_demo=True).count()
            if existing:
                self.stdout.write(f"Demodata finns redan ({existing} organisationer); inget nytt skapat.")
            else:
                created = demo_organisations_insert(demo.generate(count, populations, seed=seed))
                taken = set(Organisation.objects.exclude(orgnr="").values_list("orgnr", flat=True))
                twins = demo_organisations_insert(demo.duplicate_examples(populations, taken, seed=seed))
                flagged = duplicates_detect()
                self.stdout.write(
                    f"Skapade {created} demoorganisationer och {twins} som liknar varandra parvis; "
                    f"{flagged} möjliga dubbletter flaggade."
                )
        actors = demo_actors_create()
        if actors:
            self.stdout.write(f"Skapade {actors} demoaktörer av andra slag (grupp, utländsk, företag).")
        users = demo_users_create(password=password)
        self.stdout.write(f"Demoinloggningar (lösenord: {password}):")
        for username, description in users:
            self.stdout.write(f"  {username:<12} {description}")
