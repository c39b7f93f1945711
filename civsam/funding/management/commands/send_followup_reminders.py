from django.core.management.base import BaseCommand

from civsam.funding.services import followup_reminders_send


class Command(BaseCommand):
    help = (
        "Påminner bidragsmottagare om återrapporter: en månad innan de ska lämnas och dagen efter om de är "
        "försenade. Körs dagligen av en schemaläggare (t.ex. cron kl. 07)."
    )

    def handle(self, *args, **options):
        counts = followup_reminders_send()
        self.stdout.write(f"Påminnelser om återrapporter: {counts['before']} före, {counts['after']} efter.")
