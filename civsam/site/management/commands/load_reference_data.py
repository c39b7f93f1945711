"""Load every app's reference data. It lives in the site shell because it reaches into several
apps; each app owns the loader of its own data."""

from django.core.management.base import BaseCommand

from civsam.core.services import reference_data_load
from civsam.funding.services import funding_sources_load_reference
from civsam.market.services import cpv_codes_load_reference
from civsam.plan.services import frame_tags_load_reference, plans_load_reference
from civsam.registry.services import public_bodies_load_reference
from civsam.stats.services import national_figures_load_reference, population_load_reference


class Command(BaseCommand):
    help = (
        "Läser in referensdata (kommuner, juridiska former, verksamhetsområden, principer, roller), planerna, "
        "strategierna och Agenda 2030-målen som planerna hänvisar till, finansieringskällorna, CPV-koderna, "
        "offentliga aktörer som regionen, folkmängden per år och SCB:s siffror om det civila samhället i hela "
        "landet."
    )

    def handle(self, *args, **options):
        counts = reference_data_load()
        plans = plans_load_reference()
        counts["plans"] = plans.plans
        frame = frame_tags_load_reference()
        counts["frame_tags"] = frame.tags
        counts["funding_sources"] = funding_sources_load_reference().created
        counts["public_bodies"] = public_bodies_load_reference()
        counts["cpv_codes"] = cpv_codes_load_reference()
        counts["population"] = population_load_reference()
        counts["national_statistics"] = national_figures_load_reference()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
        # Where the plans file and the database disagree on something the file owns, the database is
        # kept and the operator told (ADR 0108).
        for line in [*plans.disagreements, *frame.disagreements]:
            self.stderr.write(self.style.WARNING(line))
