"""The plan's computed indicator over the stored statistics (ADR 0112), registered from ready()."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civsam.plan.computations import Computation, Result, register

from . import figures
from .models import Figure


def _organisations_per_1000(year: int) -> Result:
    row = Figure.objects.filter(figure="organisations", dimension=figures.TOTAL, year=year).first()
    if row is None:
        return Result(None, reason=_("Statistiken för %(year)s är inte beräknad ännu.") % {"year": year})
    value = figures.per_1000(row.value, row.population)
    if value is None:
        return Result(None, reason=_("Folkmängden för %(year)s saknas.") % {"year": year})
    return Result(
        Decimal(value),
        source=_(
            "Civsams statistik: %(count)s organisationer kända av Civsam vid slutet av %(year)s, "
            "mot länets folkmängd %(population)s (SCB)"
        )
        % {"count": row.value, "year": year, "population": row.population},
    )


def register_computations() -> None:
    register(
        Computation(
            "organisations-per-1000",
            gettext_lazy("Organisationer per 1 000 invånare"),
            gettext_lazy("per 1 000 invånare"),
            _organisations_per_1000,
        )
    )
