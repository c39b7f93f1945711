from django.core.management.base import BaseCommand

from civsam.impact.services import proxies_load_starter_set


class Command(BaseCommand):
    help = (
        "Lägger in startuppsättningen av finansiella proxyer (civsam/impact/data/financial_proxies.json): "
        "prisbasbeloppet och några tydligt märkta illustrativa exempel. Befintliga poster lämnas orörda."
    )

    def handle(self, *args, **options):
        created, existing = proxies_load_starter_set()
        self.stdout.write(f"Finansiella proxyer: {created} nya, {existing} fanns redan.")
