"""API: partnership agreements (issue #17). Public signed agreements to read; drafts, parties,
contributions and follow-up reports written by those who act for the parties, through the same
services as the pages."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from civsam.core.apiguards import problem_from_validation, require_signed_in
from civsam.core.apitools import (
    DEFAULT_LIMIT,
    PAGING_PARAMS,
    InvalidParameter,
    Limit,
    PageNumber,
    PageOut,
    ProblemOut,
    check_query_names,
    invalid_parameters_problem,
    paginate,
    request_body_problem,
)
from civsam.core.models import Municipality
from civsam.plan.models import PriorityArea
from civsam.registry.models import Organisation, pk_from_civsam_id
from civsam.registry.permissions import organisations_visible_to

from .. import loaders, permissions, selectors, services
from ..models import Agreement, Contribution, Party
from .schemas import (
    TAGS,
    AgreementContributionIn,
    AgreementIn,
    AgreementOut,
    AgreementPartyIn,
    AgreementPatchIn,
    AgreementReportIn,
    agreement_out,
)

router = Router(tags=TAGS)

AgreementId = Annotated[int, Path(description="Överenskommelsens id.")]
Year = Annotated[int, Path(ge=2000, le=2100, description="Uppföljningens år.")]
RIGHTS = (
    "Kräver inloggning (sessionscookie med CSRF-token i huvudet X-CSRFToken). Överenskommelsen hanteras av dem som "
    "företräder den ansvariga parten eller en part som har tackat ja, och av regionens administratörer; annars "
    "blir svaret 403 eller 404."
)
LIST_PARAMS = (*PAGING_PARAMS, "kind", "municipality", "priority-area", "organisation", "sector", "year", "status")


def _organisation(request, name: str, key: str) -> Organisation:
    visible = organisations_visible_to(request.user)
    pk = pk_from_civsam_id(key)
    found = visible.filter(pk=pk).first() if pk is not None else visible.filter(orgnr=key.replace("-", "")).first()
    if found is None:
        raise request_body_problem([InvalidParameter(name, _("är okänd"), key)])
    return found


def _municipality(code: str | None) -> Municipality | None:
    if code is None:
        return None
    found = Municipality.objects.filter(code=code).first()
    if found is None:
        raise request_body_problem([InvalidParameter("municipality", _("är okänd"), code)])
    return found


def _choice(name: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        raise request_body_problem([InvalidParameter(name, _("okänt värde"), value)])


@contextmanager
def _service_errors():
    """A service's ValidationError as a 400 problem naming its fields."""
    try:
        yield
    except ValidationError as exc:
        raise problem_from_validation(exc) from None


def _body(request, agreement: Agreement) -> AgreementOut:
    agreement = loaders.visible_agreement(request.user, agreement.pk)
    return agreement_out(request, agreement, contributions=selectors.agreement_contributions(agreement))


@router.get(
    "/agreements",
    response={200: PageOut[AgreementOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listAgreements",
    summary="Överenskommelser",
    description=(
        "Undertecknade överenskommelser som är öppna (IOP, lokala överenskommelser och andra), och för den "
        "inloggade även utkast och dolda överenskommelser för de parter hen företräder."
    ),
)
def agreement_list(
    request,
    response: HttpResponse,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
    kind: Annotated[str | None, Query(description="Slag: iop, local eller other.")] = None,
    municipality: Annotated[str | None, Query(description="Kommunkod, till exempel 1880.")] = None,
    priority_area: Annotated[
        int | None, Query(alias="priority-area", description="Ett prioriterat aktivitetsområdes id.")
    ] = None,
    organisation: Annotated[str | None, Query(description="En parts organisationsnummer eller Civsam-id.")] = None,
    sector: Annotated[
        str | None, Query(description="En parts sektor: civil_society, social_economy, public, private.")
    ] = None,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Överenskommelser som gällde någon dag det året.")
    ] = None,
    status: Annotated[str | None, Query(description="draft, assessment, active, ended eller terminated.")] = None,
):
    check_query_names(request, LIST_PARAMS)
    problems = []
    if kind is not None and kind not in Agreement.Kind.values:
        problems.append(InvalidParameter("kind", _("okänt värde"), kind))
    if status is not None and status not in Agreement.Status.values:
        problems.append(InvalidParameter("status", _("okänt värde"), status))
    if sector is not None and sector not in Organisation.Sector.values:
        problems.append(InvalidParameter("sector", _("okänt värde"), sector))
    municipality_id = None
    if municipality is not None:
        found = Municipality.objects.filter(code=municipality).first()
        if found is None:
            problems.append(InvalidParameter("municipality", _("är okänd"), municipality))
        else:
            municipality_id = found.pk
    organisation_id = None
    if organisation is not None:
        pk = pk_from_civsam_id(organisation)
        found_org = (
            Organisation.objects.filter(pk=pk).first()
            if pk
            else Organisation.objects.filter(orgnr=organisation).first()
        )
        organisation_id = found_org.pk if found_org else -1
    if problems:
        raise invalid_parameters_problem(problems)
    filters = selectors.Filters(
        kind=kind or "",
        municipality=municipality_id,
        priority_area=priority_area,
        organisation=organisation_id,
        sector=sector or "",
        year=year,
        status=status or "",
    )
    qs = selectors.filtered(permissions.agreements_visible_to(request.user), filters)
    qs = (
        qs.select_related("owner", "municipality")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("organisation")),
            "priority_areas__focus_area",
            "goals__priority_area__focus_area",
            "reports",
        )
        .order_by("-starts_on", "id")
    )
    result = paginate(request, qs, page=page, limit=limit)
    response["Link"] = result.link_header()
    contributions = selectors.contributions_by_agreement(result.items)
    return result.envelope([agreement_out(request, a, contributions=contributions[a.pk]) for a in result.items])


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getAgreement",
    summary="En överenskommelse",
    description="En överenskommelse med parter, mål, bidrag och uppföljning. Utkast och dolda syns bara för parterna.",
)
def agreement_get(request, agreement_id: AgreementId):
    check_query_names(request, ())
    agreement = loaders.visible_agreement(request.user, agreement_id)
    return agreement_out(request, agreement, contributions=selectors.agreement_contributions(agreement))


