"""API: funding sources and calls, with "open" and "eligible-for" on the calls."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
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

from .. import schedule, selectors
from ..models import FundingCall, FundingSource

router = Router(tags=["finansiering"])


class FunderOut(CamelSchema):
    """En bidragsgivare: Regionen, en kommun, en organisation i registret eller en annan aktör."""

    slug: str
    name: str
    kind: str = Field(description="region, municipality, organisation, state, eu eller other")
    municipality: str | None = Field(None, description="Kommunkod, för en kommun.")
    orgnr: str | None = Field(None, description="Organisationsnummer, om det är känt.")


class EligibilityOut(CamelSchema):
    """Vem som kan söka; en tom lista betyder alla."""

    legal_forms: list[str] = Field(description="Juridiska formers koder (SCB).")
    municipalities: list[str] = Field(description="Kommunkoder där den sökande ska vara verksam.")
    activity_classes: list[str] = Field(description="Verksamhetsområden (ICNPO-grupper).")
    sector: str = Field(description="any, civil_society, social_enterprise eller work_integrating")
    note: str | None = None


class CoFinancingOut(CamelSchema):
    rules: str | None = None
    min_share_percent: Decimal | None = Field(None, description="Lägsta andel medfinansiering i procent.")


class FundingSourceOut(CamelSchema):
    """En finansieringskälla: ett bidrag, lån, en investering eller ett upphandlingsliknande stöd."""

    slug: str
    name: str
    funder: FunderOut
    kind: str = Field(description="grant, loan, investment eller procurement")
    description: str | None = None
    eligibility: EligibilityOut
    co_financing: CoFinancingOut
    url: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    web_url: str


class FundingCallOut(CamelSchema):
    """En utlysning. opensOn och deadline gäller det aktuella eller nästa ansökningsfönstret."""

    id: int
    title: str
    description: str | None = None
    source: str = Field(description="Finansieringskällans kortnamn.")
    funder: str = Field(description="Bidragsgivarens kortnamn.")
    schedule: str = Field(description="dated, continuous eller yearly")
    status: str = Field(description="published eller closed (utkast visas bara för den som förvaltar källan)")
    opens_on: datetime.date | None = None
    deadline: datetime.date | None = None
    is_open: bool
    url: str | None = None
    web_url: str


def funder_out(funder) -> FunderOut:
    return FunderOut(
        slug=funder.slug,
        name=funder.name,
        kind=funder.kind,
        municipality=funder.municipality.code if funder.municipality_id else None,
        orgnr=funder.identifier_orgnr or None,
    )


def _source_out(request, source: FundingSource) -> FundingSourceOut:
    return FundingSourceOut(
        slug=source.slug,
        name=source.name,
        funder=funder_out(source.funder),
        kind=source.kind,
        description=source.description or None,
        eligibility=EligibilityOut(
            legal_forms=sorted(f.code for f in source.eligible_legal_forms.all()),
            municipalities=sorted(m.code for m in source.eligible_municipalities.all()),
            activity_classes=sorted(a.code for a in source.eligible_activity_classes.all()),
            sector=source.sector,
            note=source.eligibility_note or None,
        ),
        co_financing=CoFinancingOut(
            rules=source.co_financing_rules or None, min_share_percent=source.co_financing_min_share
        ),
        url=source.url or None,
        contact_name=source.contact_name or None,
        contact_email=source.contact_email or None,
        web_url=request.build_absolute_uri(source.get_absolute_url()),
    )


def _call_out(request, call: FundingCall, today: datetime.date) -> FundingCallOut:
    window = selectors.call_window(call, today)
    return FundingCallOut(
        id=call.pk,
        title=call.title,
        description=call.description or None,
        source=call.source.slug,
        funder=call.source.funder.slug,
        schedule=call.schedule,
        status=call.status,
        opens_on=window.opens,
        deadline=window.deadline,
        is_open=schedule.is_open(call.status, window, today),
        url=call.url or None,
        web_url=request.build_absolute_uri(call.get_absolute_url()),
    )


@router.get(
    "/funding-sources",
    response={200: PageOut[FundingSourceOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listFundingSources",
    summary="Finansieringskällor",
    description="Bidrag, lån och andra finansieringskällor för civilsamhället i länet, med vem som kan söka och "
    "regler för medfinansiering.",
)
def funding_source_list(
    request,
    response: HttpResponse,
    funder: Annotated[list[str] | None, Query(description="Bidragsgivarens kortnamn; flera med komma.")] = None,
    kind: Annotated[str | None, Query(description="grant, loan, investment eller procurement.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("funder", "kind", *PAGING_PARAMS))
    qs = selectors.source_list(user=request.user)
    if funder:
        qs = qs.filter(funder__slug__in=split_values(funder))
    if kind:
        if kind not in FundingSource.Kind.values:
            raise invalid_parameters_problem(
                [
                    InvalidParameter(
                        "kind",
                        _("måste vara ett av: %(values)s") % {"values": ", ".join(FundingSource.Kind.values)},
                        kind,
                    )
                ]
            )
        qs = qs.filter(kind=kind)
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_source_out(request, s).model_dump(by_alias=True) for s in result.items])


@router.get(
    "/funding-sources/{slug}",
    response={200: FundingSourceOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getFundingSource",
    summary="En finansieringskälla",
    description="En finansieringskälla med bidragsgivare, vem som kan söka och regler för medfinansiering.",
)
def funding_source_detail(request, slug: Annotated[str, Path(description="Finansieringskällans kortnamn.")]):
    check_query_names(request, ())
    source = selectors.source_list(user=request.user).filter(slug=slug).first()
    if source is None:
        raise ApiProblem(404, _("Det finns ingen finansieringskälla med kortnamnet %(slug)s.") % {"slug": slug})
    return _source_out(request, source)


@router.get(
    "/funding-calls",
    response={200: PageOut[FundingCallOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listFundingCalls",
    summary="Utlysningar",
    description="Utlysningar, med sista ansökningsdag först. open=true visar de som går att söka i dag; "
    "eligible-for=<organisationsnummer> de som organisationen kan söka utifrån juridisk form, sektor, kommuner "
    "och verksamhetsområden.",
)
def funding_call_list(
    request,
    response: HttpResponse,
    open_: Annotated[bool | None, Query(alias="open", description="true: bara öppna utlysningar.")] = None,
    eligible_for: Annotated[
        str | None, Query(alias="eligible-for", description="Organisationsnummer: bara utlysningar den kan söka.")
    ] = None,
    source: Annotated[list[str] | None, Query(description="Finansieringskällans kortnamn; flera med komma.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, ("open", "eligible-for", "source", *PAGING_PARAMS))
    today = timezone.localdate()
    organisation = None
    if eligible_for is not None:
        try:
            number = orgnr_rules.normalise(eligible_for)
        except orgnr_rules.OrgnrError as exc:
            raise invalid_parameters_problem(
                [InvalidParameter("eligible-for", str(exc).rstrip("."), eligible_for)]
            ) from exc
        organisation = selectors.organisation_for_eligibility(orgnr=number)
        if organisation is None:
            raise invalid_parameters_problem(
                [InvalidParameter("eligible-for", _("är inte en organisation i registret"), eligible_for)]
            )
    if organisation is not None:
        calls = selectors.calls_open_for(organisation, user=request.user, today=today)
    elif open_:
        calls = selectors.calls_open(user=request.user, today=today)
    else:
        qs = selectors.call_list(user=request.user)
        calls = sorted(qs, key=lambda c: selectors.deadline_order(c, today))
        if open_ is False:
            calls = [c for c in calls if not schedule.is_open(c.status, selectors.call_window(c, today), today)]
    if source:
        slugs = set(split_values(source))
        calls = [c for c in calls if c.source.slug in slugs]
    result = paginate(request, calls, page=page, limit=limit)
    response["Link"] = result.link_header()
    return result.envelope([_call_out(request, c, today).model_dump(by_alias=True) for c in result.items])
