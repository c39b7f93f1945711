"""API: the evaluation of a plan period, as JSON or as its tagged PDF (ADR 0120)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Path, Query
from pydantic import Field

from civsam.core.apitools import ApiProblem, CamelSchema, ProblemOut, check_query_names

from .. import permissions
from ..evaluation import evaluation_source
from ..evaluation_rendering import evaluation_pdf_filename
from ..models import PeriodEvaluation
from .followup import PdfPendingOut
from .plans import _plan_by_id_or_slug, router


class EvaluationTextOut(CamelSchema):
    """Samordnarens text till ett avsnitt, i den version som visas."""

    section: str = Field(description="summary, reports, indicators, initiatives, consultation eller conclusions.")
    version: int
    body_sv: str = Field(description="Texten på svenska, i Civsams begränsade formatering (stycken, listor, fetstil).")
    body_en: str = Field(description="Texten på engelska; tom om den inte är skriven.")


class PeriodEvaluationOut(CamelSchema):
    """Utvärderingen av en hel planperiod: uppföljningarna, indikatorerna mot målen, insatserna och remissen."""

    plan: str = Field(description="Planens kortnamn.")
    status: str = Field(description="published (publicerad) eller draft (utkast, bara för regionens samordnare).")
    published_at: datetime.datetime | None = None
    texts: list[EvaluationTextOut]
    figures: dict[str, Any] = Field(
        description="Dataunderlaget: reports, indicators (serier mot målvärden), initiatives (per insatsområde och "
        "status) och consultations (med ställningstaganden). Sparat vid publiceringen."
    )
    web_url: str = Field(description="Utvärderingens sida på webbplatsen.")
    pdf_url: str = Field(description="Utvärderingen som taggad PDF.")


@router.get(
    "/{plan_id}/evaluation",
    response={200: PeriodEvaluationOut, 202: PdfPendingOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getPlanEvaluation",
    summary="Utvärderingen av planperioden",
    description=(
        "Utvärderingen av en hel planperiod som JSON, eller med format=pdf som taggad PDF (språket med lang). "
        "Publicerade utvärderingar visas för alla, från det underlag som sparades vid publiceringen; ett utkast "
        "bara för regionens samordnare. PDF:en skapas i bakgrunden: finns den inte än svarar API:t 202 med "
        "huvudena Location och Retry-After."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "Utvärderingen.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def plan_evaluation(
    request,
    plan_id: Annotated[str, Path(description="Planens kortnamn eller id.")],
    format: Annotated[Literal["json", "pdf"], Query("json", description="json eller pdf.")] = "json",
    lang: Annotated[Literal["sv", "en"], Query("sv", description="PDF:ens språk: sv eller en.")] = "sv",
):
    check_query_names(request, ("format", "lang"))
    plan = _plan_by_id_or_slug(plan_id)
    evaluation = PeriodEvaluation.objects.select_related("plan").filter(plan=plan).first() if plan else None
    if evaluation is None or not permissions.can_view_evaluation(request.user, evaluation):
        raise ApiProblem(404, _("Det finns ingen publicerad utvärdering av planen."))
    if format == "pdf":
        return _evaluation_pdf(request, evaluation, lang)
    source = evaluation_source(evaluation)
    slug = evaluation.plan.slug
    return PeriodEvaluationOut(
        plan=slug,
        status=evaluation.status,
        published_at=source.published_at,
        texts=[
            EvaluationTextOut(section=section, version=text["version"], body_sv=text["sv"], body_en=text["en"])
            for section, text in source.texts.items()
        ],
        figures=source.snapshot,
        web_url=request.build_absolute_uri(reverse("plan:evaluation-detail", args=[slug])),
        pdf_url=request.build_absolute_uri(reverse("plan:evaluation-pdf", args=[slug])),
    )


def _evaluation_pdf(request, evaluation: PeriodEvaluation, lang: str):
    from civsam.core.rendering import RETRY_AFTER_SECONDS, pdf_file_response

    from ..services import evaluation_pdf_request

    with translation.override(lang):
        row = evaluation_pdf_request(actor=request.user, evaluation=evaluation, language=lang)
    if row.is_ready:
        return pdf_file_response(row, evaluation_pdf_filename(evaluation, lang))
    retry = RETRY_AFTER_SECONDS * (12 if row.status == row.Status.FAILED else 1)
    detail = row.error if row.status == row.Status.FAILED else _("PDF:en skapas …")
    response = JsonResponse(
        PdfPendingOut(status=row.status, detail=detail, retry_after=retry).model_dump(by_alias=True), status=202
    )
    response["Location"] = request.get_full_path()
    response["Retry-After"] = str(retry)
    return response
