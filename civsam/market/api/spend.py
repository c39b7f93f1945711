"""API: the share of each buyer's spend that reaches the social economy, per layer and year."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

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

from .. import layers, selectors
from ..models import SpendLayer
from .common import _buyer_param, _choice

router = Router(tags=["marknad och upphandling"])


# --- Share of spend -----------------------------------------------------------------------------------------


class SpendShareOut(CamelSchema):
    """En köpares inköp ett år i ett lager, med andelen av alla köparens inköp det året."""

    buyer: str
    buyer_organisation_number: str | None = None
    buyer_municipality: str | None = Field(None, description="Kommunkod, när köparen är en kommun.")
    year: int
    layer: str = Field(
        description="nonprofit, cooperative, ideburen, social_enterprise, work_integrating, "
        "reserved eller iop. Lagren överlappar och ska inte läggas ihop."
    )
    layer_label: str
    amount: Decimal = Field(description="Belopp i kronor.")
    total: Decimal = Field(description="Alla köparens inköp samma år, i kronor.")
    share: float | None = Field(None, description="amount / total, som bråk (0–1).")
    suppliers: int


@router.get(
    "/statistics/spend-share",
    response={200: PageOut[SpendShareOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listSpendShares",
    summary="Den sociala ekonomins andel av inköpen",
    description="Per köpare, år och lager, från köparnas egna fakturarader. Varje lager redovisas för sig; "
    "metoden och vad varje lager över- och underskattar beskrivs på webbsidan Så räknar vi.",
)
def spend_share_list(
    request,
    response: HttpResponse,
    buyer: Annotated[str | None, Query(description="Köparens kommunkod eller organisationsnummer.")] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="Bara detta år.")] = None,
    layer: Annotated[str | None, Query(description="Bara detta lager.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("buyer", "year", "layer", *PAGING_PARAMS))
    _choice("layer", layer, list(layers.LAYERS))
    buyer_obj = _buyer_param(buyer) if buyer else None
    shares = [] if buyer and buyer_obj is None else selectors.spend_shares(buyer=buyer_obj, year=year)
    labels = dict(SpendLayer.choices)
    rows = [
        SpendShareOut(
            buyer=item.buyer.name,
            buyer_organisation_number=item.buyer.orgnr or None,
            buyer_municipality=item.buyer.municipality.code if item.buyer.municipality_id else None,
            year=share_year.year,
            layer=name,
            layer_label=str(labels[name]),
            amount=cell.amount,
            total=share_year.total,
            share=None if cell.share is None else round(cell.share, 6),
            suppliers=cell.suppliers,
        ).model_dump(by_alias=True, mode="json")
        for item in shares
        for share_year in item.years
        for name, _label, cell in share_year.cells
        if not layer or name == layer
    ]
    result = paginate(request, rows, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope(list(result.items))
