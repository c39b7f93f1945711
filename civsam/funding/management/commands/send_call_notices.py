from django.core.management.base import BaseCommand

from civsam.funding.services import call_notices_send


class Command(BaseCommand):
    help = (
        "Skickar e-post om utlysningar som har öppnat och inte meddelats än, till dem som bevakar dem. "
        "Körs dagligen av en schemaläggare (t.ex. cron kl. 07)."
    )

    def handle(self, *args, **options):
        sent = call_notices_send()
        self.stdout.write(f"Meddelanden om öppnade utlysningar: {sent}.")
