"""API: the register of civil-society organisations, as far as the caller may see it.

Contact persons are personal data and never leave through the API; neither do the search
document and other internals.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from django.urls import reverse
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
from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole

from . import loaders, orgnr, paging, selectors
from .models import Organisation, pk_from_civsam_id

router = Router(tags=["organisationer"])

# API value -> DirectoryFilter flag name; hyphenated like every other value in a URL.
FLAG_VALUES = {
    "social-enterprise": "social_enterprise",
    "work-integrating": "work_integrating",
    "ideburen-registered": "ideburen_registered",
}
# API values of the sector and kind of actor (hyphenated) -> the stored values (ADR 0096).
SECTOR_VALUES = {
    "civil-society": Organisation.Sector.CIVIL_SOCIETY,
    "social-economy": Organisation.Sector.SOCIAL_ECONOMY,
    "public": Organisation.Sector.PUBLIC,
    "private": Organisation.Sector.PRIVATE,
}
KIND_VALUES = {
    "swedish": Organisation.Kind.SWEDISH,
    "informal": Organisation.Kind.INFORMAL,
    "foreign": Organisation.Kind.FOREIGN,
}
SECTOR_OUT = {value: key for key, value in SECTOR_VALUES.items()}
KIND_OUT = {value: key for key, value in KIND_VALUES.items()}
SectorValue = Literal["civil-society", "social-economy", "public", "private"]
KindValue = Literal["swedish", "informal", "foreign"]
SortValue = Literal["relevance", "name", "-name", "municipality", "founded", "-founded", "-members"]
LIST_PARAMS = (
    "q",
    "municipality",
    "legal-form",
    "activity",
    "role",
    "flag",
    "sector",
    "kind",
    "country",
    "no-orgnr",
    "sort",
    *PAGING_PARAMS,
)
Q_DESCRIPTION = (
    "Fritext i namn, beskrivning och organisationsnummer, med svensk ordstamning: ”föreningar” hittar "
    "”förening”, och ord som börjar med söktermen träffar också. Högst 200 tecken."
)
FLAG_DESCRIPTION = (
    "Bara organisationer med flaggan: social-enterprise, work-integrating eller ideburen-registered. "
    "Flera flaggor kombineras med OCH."
)
SORT_DESCRIPTION = (
    "Sortering. Standard: relevance när q är angiven, annars name. Ett minustecken först betyder fallande ordning."
)
MULTI = "Flera värden anges med kommatecken eller genom att upprepa parametern; de kombineras med ELLER."


# --- Schemas -------------------------------------------------------------------------------------


class CodeNameOut(CamelSchema):
    """En kod ur en klassificering, med namn på svenska och engelska."""

    code: str
    name_sv: str
    name_en: str


class MunicipalityRefOut(CamelSchema):
    """En kommun: kommunkod (SCB) och namn."""

    code: str
    name: str


class FlagOut(CamelSchema):
    """En kontrollerad uppgift om organisationen, med källa och datum för senaste kontroll."""

    value: bool
    source: str | None = Field(None, description="Var uppgiften kommer från.")
    verified_on: datetime.date | None = Field(None, description="När uppgiften senast kontrollerades.")


class OrganisationOut(CamelSchema):
    """En aktör i aktörsregistret, av vilket slag och i vilken sektor som helst. Kontaktpersoner ingår aldrig."""

    organisation_number: str | None = Field(
        description="Organisationsnumret, tio siffror; identifierar resursen. Saknas (null) för en aktör utan "
        "svenskt organisationsnummer."
    )
    organisation_number_formatted: str | None = Field(
        description="Organisationsnumret med bindestreck, NNNNNN-NNNN, eller null."
    )
    civsam_id: str = Field(
        description="Civsams stabila id för aktören, t.ex. CS-000123. Identifierar resursen när organisationsnummer "
        "saknas; leder vidare om aktören förts samman med en annan."
    )
    kind: KindValue = Field(
        description="Slag av aktör: swedish (svensk juridisk person), informal (informell grupp eller nätverk) "
        "eller foreign (utländsk organisation)."
    )
    sector: SectorValue = Field(
        description="Sektor: civil-society, social-economy, public (offentlig) eller private (privat)."
    )
    country: str = Field(description="Land, ISO 3166-1 alfa-2 (SE för svenska aktörer).")
    national_registration_number: str | None = Field(
        None, description="Registreringsnummer i hemlandet, för en utländsk organisation som har ett."
    )
    name: str
    legal_form: CodeNameOut = Field(description="Juridisk form enligt SCB:s kodlista.")
    municipality: MunicipalityRefOut = Field(description="Hemkommun.")
    active_municipalities: list[MunicipalityRefOut] = Field(description="Andra kommuner där organisationen verkar.")
    activities: list[CodeNameOut] = Field(description="Verksamhetsområden enligt ICNPO.")
    roles: list[CodeNameOut] = Field(description="Roller i samhället enligt handlingsplanen.")
    website: str | None = None
    email: str | None = Field(None, description="Organisationens egen e-postadress (inte en persons).")
    description: str | None = None
    founded_year: int | None = None
    member_count: int | None = None
    social_enterprise: FlagOut = Field(description="Socialt företag.")
    work_integrating: FlagOut = Field(description="Arbetsintegrerande socialt företag.")
    ideburen_registered: FlagOut = Field(description="Registrerad idéburen organisation.")
    public: bool = Field(description="Visas i den öppna katalogen. Icke-offentliga syns bara för behörig personal.")
    demo: bool = Field(description="Påhittad demoorganisation, inte en verklig.")
    updated_at: datetime.datetime = Field(description="Senast ändrad (RFC 3339).")
    url: str = Field(description="Resursens adress i API:et.")
    web_url: str = Field(description="Organisationens sida på webbplatsen.")


def _code_name(obj) -> CodeNameOut:
    return CodeNameOut(code=obj.code, name_sv=obj.name_sv, name_en=obj.name_en)


def _municipality_ref(municipality: Municipality) -> MunicipalityRefOut:
    return MunicipalityRefOut(code=municipality.code, name=municipality.name)


def _flag(organisation: Organisation, value_field: str, prefix: str) -> FlagOut:
    return FlagOut(
        value=getattr(organisation, value_field),
        source=getattr(organisation, f"{prefix}_source") or None,
        verified_on=getattr(organisation, f"{prefix}_verified_on"),
    )


def organisation_out(request, organisation: Organisation) -> OrganisationOut:
    """The public representation; relations must be prefetched (selectors.with_detail_relations)."""
    return OrganisationOut(
        organisation_number=organisation.orgnr,
        organisation_number_formatted=orgnr.format_display(organisation.orgnr) if organisation.orgnr else None,
        civsam_id=organisation.civsam_id,
        kind=KIND_OUT[organisation.kind],
        sector=SECTOR_OUT[organisation.sector],
        country=organisation.country,
        national_registration_number=organisation.foreign_registration_number or None,
        name=organisation.name,
        legal_form=_code_name(organisation.legal_form),
        municipality=_municipality_ref(organisation.municipality),
        active_municipalities=[_municipality_ref(m) for m in organisation.active_municipalities.all()],
        activities=[_code_name(a) for a in organisation.activity_classes.all()],
        roles=[_code_name(r) for r in organisation.roles.all()],
        website=organisation.website or None,
        email=organisation.email or None,
        description=organisation.description or None,
        founded_year=organisation.founded_year,
        member_count=organisation.member_count,
        social_enterprise=_flag(organisation, "social_enterprise", "social_enterprise"),
        work_integrating=_flag(organisation, "work_integrating", "work_integrating"),
        ideburen_registered=_flag(organisation, "ideburen_registered", "ideburen"),
        public=organisation.is_public,
        demo=organisation.is_demo,
        updated_at=organisation.updated_at,
        url=request.build_absolute_uri(
            reverse("api-v1:organisation-detail", kwargs={"organisationsnummer": organisation.key})
        ),
        web_url=request.build_absolute_uri(organisation.get_absolute_url()),
    )


# --- Filter values -------------------------------------------------------------------------------


def _unknown_codes(name: str, values: list[str], model) -> InvalidParameter | None:
    if not values:
        return None
    known = set(model.objects.filter(code__in=values).values_list("code", flat=True))
    unknown = [v for v in values if v not in known]
    if not unknown:
        return None
    return InvalidParameter(name, _("har okända koder: %(codes)s") % {"codes": ", ".join(unknown)}, ",".join(unknown))


def _allowed_values(name: str, values: list[str], allowed) -> InvalidParameter | None:
    unknown = [v for v in values if v not in allowed]
    if not unknown:
        return None
    return InvalidParameter(
        name, _("får bara ha värdena %(allowed)s") % {"allowed": ", ".join(allowed)}, ",".join(unknown)
    )


def _directory_filter(
    *, q, municipality, legal_form, activity, role, flag, sort, sector=None, kind=None, country=None, no_orgnr=False
) -> selectors.DirectoryFilter:
    sectors, kinds = split_values(sector), split_values(kind)
    countries = [c.upper() for c in split_values(country)]
    filters = selectors.DirectoryFilter(
        q=(q or "").strip(),
        municipality=split_values(municipality),
        legal_form=split_values(legal_form),
        activity=split_values(activity),
        role=split_values(role),
        country=countries,
        no_orgnr=bool(no_orgnr),
        sort=sort or "",
    )
    problems = [
        _unknown_codes("municipality", filters.municipality, Municipality),
        _unknown_codes("legal-form", filters.legal_form, LegalForm),
        _unknown_codes("activity", filters.activity, ActivityClass),
        _unknown_codes("role", filters.role, SocietalRole),
        _allowed_values("sector", sectors, SECTOR_VALUES),
        _allowed_values("kind", kinds, KIND_VALUES),
    ]
    bad_countries = [c for c in countries if not (len(c) == 2 and c.isascii() and c.isalpha())]
    if bad_countries:
        problems.append(
            InvalidParameter(
                "country", _("ska vara landskoder med två bokstäver (ISO 3166-1)"), ",".join(bad_countries)
            )
        )
    flags = split_values(flag)
    unknown_flags = [f for f in flags if f not in FLAG_VALUES]
    if unknown_flags:
        problems.append(
            InvalidParameter(
                "flag",
                _("får bara ha värdena %(allowed)s") % {"allowed": ", ".join(FLAG_VALUES)},
                ",".join(unknown_flags),
            )
        )
    problems = [p for p in problems if p]
    if problems:
        raise invalid_parameters_problem(problems)
    filters.flags = [FLAG_VALUES[f] for f in flags]
    filters.sector = [SECTOR_VALUES[v] for v in sectors]
    filters.kind = [KIND_VALUES[v] for v in kinds]
    return filters


# --- Endpoints -----------------------------------------------------------------------------------


@router.get(
    "",
    response={200: PageOut[OrganisationOut], 400: ProblemOut},
    by_alias=True,
    operation_id="listOrganisations",
    summary="Sök organisationer",
    description=(
        "Organisationer i aktörsregistret som anroparen får se: utan inloggning bara de offentliga. "
        "Filtren kombineras med OCH; flera värden i samma filter med ELLER. Okända koder ger 400. "
        "Kontaktpersoner ingår aldrig."
    ),
)
def organisation_list(
    request,
    response: HttpResponse,
    q: Annotated[str | None, Query(max_length=200, description=Q_DESCRIPTION)] = None,
    municipality: Annotated[list[str] | None, Query(description=f"Hemkommunens kommunkod, t.ex. 1880. {MULTI}")] = None,
    legal_form: Annotated[
        list[str] | None,
        Query(alias="legal-form", description=f"Juridisk form (SCB:s kod), t.ex. 61 för ideell förening. {MULTI}"),
    ] = None,
    activity: Annotated[
        list[str] | None, Query(description=f"Verksamhetsområde enligt ICNPO, t.ex. 1. {MULTI}")
    ] = None,
    role: Annotated[
        list[str] | None, Query(description=f"Roll i samhället, t.ex. voice eller service-provider. {MULTI}")
    ] = None,
    flag: Annotated[list[str] | None, Query(description=FLAG_DESCRIPTION)] = None,
    sector: Annotated[
        list[str] | None,
        Query(description=f"Sektor: civil-society, social-economy, public eller private. {MULTI}"),
    ] = None,
    kind: Annotated[
        list[str] | None, Query(description=f"Slag av aktör: swedish, informal eller foreign. {MULTI}")
    ] = None,
    country: Annotated[list[str] | None, Query(description=f"Land, ISO 3166-1 alfa-2, t.ex. NO. {MULTI}")] = None,
    no_orgnr: Annotated[
        bool, Query(alias="no-orgnr", description="true: bara aktörer utan svenskt organisationsnummer.")
    ] = False,
    sort: Annotated[SortValue | None, Query(description=SORT_DESCRIPTION)] = None,
    limit: Limit = DEFAULT_LIMIT,
    page: PageNumber = 1,
):
    check_query_names(request, LIST_PARAMS)
    filters = _directory_filter(
        q=q,
        municipality=municipality,
        legal_form=legal_form,
        activity=activity,
        role=role,
        flag=flag,
        sort=sort,
        sector=sector,
        kind=kind,
        country=country,
        no_orgnr=no_orgnr,
    )
    qs = selectors.organisation_directory(user=request.user, filters=filters)
    # The prefetches run on the page slice only: a fixed number of queries whatever the page size.
    # The count stops above paging.COUNT_CAP (ADR 0041); pages go on through the next link.
    result = paginate(request, selectors.with_detail_relations(qs), page=page, limit=limit, cap=paging.COUNT_CAP)
    response["Link"] = result.link_header()
    return result.envelope([organisation_out(request, o) for o in result.items])


@router.get(
    "/{organisationsnummer}",
    response={200: OrganisationOut, 308: ProblemOut, 400: ProblemOut, 404: ProblemOut},
    by_alias=True,
    operation_id="getOrganisation",
    url_name="organisation-detail",
    summary="En organisation",
    description=(
        "En organisation, utpekad med sitt organisationsnummer: tio siffror, med eller utan bindestreck "
        "(802000-0019 eller 8020000019); även tolvsiffrig form med 16 först. En aktör utan "
        "organisationsnummer pekas ut med sitt Civsam-id (CS-000123). Ett ogiltigt nummer ger 400 "
        "med förklaring; en organisation som inte finns eller som anroparen inte får se ger 404. En aktör som är "
        "sammanförd med en annan ger 308 med den kvarvarandes adress i Location (och dess nyckel i detail)."
    ),
)
def organisation_detail(
    request,
    organisationsnummer: Annotated[
        str, Path(description="Organisationsnummer, med eller utan bindestreck, t.ex. 802000-0019.")
    ],
):
    check_query_names(request, ())
    if pk_from_civsam_id(organisationsnummer) is not None:
        key = organisationsnummer.strip().upper()
        organisation = selectors.organisation_detail(user=request.user, orgnr_value=key)
        if organisation is None:
            _moved(request, key)
            raise ApiProblem(404, _("Det finns ingen aktör med Civsam-id %(id)s.") % {"id": key})
        return organisation_out(request, organisation)
    try:
        number = orgnr.normalise(organisationsnummer)
    except orgnr.OrgnrError as exc:
        raise ApiProblem(
            400, str(exc), invalid_parameters=[InvalidParameter("organisationsnummer", str(exc), organisationsnummer)]
        ) from exc
    organisation = selectors.organisation_detail(user=request.user, orgnr_value=number)
    if organisation is None:
        _moved(request, number)
        raise ApiProblem(
            404,
            _("Det finns ingen organisation med organisationsnummer %(number)s.")
            % {"number": orgnr.format_display(number)},
        )
    return organisation_out(request, organisation)


def _moved(request, key: str) -> None:
    """An actor merged into another answers 308 with the survivor's address (ADR 0113), when the
    caller may see the survivor; otherwise the lookup goes on to 404."""
    survivor = loaders.merged_into(key, request.user)
    if survivor is None:
        return
    url = reverse("api-v1:organisation-detail", kwargs={"organisationsnummer": survivor.key})
    shown = key if pk_from_civsam_id(key) else orgnr.format_display(key)
    detail = _("%(key)s är sammanförd med %(name)s, som nu finns under %(new)s.")
    values = {"key": shown, "name": survivor.name, "new": survivor.key}
    raise ApiProblem(308, detail % values, headers={"Location": request.build_absolute_uri(url)})
