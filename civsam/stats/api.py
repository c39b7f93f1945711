"""API: the sector statistics, read from the stored yearly figures (ADR 0112)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpResponse
from ninja import Path, Query, Router
from pydantic import Field

from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    CamelSchema,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
)

from . import figures, selectors
from .models import Figure

router = Router(tags=["statistik"])

FigureCode = Literal[
    "organisations",
    "in-official-registers",
    "founded",
    "ceased",
    "new-social-enterprises",
    "members",
    "members-reported",
    "network-memberships",
    "events",
    "participants",
    "new-collaborations",
    "initiatives",
    "cross-sector-initiatives",
    "grants",
    "grants-amount",
]
Dimension = Literal["total", "municipality", "legal_form", "activity_class", "role", "sector", "flag"]
MunicipalityCode = Annotated[
    str | None, Query(pattern=r"^18[0-9]{2}$", description="Kommunkod, t.ex. 1880 för Örebro.")
]


class SectorFigureOut(CamelSchema):
    """En uppgift ett år: antalet för en uppgift och ett värde av en dimension (hela länet, en kommun, …)."""

    figure: str = Field(description="Uppgiftens kod: " + ", ".join(figures.FIGURES))
    dimension: str = Field(description=", ".join(figures.DIMENSIONS))
    key: str = Field(
        description="Länskod (18), kommunkod, juridisk forms kod, verksamhetsområdets kod, roll, sektor eller märkning."
    )
    label: str
    year: int
    value: int | None = Field(
        description="Antalet, eller hela kronor för beviljat belopp; null när en personuppgift under fem är dold."
    )
    suppressed: bool = Field(description="Sant när värdet är dolt (färre än fem personer).")
    population: int | None = Field(None, description="Årets folkmängd (SCB) för uppgifter per 1 000 invånare.")
    per1000: Decimal | None = Field(None, description="Per 1 000 invånare, två decimaler.")
    computed_at: datetime.datetime


class SectorFigureDefinitionOut(CamelSchema):
    """En uppgift i statistiken: vad den räknar, vad den täcker och dess värden."""

    code: str
    label: str
    description: str
    coverage_note: str
    dimensions: list[str]
    per1000: bool = Field(description="Visas även per 1 000 invånare.")
    person_based: bool = Field(description="Värden under fem döljs.")
    unit: str = Field(description="count (antal) eller sek (hela kronor).")
    values: list[SectorFigureOut]


def figure_out(row: Figure) -> dict:
    """The row keyed by its JSON names, as the response schema reads it without looking each
    camelCase name up on an object (the grant statistics do the same, issue #13)."""
    return {
        "figure": row.figure,
        "dimension": row.dimension,
        "key": row.key,
        "label": row.label,
        "year": row.year,
        "value": row.value,
        "suppressed": row.suppressed,
        "population": row.population,
        "per1000": figures.per_1000(row.value, row.population),
        "computedAt": row.computed_at,
    }


@router.get(
    "/statistics",
    response={200: PageOut[SectorFigureOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listSectorStatistics",
    summary="Statistik om civilsamhället",
    description="Årliga uppgifter om organisationer (även per 1 000 invånare), nybildade och upphörda, nya "
    "sociala företag, medlemmar, nätverksmedlemskap, evenemang, deltagare, ny samverkan, insatser (även över "
    "sektorsgränser) och beviljade bidrag, för hela länet och per kommun, juridisk form, verksamhetsområde, roll, "
    "sektor och märkning. Uppgifterna räknas av ett schemalagt jobb och avser organisationer kända av Civsam.",
)
def list_statistics(
    request,
    response: HttpResponse,
    municipality: MunicipalityCode = None,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Bara detta år.")] = None,
    dimension: Annotated[Dimension | None, Query(description="Bara denna uppdelning.")] = None,
    figure: Annotated[FigureCode | None, Query(description="Bara denna uppgift.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("municipality", "year", "dimension", "figure", *PAGING_PARAMS))
    qs = selectors.figure_rows(figure=figure, municipality=municipality, year=year, dimension=dimension)
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([figure_out(row) for row in result.items])


@router.get(
    "/statistics/{figure}",
    response={200: SectorFigureDefinitionOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getSectorStatistic",
    summary="En uppgift i statistiken",
    description="Uppgiftens beskrivning, täckning och värden, med samma filter som listan.",
)
def get_statistic(
    request,
    figure: Annotated[str, Path(description="Uppgiftens kod, t.ex. organisations.")],
    municipality: MunicipalityCode = None,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Bara detta år.")] = None,
    dimension: Annotated[Dimension | None, Query(description="Bara denna uppdelning.")] = None,
):
    check_query_names(request, ("municipality", "year", "dimension"))
    definition = figures.FIGURES.get(figure)
    if definition is None:
        raise Http404
    rows = selectors.figure_rows(figure=figure, municipality=municipality, year=year, dimension=dimension)
    return SectorFigureDefinitionOut(
        code=definition.code,
        label=str(definition.label),
        description=str(definition.description),
        coverage_note=str(figures.COVERAGE_NOTE),
        dimensions=list(definition.dimensions),
        per1000=definition.per_1000,
        person_based=definition.person_based,
        unit=definition.unit,
        values=[SectorFigureOut.model_validate(figure_out(row)) for row in rows],
    )
