"""API: the county's municipalities (reference data)."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router

from .apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    paginate,
)
from .models import Municipality
from .selectors import county_municipalities

router = Router(tags=["kommuner"])


class CountyOut(CamelSchema):
    """Ett län: länskod (SCB) och namn."""

    code: str
    name: str


class PopulationOut(CamelSchema):
    """Folkmängd vid ett datum, med källa."""

    count: int
    date: datetime.date
    source: str


class MunicipalityOut(CamelSchema):
    """En kommun med län och folkmängd."""

    code: str
    name: str
    county: CountyOut
    population: PopulationOut


def municipality_out(municipality: Municipality) -> MunicipalityOut:
    return MunicipalityOut(
        code=municipality.code,
        name=municipality.name,
        county=CountyOut(code=municipality.county_code, name=municipality.county_name),
        population=PopulationOut(
            count=municipality.population,
            date=municipality.population_date,
            source=municipality.population_source,
        ),
    )


@router.get(
    "",
    response={200: PageOut[MunicipalityOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listMunicipalities",
    summary="Kommunerna i länet",
    description="Länets kommuner i namnordning, med kommunkod (SCB), län och folkmängd med datum och källa.",
)
def municipality_list(
    request,
    response: HttpResponse,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, PAGING_PARAMS)
    result = paginate(request, county_municipalities(settings.CIVSAM["COUNTY_CODE"]), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([municipality_out(m) for m in result.items])


@router.get(
    "/{code}",
    response={200: MunicipalityOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getMunicipality",
    url_name="municipality-detail",
    summary="En kommun",
    description="En kommun i länet, utpekad med sin fyrsiffriga kommunkod (t.ex. 1880 för Örebro).",
)
def municipality_detail(request, code: Annotated[str, Path(description="Kommunkod, fyra siffror (SCB), t.ex. 1880.")]):
    check_query_names(request, ())
    municipality = county_municipalities(settings.CIVSAM["COUNTY_CODE"]).filter(code=code).first()
    if municipality is None:
        raise ApiProblem(404, _("Det finns ingen kommun med kommunkod %(code)s i länet.") % {"code": code})
    return municipality_out(municipality)
