"""Store chosen Kolada key figures per municipality and year, from Kolada's API v3 or from files
downloaded from it (ADR 0129)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.stats import clients, kolada_file
from civsam.stats.models import ExternalFigure
from civsam.stats.services import external_figures_set


class Command(BaseCommand):
    help = (
        "Läser valda nyckeltal från Kolada (API v3) per kommun och år och sparar dem med källa och datum. "
        f"Utan --kpi: {', '.join(kolada_file.CHOSEN_KPIS)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kpi", action="append", help="Nyckeltalets id i Kolada (kan upprepas).")
        parser.add_argument("--year", type=int, action="append", help="År (kan upprepas); utan: de fem senaste.")
        parser.add_argument("--url", default=clients.KOLADA_API, help="Koladas adress (för test eller spegel).")
        parser.add_argument("--file", action="append", help="En nedladdad datasida (kan upprepas) i stället för API:t.")
        parser.add_argument("--kpi-file", help="Nyckeltalens metadata (GET /v3/kpi/...) till --file.")

    def handle(self, *args, kpi, year, url, file, kpi_file, **options):
        kpis = kpi or list(kolada_file.CHOSEN_KPIS)
        this_year = timezone.localdate().year
        years = year or list(range(this_year - 5, this_year))
        codes = list(Municipality.objects.order_by("code").values_list("code", flat=True))
        try:
            if file:
                if not kpi_file:
                    raise CommandError("Ange --kpi-file med nyckeltalens metadata tillsammans med --file.")
                metadata = Path(kpi_file).read_bytes()
                pages = [Path(name).read_bytes() for name in file]
            else:
                metadata, pages = clients.kolada_fetch(kpis=kpis, municipalities=codes, years=years, base_url=url)
            values = kolada_file.read_values(pages, kolada_file.read_metadata(metadata), areas=codes)
            stored = external_figures_set(source=ExternalFigure.Source.KOLADA, values=values)
        except OSError as exc:
            raise CommandError(f"Filen kunde inte läsas: {exc.strerror}.") from exc
        except (clients.SourceError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{stored} värden från Kolada sparade.")
