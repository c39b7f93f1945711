"""Demo values for the Kolada key figures, so that the demo's statistics pages show the comparison.
They are made up and say so in their citation; a real installation runs `import_kolada`."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .kolada_file import ExternalValue

DEMO_TITLES = {
    "N09018": "Nettokostnad fritidsverksamhet, kr/inv",
    "N09022": "Nettokostnad kulturverksamhet, kr/inv",
}


def kolada_demo_values(codes: list[str], *, seed: int = 16) -> list[ExternalValue]:
    rng = random.Random(seed)
    this_year = timezone.localdate().year
    out = []
    for kpi, title in DEMO_TITLES.items():
        for code in codes:
            level = rng.randint(900, 2600)
            for year in range(this_year - 4, this_year - 1):
                level = int(level * rng.uniform(0.97, 1.06))
                out.append(
                    ExternalValue(
                        indicator=kpi,
                        title=title,
                        unit="kr/inv",
                        area=code,
                        year=year,
                        value=Decimal(level),
                        citation=_("Demodata i Koladas format för nyckeltal %(kpi)s (inte Koladas värden)")
                        % {"kpi": kpi},
                    )
                )
    return out
