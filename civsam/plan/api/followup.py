"""API: the rolled-up progress tree of a plan, and the annual report in HTML, PDF or JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Path, Query
from pydantic import Field

from civsam.core.apitools import ApiProblem, CamelSchema, ProblemOut, check_query_names

from .. import permissions, selectors
from ..models import FollowUpReport
from ..rendering import report_html, report_pdf_filename, report_snapshot
from .plans import _plan_by_id_or_slug, router


class InitiativeNodeOut(CamelSchema):
    """En insats i trädet, med sin (eventuellt uppräknade) andel genomförd och sina delinsatser."""

    id: int
    title: str
    status: str
    progress: float | None = None
    children: list[InitiativeNodeOut]


class PriorityAreaNodeOut(CamelSchema):
    code: str
    title_sv: str
    title_en: str
    progress: float | None = Field(None, description="Andel genomförd 0–100, null om inga insatser räknas.")
    counted_initiatives: int
    initiatives: list[InitiativeNodeOut]


class FocusAreaNodeOut(CamelSchema):
    code: str
    title_sv: str
    title_en: str
    progress: float | None = None
    counted_initiatives: int
    priority_areas: list[PriorityAreaNodeOut]


class ProgressOut(CamelSchema):
    """Planens träd med andel genomförd på varje nivå: mål, insatsområden, aktivitetsområden, insatser."""

    plan: str
    progress: float | None = None
    counted_initiatives: int
    methods: dict[str, str] = Field(description="Hur varje nivå räknas: mean (medelvärde) eller weighted (viktat).")
    focus_areas: list[FocusAreaNodeOut]


InitiativeNodeOut.model_rebuild()


def _initiative_nodes(rows) -> list[InitiativeNodeOut]:
    return [
        InitiativeNodeOut(
            id=row.initiative.pk,
            title=row.initiative.title,
            status=row.initiative.status.code,
            progress=row.value,
            children=_initiative_nodes(row.children),
        )
        for row in rows
    ]


@router.get(
    "/{plan_id}/progress",
    response={200: ProgressOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getPlanProgress",
    summary="Andel genomförd i hela planens träd",
    description=(
        "Insatsernas andel genomförd räknad uppåt genom alla nivåer: insats (och delinsatser) → "
        "aktivitetsområde → insatsområde → mål, med medelvärde eller viktat medelvärde enligt planens "
        "inställning per nivå. Områden utan insatser och avbrutna insatser räknas inte. Filter: year."
    ),
)
def plan_progress(
    request,
    plan_id: Annotated[str, Path(description="Planens kortnamn eller id.")],
    year: Annotated[
        int | None, Query(None, ge=1900, le=2100, description="Bara insatser som pågår under året.")
    ] = None,
):
    check_query_names(request, ("year",))
    plan = _plan_by_id_or_slug(plan_id)
    if plan is None:
        raise ApiProblem(404, _("Det finns ingen handlingsplan ”%(id)s”.") % {"id": plan_id})
    tree = selectors.plan_progress(plan, selectors.InitiativeFilter(year=year))
    return ProgressOut(
        plan=plan.slug,
        progress=tree.value,
        counted_initiatives=tree.leaves,
        methods={
            "goal": plan.rollup_goal,
            "focusArea": plan.rollup_focus_area,
            "priorityArea": plan.rollup_priority_area,
            "initiative": plan.rollup_initiative,
        },
        focus_areas=[
            FocusAreaNodeOut(
                code=fa.focus_area.code,
                title_sv=fa.focus_area.title_sv,
                title_en=fa.focus_area.title_en,
                progress=fa.value,
                counted_initiatives=fa.leaves,
                priority_areas=[
                    PriorityAreaNodeOut(
                        code=pa.area.code,
                        title_sv=pa.area.title_sv,
                        title_en=pa.area.title_en,
                        progress=pa.value,
                        counted_initiatives=pa.leaves,
                        initiatives=_initiative_nodes(pa.initiatives),
                    )
                    for pa in fa.areas
                ],
            )
            for fa in tree.focus_areas
        ],
    )


class PdfPendingOut(CamelSchema):
    """PDF:en skapas i bakgrunden; fråga igen på adressen i Location efter Retry-After sekunder."""

    status: Literal["queued", "running", "failed"] = Field(
        description="queued (i kö), running (skapas) eller failed (misslyckades, försöks igen senare)."
    )
    detail: str
    retry_after: int = Field(description="Sekunder att vänta innan nästa fråga.")


def _report_pdf(request, report: FollowUpReport, lang: str):
    from civsam.core.rendering import RETRY_AFTER_SECONDS, pdf_file_response

    from ..services import report_pdf_request

    row = report_pdf_request(actor=request.user, report=report, language=lang)
    if row.is_ready:
        return pdf_file_response(row, report_pdf_filename(report, lang))
    retry = RETRY_AFTER_SECONDS * (12 if row.status == row.Status.FAILED else 1)
    detail = row.error if row.status == row.Status.FAILED else _("PDF:en skapas …")
    response = JsonResponse(
        PdfPendingOut(status=row.status, detail=detail, retry_after=retry).model_dump(by_alias=True), status=202
    )
    response["Location"] = request.get_full_path()
    response["Retry-After"] = str(retry)
    return response


FORMAT_TYPES = {"html": "text/html", "pdf": "application/pdf", "json": "application/json"}


def _negotiate(request, fmt: str | None) -> str | None:
    if fmt:
        return fmt
    accept = request.headers.get("Accept", "") or "*/*"
    best, best_q = None, -1.0
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        for name, media_type in FORMAT_TYPES.items():
            if media in (media_type, "*/*", media_type.split("/")[0] + "/*") and q > best_q and q > 0:
                # */* prefers HTML, the report's primary form.
                best, best_q = (name if media != "*/*" else "html"), q - position * 1e-6
    return best


@router.get(
    "/{plan_id}/reports/{year}",
    response={200: dict, 202: PdfPendingOut, 400: ProblemOut, 404: ProblemOut, 406: ProblemOut},
    by_alias=True,
    operation_id="getPlanReport",
    summary="Den årliga uppföljningsrapporten",
    description=(
        "Uppföljningsrapporten för planen och året, som tillgänglig HTML (text/html), taggad PDF "
        "(application/pdf) eller dataunderlaget som JSON (application/json). Formatet väljs med "
        "HTTP-huvudet Accept eller parametern format (html, pdf, json), språket med lang (sv, en). "
        "Publicerade rapporter visas från det dataunderlag som sparades vid publiceringen. "
        "PDF:en skapas i bakgrunden: finns den inte än svarar API:t 202 med huvudena Location (adressen "
        "att fråga igen) och Retry-After (sekunder), tills PDF:en finns och kommer med 200."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "Rapporten.",
                "content": {
                    "text/html": {"schema": {"type": "string"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            }
        }
    },
)
def plan_report(
    request,
    plan_id: Annotated[str, Path(description="Planens kortnamn eller id.")],
    year: Annotated[int, Path(description="Året rapporten gäller.")],
    format: Annotated[Literal["html", "pdf", "json"] | None, Query(None, description="html, pdf eller json.")] = None,
    lang: Annotated[Literal["sv", "en"], Query("sv", description="sv eller en.")] = "sv",
):
    check_query_names(request, ("format", "lang"))
    plan = _plan_by_id_or_slug(plan_id)
    # A draft the caller may not see is answered as if it did not exist.
    visible = permissions.reports_visible_to(request.user).select_related("plan", "published_text")
    report = visible.filter(plan=plan, year=year).first() if plan else None
    if report is None:
        raise ApiProblem(404, _("Det finns ingen publicerad uppföljning för %(year)s.") % {"year": year})
    chosen = _negotiate(request, format)
    if chosen is None:
        raise ApiProblem(406, _("Rapporten finns som text/html, application/pdf och application/json."))
    with translation.override(lang):
        if chosen == "json":
            return report_snapshot(report)
        if chosen == "pdf":
            return _report_pdf(request, report, lang)
        return HttpResponse(report_html(request, report), content_type="text/html; charset=utf-8")
