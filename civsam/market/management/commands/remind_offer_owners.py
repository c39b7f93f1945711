from django.core.management.base import BaseCommand

from civsam.market.services import offer_reminders_send


class Command(BaseCommand):
    help = "Påminner organisationer vars publicerade erbjudanden inte har bekräftats på ett år."

    def handle(self, *args, **options):
        sent = offer_reminders_send()
        self.stdout.write(f"Påminnelser om erbjudanden: {sent}.")
