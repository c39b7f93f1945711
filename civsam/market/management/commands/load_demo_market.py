from django.core.management.base import BaseCommand

from civsam.market.demo import demo_market_load


class Command(BaseCommand):
    help = (
        "Skapar demoerbjudanden från demoorganisationerna, några upphandlingar hos Örebro kommun (en reserverad) "
        "och andelar av inköpen från en genererad inköpsfil (kräver demoorganisationerna)."
    )

    def handle(self, *args, **options):
        counts = demo_market_load()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
