from django.core.management.base import BaseCommand

from civsam.meetings.services import REMINDER_HOURS, reminders_send


class Command(BaseCommand):
    help = "Skickar påminnelser (med kalenderfil) till bekräftade deltagare i evenemang som snart börjar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=REMINDER_HOURS, help="Evenemang som börjar inom så många timmar."
        )

    def handle(self, *args, **options):
        sent = reminders_send(hours=options["hours"])
        self.stdout.write(f"Påminnelser skickade: {sent}.")
