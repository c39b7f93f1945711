from django.core.management.base import BaseCommand

from civsam.meetings.services import registrations_expire


class Command(BaseCommand):
    help = (
        "Avslutar erbjudna platser och obekräftade anmälningar vars svarstid har gått ut och erbjuder "
        "platserna till nästa i väntelistan. Kör den ofta (till exempel varje minut): en obekräftad "
        "anmälan håller sin plats i 30 minuter."
    )

    def handle(self, *args, **options):
        ended = registrations_expire()
        self.stdout.write(f"Utgångna erbjudanden och obekräftade anmälningar: {ended}.")