@router.post(
    "/agreements",
    response={201: AgreementOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut},
    by_alias=True,
    operation_id="createAgreement",
    summary="Registrera en överenskommelse",
    description="Sparar en överenskommelse som utkast, med den ansvariga parten som första part. " + RIGHTS,
)
def agreement_create(request: HttpRequest, response: HttpResponse, payload: AgreementIn):
    require_signed_in(request, _("Logga in för att registrera en överenskommelse."))
    check_query_names(request, ())
    _choice("kind", payload.kind, Agreement.Kind.values)
    areas = list(PriorityArea.objects.filter(pk__in=payload.priority_area_ids))
    if len(areas) != len(set(payload.priority_area_ids)):
        raise request_body_problem([InvalidParameter("priorityAreaIds", _("innehåller okända id"))])
    data = payload.model_dump(exclude={"owner", "municipality", "priority_area_ids"})
    with _service_errors():
        agreement = services.agreement_create(
            actor=request.user,
            owner=_organisation(request, "owner", payload.owner),
            municipality=_municipality(payload.municipality),
            priority_areas=areas,
            **data,
        )
    response["Location"] = request.build_absolute_uri(agreement.get_absolute_url())
    return Status(201, _body(request, agreement))


@router.patch(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="updateAgreement",
    summary="Ändra en överenskommelse",
    description="Ändrar bara de egenskaper som skickas med. " + RIGHTS,
)
def agreement_update(request: HttpRequest, agreement_id: AgreementId, payload: AgreementPatchIn):
    require_signed_in(request, _("Logga in för att ändra en överenskommelse."))
    check_query_names(request, ())
    values = {k: getattr(payload, k) for k in payload.model_fields_set}
    for name in ("title", "challenge", "starts_on", "is_public", "notice_months"):
        if name in values and values[name] is None:
            raise request_body_problem([InvalidParameter(name, _("får inte vara null"))])
    values = {
        k: (
            ""
            if v is None
            and k in {"problem_analysis", "renegotiation", "deciding_body", "case_number", "non_public_reason"}
            else v
        )
        for k, v in values.items()
    }
    with transaction.atomic(), _service_errors():
        agreement = loaders.managed_agreement(request.user, agreement_id)
        agreement = services.agreement_update(
            actor=request.user, agreement=agreement, changes=services.AgreementChanges(**values)
        )
    return _body(request, agreement)


@router.post(
    "/agreements/{agreement_id}/parties",
    response={201: AgreementOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="addAgreementParty",
    summary="Lägg till en part",
    description=(
        "Lägger till en part i ett utkast. Företräder du organisationen blir den part direkt, annars bjuds den "
        "in. " + RIGHTS
    ),
)
def party_add(request: HttpRequest, agreement_id: AgreementId, payload: AgreementPartyIn):
    require_signed_in(request, _("Logga in för att lägga till en part."))
    check_query_names(request, ())
    _choice("role", payload.role, Party.Role.values)
    agreement = loaders.managed_agreement(request.user, agreement_id)
    with _service_errors():
        services.party_add(
            actor=request.user,
            agreement=agreement,
            organisation=_organisation(request, "organisation", payload.organisation),
            role=payload.role,
            responsibility=payload.responsibility,
        )
    return Status(201, _body(request, agreement))


@router.post(
    "/agreements/{agreement_id}/contributions",
    response={201: AgreementOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="addAgreementContribution",
    summary="Ange en parts bidrag",
    description=(
        "Anger en parts bidrag ett år: pengar, lokaler, personaltimmar eller ideella timmar. Kräver att du "
        "företräder parten eller den ansvariga parten. " + RIGHTS
    ),
)
def contribution_add(request: HttpRequest, agreement_id: AgreementId, payload: AgreementContributionIn):
    require_signed_in(request, _("Logga in för att ange ett bidrag."))
    check_query_names(request, ())
    _choice("kind", payload.kind, Contribution.Kind.values)
    agreement = loaders.managed_agreement(request.user, agreement_id)
    organisation = _organisation(request, "organisation", payload.organisation)
    party = agreement.parties.filter(organisation=organisation).first()
    if party is None:
        raise request_body_problem([InvalidParameter("organisation", _("är inte part"), payload.organisation)])
    with _service_errors():
        services.contribution_add(
            actor=request.user,
            party=party,
            year=payload.year,
            kind=payload.kind,
            quantity=payload.quantity,
            rate=payload.rate,
            rate_source=payload.rate_source,
            description=payload.description,
        )
    return Status(201, _body(request, agreement))


@router.put(
    "/agreements/{agreement_id}/reports/{year}",
    response={200: AgreementOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="saveAgreementReport",
    summary="Årets uppföljning",
    description="Skriver årets uppföljning av en undertecknad överenskommelse. " + RIGHTS,
)
def report_save(request: HttpRequest, agreement_id: AgreementId, year: Year, payload: AgreementReportIn):
    require_signed_in(request, _("Logga in för att följa upp en överenskommelse."))
    check_query_names(request, ())
    agreement = loaders.managed_agreement(request.user, agreement_id)
    with _service_errors():
        services.report_save(actor=request.user, agreement=agreement, year=year, **payload.model_dump())
    return _body(request, agreement)


__all__ = ["router"]
