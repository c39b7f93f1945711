"""The datasets Civsam publishes and where each can be fetched: the catalogue's content.

Each distribution names a real Civsam URL (a download or an API operation); the tests fetch every
one. A new published dataset (agreements, when that app lands) is one more entry here (ADR 0125).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civsam.plan import selectors as plan_selectors
from civsam.plan.models import Plan

from . import vocabulary as v


@dataclass(frozen=True)
class Distribution:
    slug: str  # unique within its dataset; part of its IRI
    title: Promise
    description: Promise
    path: str  # site-relative URL of the file or API operation
    media_type: str
    api: bool = False  # an operation of the REST API (accessService), not a file (downloadURL)
    conforms_to: str | None = None


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    keywords: tuple[Promise, ...]
    themes: tuple[str, ...]
    licence: str
    landing_page: str
    frequency: str
    issued: datetime.date
    temporal_start: datetime.date
    distributions: tuple[Distribution, ...] = field(default_factory=tuple)
    conforms_to: str | None = None


API_TITLE = _("Civsams REST-API")
API_DESCRIPTION = _(
    "Civsams öppna API enligt Diggs REST API-profil: JSON, sidor om 20 (limit och page) och fel som "
    "application/problem+json. Läsningarna i katalogen kräver ingen inloggning."
)
CATALOGUE_TITLE = _("Civsams öppna data")
CATALOGUE_DESCRIPTION = _(
    "Datamängder som Region Örebro län publicerar från Civsam, plattformen för samverkan mellan "
    "offentlig sektor, civilsamhälle och social ekonomi i Örebro län: organisationerna, statistiken, "
    "handlingsplanens uppföljning, evenemangen och bidragsregistret."
)
# When Civsam first published open data; a dataset's own date where it came later.
FIRST_PUBLISHED = datetime.date(2026, 12, 6)


def _files(
    slug: str, label: Promise, url_name: str, args: list[str], formats: tuple[str, ...], what: Promise
) -> list[Distribution]:
    kinds: dict[str, tuple[str, Promise]] = {
        "csv": (v.CSV, _("CSV (kommaseparerad, UTF-8)")),
        "json": (v.JSON, _("JSON")),
        "xlsx": (v.XLSX, _("XLSX (Excel)")),
    }
    out = []
    for fmt in formats:
        media_type, format_label = kinds[fmt]
        out.append(
            Distribution(
                slug=f"{slug}-{fmt}",
                title=format_lazy("{}, {}", label, format_label),
                description=what,
                path=reverse(url_name, args=[*args, fmt]),
                media_type=media_type,
            )
        )
    return out


def _api(slug: str, title: Promise, description: Promise, path: str) -> Distribution:
    return Distribution(slug=slug, title=title, description=description, path=path, media_type=v.JSON, api=True)


def _plan_for_follow_up() -> Plan | None:
    """The plan in force today, else the newest adopted one: the plan whose initiatives are offered."""
    return (
        plan_selectors.plan_in_force(timezone.localdate())
        or Plan.objects.filter(status=Plan.Status.ADOPTED).order_by("-start_year").first()
    )


def directory() -> Dataset:
    return Dataset(
        slug="organisationer",
        title=_("Organisationer i Örebro län"),
        description=_(
            "Föreningar, stiftelser, trossamfund, kooperativ, sociala företag och andra aktörer i länet som "
            "Civsam känner till: namn, organisationsnummer, juridisk form, kommun, verksamhetsområden "
            "(ICNPO), roller och märkningar. Uppgifter från SCB:s och Bolagsverkets registerfiler och från "
            "organisationerna själva. Kontaktpersoner ingår inte."
        ),
        keywords=(_("civilsamhälle"), _("föreningar"), _("social ekonomi"), _("idéburna organisationer")),
        themes=("SOCI", "REGI"),
        licence=v.CC_BY_4,
        landing_page=reverse("registry:directory"),
        frequency="UPDATE_CONT",
        issued=FIRST_PUBLISHED,
        temporal_start=datetime.date(2018, 1, 1),
        distributions=(
            *_files(
                "organisationer",
                _("Organisationerna"),
                "registry:directory-export",
                [],
                ("csv", "json"),
                _("Hela förteckningen, en rad per organisation."),
            ),
            _api(
                "organisationer-api",
                _("Organisationerna i API:et"),
                _("Sök och hämta organisationer, sida för sida."),
                reverse("api-v1:organisation_list"),
            ),
        ),
    )


def statistics() -> Dataset:
    return Dataset(
        slug="statistik",
        title=_("Statistik om civilsamhället i Örebro län"),
        description=_(
            "Årliga uppgifter per kommun och för länet: organisationer (också per 1 000 invånare med årets "
            "folkmängd från SCB), nybildade och upphörda, per juridisk form, verksamhetsområde och märkning, "
            "evenemang, deltagare och pågående insatser. Räknat bland organisationer kända av Civsam; "
            "uppgifter om personer under fem visas inte."
        ),
        keywords=(_("statistik"), _("civilsamhälle"), _("kommuner"), _("social ekonomi")),
        themes=("SOCI", "REGI"),
        licence=v.CC_BY_4,
        landing_page=reverse("stats:county"),
        frequency="DAILY",
        issued=FIRST_PUBLISHED,
        temporal_start=datetime.date(2018, 1, 1),
        distributions=(
            *_files(
                "statistik",
                _("Alla uppgifter"),
                "stats:all-export",
                [],
                ("csv", "xlsx", "json"),
                _("Varje lagrad uppgift: uppgift, dimension, nyckel, år, antal, folkmängd och per 1 000 invånare."),
            ),
            _api(
                "statistik-api",
                _("Statistiken i API:et"),
                _("Uppgifterna med filter för kommun, år och dimension."),
                reverse("api-v1:list_statistics"),
            ),
        ),
    )


def follow_up() -> Dataset:
    plan = _plan_for_follow_up()
    files = (
        _files(
            "insatser",
            _("Insatserna i handlingsplanen som gäller"),
            "plan:followup-export",
            [plan.slug],
            ("csv", "xlsx", "json"),
            _("Insatserna med ansvariga, partner, prioriterade områden, status och finansiering."),
        )
        if plan is not None
        else []
    )
    return Dataset(
        slug="uppfoljning",
        title=_("Uppföljning av handlingsplanen för civilsamhälle och social ekonomi"),
        description=_(
            "Handlingsplanens insatser och deras status, ansvariga och partner, och indikatorerna med "
            "utgångsvärden, mål och årliga utfall."
        ),
        keywords=(_("handlingsplan"), _("uppföljning"), _("indikatorer"), _("insatser")),
        themes=("GOVE", "SOCI"),
        licence=v.CC0,
        landing_page=reverse("plan:followup", args=[plan.slug]) if plan else reverse("plan:plan-list"),
        frequency="UPDATE_CONT",
        issued=FIRST_PUBLISHED,
        temporal_start=datetime.date(2018, 1, 1),
        distributions=(
            *files,
            _api(
                "insatser-api",
                _("Insatserna i API:et"),
                _("Insatser med filter, sida för sida."),
                reverse("api-v1:initiative_list"),
            ),
            _api(
                "indikatorer-api",
                _("Indikatorerna i API:et"),
                _("Indikatorer med utgångsvärde, mål och utfall per år."),
                reverse("api-v1:indicator_list"),
            ),
        ),
    )


def events() -> Dataset:
    return Dataset(
        slug="evenemang",
        title=_("Evenemang för civilsamhället i Örebro län"),
        description=_(
            "Kommande och tidigare evenemang, möten och konferenser i Civsam: tid, plats, arrangör och "
            "anmälan. Deltagarnas uppgifter ingår inte."
        ),
        keywords=(_("evenemang"), _("kalender"), _("konferenser"), _("civilsamhälle")),
        themes=("SOCI", "EDUC"),
        licence=v.CC0,
        landing_page=reverse("meetings:event-list"),
        frequency="UPDATE_CONT",
        issued=FIRST_PUBLISHED,
        temporal_start=datetime.date(2018, 1, 1),
        conforms_to=v.RFC_5545,
        distributions=(
            Distribution(
                slug="evenemang-ics",
                title=_("Evenemangen som kalender (iCalendar)"),
                description=_("Alla offentliga evenemang att prenumerera på i en kalender."),
                path=reverse("meetings:calendar-all"),
                media_type=v.ICALENDAR,
                conforms_to=v.RFC_5545,
            ),
            _api(
                "evenemang-api",
                _("Evenemangen i API:et"),
                _("Evenemang med tid, plats och arrangör, sida för sida."),
                reverse("api-v1:event_list"),
            ),
        ),
    )


def grants() -> Dataset:
    return Dataset(
        slug="bidragsregistret",
        title=_("Bidragsregistret: beviljade bidrag till civilsamhället"),
        description=_(
            "Beslutade bidrag från Region Örebro län och kommunerna: mottagare, belopp, program, syfte och "
            "beslutsdatum, också enligt 360Giving-standarden."
        ),
        keywords=(_("bidrag"), _("föreningsbidrag"), _("offentliga medel"), _("360Giving")),
        themes=("GOVE", "ECON"),
        licence=v.CC0,
        landing_page=reverse("funding:register"),
        frequency="UPDATE_CONT",
        issued=FIRST_PUBLISHED,
        temporal_start=datetime.date(2018, 1, 1),
        conforms_to=v.THREESIXTY_GIVING,
        distributions=(
            *_files(
                "bidragsregistret",
                _("Bidragsregistret"),
                "funding:register-export",
                [],
                ("csv", "xlsx", "json"),
                _("Ett beslut per rad."),
            ),
            Distribution(
                slug="bidragsregistret-360giving",
                title=_("Bidragsregistret enligt 360Giving (JSON)"),
                description=_("Besluten som ett 360Giving-paket."),
                path=reverse("funding:register-export", args=["360giving"]),
                media_type=v.JSON,
                conforms_to=v.THREESIXTY_GIVING,
            ),
            _api(
                "bidragsbeslut-api",
                _("Bidragsbesluten i API:et"),
                _("Beslut med filter, sida för sida."),
                reverse("api-v1:grant_decision_list"),
            ),
        ),
    )


def agreements() -> Dataset:
    return Dataset(
        slug="overenskommelser",
        title=_("Överenskommelser och idéburna offentliga partnerskap (IOP)"),
        description=_(
            "Offentliga överenskommelser mellan offentlig sektor och civilsamhället i länet: slag, parter, "
            "prioriterade områden, giltighetstid och varje parts bidrag per år."
        ),
        keywords=(_("IOP"), _("överenskommelser"), _("partnerskap"), _("civilsamhälle")),
        themes=("GOVE", "SOCI"),
        licence=v.CC0,
        landing_page=reverse("agreements:list"),
        frequency="UPDATE_CONT",
        issued=FIRST_PUBLISHED,
        temporal_start=datetime.date(2018, 1, 1),
        distributions=(
            *_files(
                "overenskommelser",
                _("Överenskommelserna"),
                "agreements:export",
                [],
                ("csv", "xlsx", "json"),
                _("En överenskommelse per rad."),
            ),
            *_files(
                "overenskommelser-bidrag",
                _("Parternas bidrag"),
                "agreements:contributions-export",
                [],
                ("csv", "xlsx", "json"),
                _("Bidragen summerade per part och år."),
            ),
            _api(
                "overenskommelser-api",
                _("Överenskommelserna i API:et"),
                _("Offentliga överenskommelser med parter, mål och bidrag, sida för sida."),
                reverse("api-v1:agreement_list"),
            ),
        ),
    )


# Every published dataset, in the catalogue's order.
BUILDERS: tuple[Callable[[], Dataset], ...] = (directory, statistics, follow_up, events, grants, agreements)


def published() -> list[Dataset]:
    return [build() for build in BUILDERS]
