"""API: consultations (remisser) of draft plans and their public responses.

A response is an official document once the consultation has closed: it is listed then, without
the parts the secrecy assessment withheld and with a private person unnamed. While a consultation
is open, and for everything withheld, the API shows nothing."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router
from pydantic import Field

from civsam.core.apitools import (
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

from .. import selectors
from ..models import Consultation

router = Router(tags=["remisser"])


class ConsultationOut(CamelSchema):
    """En remiss av en handlingsplan."""

    id: int
    title: str
    description: str
    plan: str = Field(description="Planens kortnamn, t.ex. 2026-2030.")
    deadline: datetime.date
    status: str = Field(description="open (öppen för svar) eller closed (avslutad).")
    responses_public: bool = Field(description="Om svaren är offentliga: när remissen har stängts.")
    report_published: bool = Field(description="Om remissammanställningen med ställningstagandena är publicerad.")
    url: str
    web_url: str


class ResponseSectionOut(CamelSchema):
    """Synpunkter på ett kapitel, ett insatsområde eller ett prioriterat aktivitetsområde."""

    chapter: str = Field(description="Kapitlets kod (t.ex. principles) eller tomt.")
    area_code: str = Field(description="Insatsområdets (”2”) eller aktivitetsområdets (”2.3”) kod, eller tomt.")
    heading: str
    text: str


class ConsultationResponseOut(CamelSchema):
    """Ett offentligt remissvar: utan sekretessbelagda delar, en privatperson utan namn."""

    id: int
    respondent: str
    organisation_id: int | None
    municipality_code: str | None
    private_person: bool
    general_comment: str
    sections: list[ResponseSectionOut]
    disposition: str = Field(
        description="taken_in, partly eller not_taken_in när sammanställningen är publicerad, annars tomt."
    )
    disposition_reason: str
    disposition_change: str


def _consultation_out(request, consultation: Consultation) -> ConsultationOut:
    return ConsultationOut(
        id=consultation.pk,
        title=consultation.title,
        description=consultation.description,
        plan=consultation.plan.slug,
        deadline=consultation.deadline,
        status=consultation.status,
        responses_public=consultation.status == Consultation.Status.CLOSED,
        report_published=consultation.report_published_at is not None,
        url=request.build_absolute_uri(
            reverse("api-v1:consultation-detail", kwargs={"consultation_id": consultation.pk})
        ),
        web_url=request.build_absolute_uri(consultation.get_absolute_url()),
    )


def _consultation(consultation_id: int) -> Consultation:
    consultation = selectors.consultation_get(consultation_id)
    if consultation is None:
        raise ApiProblem(404, _("Det finns ingen remiss %(id)s.") % {"id": consultation_id})
    return consultation


ConsultationId = Annotated[int, Path(description="Remissens id.")]


@router.get(
    "",
    response={200: PageOut[ConsultationOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listConsultations",
    summary="Remisserna",
    description="Alla remisser av handlingsplanerna, senaste sista svarsdag först.",
)
def consultation_list(request, response: HttpResponse, limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1):
    check_query_names(request, PAGING_PARAMS)
    result = paginate(request, selectors.consultation_list_public(), page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_consultation_out(request, c) for c in result.items])


@router.get(
    "/{consultation_id}",
    response={200: ConsultationOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getConsultation",
    url_name="consultation-detail",
    summary="En remiss",
    description=(
        "En remiss: titel, plan, sista svarsdag och status, om svaren är offentliga (när remissen har "
        "stängts) och om remissammanställningen är publicerad."
    ),
)
def consultation_detail(request, consultation_id: ConsultationId):
    check_query_names(request, ())
    return _consultation_out(request, _consultation(consultation_id))


@router.get(
    "/{consultation_id}/responses",
    response={200: PageOut[ConsultationResponseOut], 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="listConsultationResponses",
    summary="En remiss offentliga svar",
    description=(
        "Svaren är allmänna handlingar när remissen har stängts; medan den är öppen är listan tom. "
        "Delar som sekretessbelagts efter sekretessprövning visas aldrig, och en privatperson visas utan "
        "namn. Regionens ställningstagande följer med när remissammanställningen är publicerad."
    ),
)
def consultation_responses(
    request,
    response: HttpResponse,
    consultation_id: ConsultationId,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, PAGING_PARAMS)
    consultation = _consultation(consultation_id)
    published = consultation.report_published_at is not None
    result = paginate(request, selectors.public_responses(consultation), page=page, limit=limit)
    response["Link"] = result.link_header()
    items = []
    for item in result.items:
        row = item.response
        sections = [
            ResponseSectionOut(
                chapter=s.chapter,
                area_code=s.priority_area.code if s.priority_area_id else s.focus_area.code if s.focus_area_id else "",
                heading=s.target_label,
                text=s.text,
            )
            for s in item.sections
        ]
        items.append(
            ConsultationResponseOut(
                id=row.pk,
                respondent=item.respondent,
                organisation_id=row.organisation_id,
                municipality_code=row.municipality.code if row.municipality_id else None,
                private_person=row.private_person,
                general_comment=item.general_comment,
                sections=sections,
                disposition=row.disposition if published else "",
                disposition_reason=row.disposition_reason if published else "",
                disposition_change=row.disposition_change if published else "",
            )
        )
    return result.envelope(items)
