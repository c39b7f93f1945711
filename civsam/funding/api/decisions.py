"""API: the public grant register, as Civsam's JSON or as a 360Giving data package."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from pydantic import Field

from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    ApiProblem,
    CamelSchema,
    InvalidParameter,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    invalid_parameters_problem,
    paginate,
    split_values,
)
from civsam.registry import orgnr as orgnr_rules

from .. import selectors
from ..exports import threesixty_package
from ..models import GrantDecision
from .sources import FunderOut, funder_out

router = Router(tags=["bidragsregistret"])

# Counting stops here, as in the directory (ADR 0041): above it totalCountExact is false.
COUNT_CAP = 1_000
FILTERS = (
    "q",
    "funder",
    "programme",
    "municipality",
    "recipient",
    "legal-form",
    "year",
    "amount-min",
    "amount-max",
    "sort",
    "format",
)


class RecipientOut(CamelSchema):
    orgnr: str
    name: str
    municipality: str = Field(description="Mottagarens kommun (kommunkod) vid beslutet.")
    legal_form: str = Field(description="Mottagarens juridiska form (kod) vid beslutet.")


class GrantDecisionOut(CamelSchema):
    """Ett bidragsbeslut i länets bidragsregister."""

    id: int
    case_number: str = Field(description="Bidragsgivarens diarienummer.")
    funder: FunderOut
    programme: str | None = None
    source: str | None = Field(None, description="Finansieringskällans kortnamn, om beslutet hör till en.")
    recipient: RecipientOut
    grant_form: str = Field(description="operating, project, activity, premises, investment eller other")
    amount_applied: Decimal | None = None
    amount_granted: Decimal
    amount_paid: Decimal | None = None
    year_from: int
    year_to: int
    multi_year: bool
    decision_date: datetime.date
    purpose: str | None = None
    web_url: str


def decision_out(request, decision: GrantDecision) -> GrantDecisionOut:
    return GrantDecisionOut(
        id=decision.pk,
        case_number=decision.case_number,
        funder=funder_out(decision.funder),
        programme=decision.programme_label or None,
        source=decision.source.slug if decision.source_id else None,
        recipient=RecipientOut(
            orgnr=decision.recipient.orgnr,
            name=decision.recipient.name,
            municipality=decision.recipient_municipality.code,
            legal_form=decision.recipient_legal_form.code,
        ),
        grant_form=decision.grant_form,
        amount_applied=decision.amount_applied,
        amount_granted=decision.amount_granted,
        amount_paid=decision.amount_paid,
        year_from=decision.year_from,
        year_to=decision.year_to,
        multi_year=decision.is_multi_year,
        decision_date=decision.decision_date,
        purpose=decision.purpose or None,
        web_url=request.build_absolute_uri(decision.get_absolute_url()),
    )


class ThreeSixtyPublisherOut(Schema):
    name: str
    website: str


class ThreeSixtyPackageOut(Schema):
    """A page of the register as a 360Giving data package (`format=360giving`); each grant follows
    the 360Giving Data Standard's grant schema, validated in the tests, not restated here."""

    version: str = Field(description="360Giving-standardens version.")
    title: str
    issued: datetime.date
    publisher: ThreeSixtyPublisherOut
    grants: list[dict[str, Any]] = Field(description="Bidragen enligt 360Giving Data Standard.")


@router.get(
    "/grant-decisions",
    response={200: PageOut[GrantDecisionOut] | ThreeSixtyPackageOut, 400: ProblemOut},
    by_alias=True,
    operation_id="listGrantDecisions",
    summary="Bidragsregistret",
    description="Bidragsbeslut från länets bidragsgivare, nyast först. Samma filter som på sidan Bidragsregistret. "
    "format=360giving ger sidan som ett datapaket enligt 360Giving Data Standard (grants, version, publisher); "
    "bläddra med samma länkar. Antalet räknas exakt upp till 1 000 träffar.",
)
def grant_decision_list(
    request,
    response: HttpResponse,
    q: Annotated[
        str | None, Query(max_length=200, description="Sökord i mottagare, ändamål, program och diarienummer.")
    ] = None,
    funder: Annotated[list[str] | None, Query(description="Bidragsgivarens kortnamn; flera med komma.")] = None,
    programme: Annotated[list[str] | None, Query(description="Programmets namn.")] = None,
    municipality: Annotated[list[str] | None, Query(description="Mottagarens kommun (kommunkod).")] = None,
    recipient: Annotated[str | None, Query(description="Mottagarens organisationsnummer.")] = None,
    legal_form: Annotated[list[str] | None, Query(alias="legal-form", description="Juridisk form (kod).")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Bidrag som gäller året.")] = None,
    amount_min: Annotated[
        Decimal | None, Query(alias="amount-min", ge=0, description="Lägsta beviljade belopp.")
    ] = None,
    amount_max: Annotated[
        Decimal | None, Query(alias="amount-max", ge=0, description="Högsta beviljade belopp.")
    ] = None,
    sort: Annotated[
        Literal["-date", "date", "-amount", "amount"] | None, Query(description="Sortering; standard -date.")
    ] = None,
    format_: Annotated[
        Literal["json", "360giving"] | None, Query(alias="format", description="json eller 360giving.")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, (*FILTERS, *PAGING_PARAMS))
    recipient_orgnr = ""
    if recipient:
        try:
            recipient_orgnr = orgnr_rules.normalise(recipient)
        except orgnr_rules.OrgnrError as exc:
            raise invalid_parameters_problem([InvalidParameter("recipient", str(exc).rstrip("."), recipient)]) from exc
    filters = selectors.RegisterFilter(
        q=q or "",
        funder=tuple(split_values(funder)),
        programme=tuple(p.strip() for p in programme or () if p.strip()),
        municipality=tuple(split_values(municipality)),
        recipient=recipient_orgnr,
        legal_form=tuple(split_values(legal_form)),
        year=year,
        amount_min=amount_min,
        amount_max=amount_max,
        sort=sort or "",
    )
    qs = selectors.with_register_relations(selectors.decision_register(user=request.user, filters=filters))
    result = paginate(request, qs, page=page, limit=limit, cap=COUNT_CAP)
    if format_ == "360giving":
        body = JsonResponse(threesixty_package(request, result.items), json_dumps_params={"ensure_ascii": False})
        body["Link"] = result.link_header()
        return body
    response["Link"] = result.link_header()
    return result.envelope([decision_out(request, d).model_dump(by_alias=True) for d in result.items])


@router.get(
    "/grant-decisions/{decision_id}",
    response={200: GrantDecisionOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getGrantDecision",
    summary="Ett bidragsbeslut",
    description="Ett beslut i bidragsregistret: bidragsgivare, program, mottagare, belopp, år och syfte.",
)
def grant_decision_detail(
    request, decision_id: Annotated[int, Path(ge=1, le=2**62, description="Beslutets id i registret.")]
):
    check_query_names(request, ())
    decision = selectors.decision_detail(decision_id)
    if decision is None:
        raise ApiProblem(404, _("Det finns inget bidragsbeslut med id %(id)s.") % {"id": decision_id})
    return decision_out(request, decision)
