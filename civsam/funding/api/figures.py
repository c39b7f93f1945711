"""API: the grant statistics, read from the stored figures (computed by a job, not per request)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Query, Router
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

from .. import selectors, statistics
from ..models import GrantFigure

router = Router(tags=["bidragsregistret"])
DIMENSIONS = tuple(GrantFigure.Dimension.values)


class GrantFigureOut(CamelSchema):
    """Bidragen under ett år för ett värde av en dimension (en kommun, en bidragsgivare, …).

    Fleråriga bidrag räknas varje år de gäller med en lika stor del av beloppet."""

    dimension: str = Field(description=", ".join(DIMENSIONS))
    key: str = Field(description="Kommunkod, bidragsgivarens kortnamn, programmets namn, formens kod, …")
    label: str
    year: int
    grant_form: str | None = Field(None, description="Bidragsformen; null för alla former tillsammans.")
    decisions: int
    recipients: int
    amount_granted: Decimal
    amount_paid: Decimal
    amount_per_inhabitant: Decimal | None = Field(
        None, description="Kronor per invånare: i kommunen för dimensionen municipality, annars i länet."
    )
    multi_year_share: Decimal | None = Field(None, description="Andel av beloppet i fleråriga bidrag, procent.")
    recipients_previous: int = Field(description="Mottagare året före.")
    recipients_retained: int = Field(description="Av dem: mottagare även i år.")
    retained_share: Decimal | None = Field(None, description="Stabilitet: andel av förra årets mottagare, procent.")


def figure_out(figure: GrantFigure) -> GrantFigureOut:
    return GrantFigureOut(
        dimension=figure.dimension,
        key=figure.key,
        label=figure.label,
        year=figure.year,
        grant_form=figure.grant_form or None,
        decisions=figure.decisions,
        recipients=figure.recipients,
        amount_granted=figure.amount_granted,
        amount_paid=figure.amount_paid,
        amount_per_inhabitant=statistics.per_inhabitant(figure.amount_granted, figure.population),
        multi_year_share=statistics.share(figure.multi_year_amount, figure.amount_granted),
        recipients_previous=figure.recipients_previous,
        recipients_retained=figure.recipients_retained,
        retained_share=statistics.share(figure.recipients_retained, figure.recipients_previous),
    )


@router.get(
    "/statistics/grants",
    response={200: PageOut[GrantFigureOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listGrantStatistics",
    summary="Bidragsstatistik",
    description="Bidrag per år för hela länet (dimension=total) eller per kommun, bidragsgivare, program, juridisk "
    "form eller verksamhetsområde: belopp, per invånare, andel fleråriga bidrag och stabilitet per mottagare. "
    "by-grant-form=true delar upp på bidragsformer.",
)
def grant_statistics(
    request,
    response: HttpResponse,
    dimension: Annotated[
        Literal["total", "municipality", "funder", "programme", "legal_form", "activity_class"],
        Query(description="Vad siffrorna delas upp på; standard total."),
    ] = "total",
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Bara detta år.")] = None,
    by_grant_form: Annotated[bool, Query(alias="by-grant-form", description="Dela upp på bidragsformer.")] = False,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("dimension", "year", "by-grant-form", *PAGING_PARAMS))
    # Items go out as dicts keyed by their JSON names: the response schema then reads each field
    # directly instead of looking a camelCase name up on an object (ten times the cost per row).
    qs = selectors.figures(dimension=dimension, year=year, grant_form=None if by_grant_form else "")
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([figure_out(f).model_dump(by_alias=True) for f in result.items])
