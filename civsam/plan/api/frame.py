"""API: the strategies and Agenda 2030 goals the plan's areas and initiatives are tagged with (ADR 0122)."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router
from pydantic import Field

from civsam.core.apitools import CamelSchema, ProblemOut, check_query_names

from .. import selectors
from ..models import FrameTag

router = Router(tags=["handlingsplaner"])


class FrameTagOut(CamelSchema):
    """En strategi, en del av den regionala utvecklingsstrategin eller ett Agenda 2030-mål."""

    code: str
    kind: str = Field(
        description=(
            "rus_priority (prioriterat område i den regionala utvecklingsstrategin), rus_direction (strategisk "
            "inriktning), rus_position (önskvärt läge 2030), strategy (annan regional strategi) eller sdg "
            "(mål i Agenda 2030)."
        )
    )
    number: int | None = Field(None, description="Målets nummer (1–17) för Agenda 2030-mål.")
    parent: str | None = Field(None, description="Koden för det den hör till, t.ex. utvecklingsstrategins område.")
    name_sv: str
    name_en: str
    source: str


class FrameTagListOut(CamelSchema):
    """Alla strategier och mål, i ordning."""

    items: list[FrameTagOut]


@router.get(
    "",
    response={200: FrameTagListOut, 400: ProblemOut},
    by_alias=True,
    operation_id="listFrameTags",
    summary="Strategier och Agenda 2030-mål",
    description=(
        "Det vidare sammanhang som handlingsplanen hänvisar till: den regionala utvecklingsstrategins "
        "prioriterade områden, strategiska inriktningar och önskvärda lägen 2030, regionens andra strategier "
        "och de 17 målen i Agenda 2030, med källa. Koderna används i insatsernas och områdenas frameTags och i "
        "filtret frame-tag."
    ),
)
def frame_tag_list(request, response: HttpResponse):
    check_query_names(request, ())
    tags = selectors.frame_tags().select_related("parent")
    return FrameTagListOut(items=[_out(tag) for tag in tags])


def _out(tag: FrameTag) -> FrameTagOut:
    return FrameTagOut(
        code=tag.code,
        kind=tag.kind,
        number=tag.number,
        parent=tag.parent.code if tag.parent_id else None,
        name_sv=tag.name_sv,
        name_en=tag.name_en,
        source=tag.source,
    )
