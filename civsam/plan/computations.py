"""Computed indicators: a registry of named computations, run by `recompute_indicators`.

Each computation returns a Result for a year: a value with the source it was computed from, or
no value and the reason. Where the data does not exist in Civsam (there is no grants or IOP module
yet), the computation says so; it never returns a made-up number.

The plan registers the computations over its own data and the register below it (organisations)
here. A computation over another app's data is registered by that app, in its AppConfig.ready():

    from civsam.plan.computations import Computation, register
    register(Computation("network-meeting-participants", ...))

so that the plan never imports the apps that serve it (docs/adr/0055-*). An indicator stores only
the computation's code: everything that reads the registry asks it when it runs, and an indicator
whose computation is not registered (its app removed) says so instead of failing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Result:
    value: Decimal | None
    source: str = ""
    reason: str = ""  # why there is no value


@dataclass(frozen=True)
class Computation:
    code: str
    label: str
    unit: str
    compute: Callable[..., Result]  # compute(year), and compute(year, initiative_id=…) if per_initiative
    per_initiative: bool = False  # on an indicator attached to an initiative, counts only that initiative
    placeholder: bool = False  # "no data yet": the app that has the data registers the real one in its place

    def run(self, year: int, *, initiative_id: int | None = None) -> Result:
        """The value for the year; for an initiative's own indicator, only that initiative's part."""
        if self.per_initiative and initiative_id is not None:
            return self.compute(year, initiative_id=initiative_id)
        return self.compute(year)


_registry: dict[str, Computation] = {}


def register(computation: Computation) -> Computation:
    """Add a computation under its code, in place of a placeholder with that code. Registering the
    same one again (a second ready()) is harmless; another computation under a taken code is a
    programming error."""
    existing = _registry.get(computation.code)
    if existing is not None and existing != computation and not existing.placeholder:
        raise ValueError(f"a different computation is already registered as {computation.code!r}")
    _registry[computation.code] = computation
    return computation


def get(code: str) -> Computation | None:
    return _registry.get(code)


def registered() -> list[Computation]:
    """Every registered computation, in the order they were registered."""
    return list(_registry.values())


def computation_choices() -> list[tuple[str, str]]:
    return [(c.code, str(c.label)) for c in registered()]


def unknown_reason(code: str) -> str:
    return str(_("Beräkningen ”%(code)s” finns inte i Civsam längre; inga värden räknas fram.") % {"code": code})


# --- The plan's own computations -----------------------------------------------------------------


def _year_end(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _social_enterprises(year: int) -> Result:
    Organisation = apps.get_model("registry", "Organisation")
    count = Organisation.objects.filter(social_enterprise=True, created_at__lt=_year_end(year)).count()
    return Result(Decimal(count), source=str(_("Civsams aktörsregister, organisationer märkta som sociala företag")))


def _ongoing_initiatives(year: int) -> Result:
    Initiative = apps.get_model("plan", "Initiative")
    count = (
        Initiative.objects.filter(start_date__year__lte=year)
        .filter(Q(end_date__isnull=True) | Q(end_date__year__gte=year))
        .exclude(status__kind="cancelled")
        .count()
    )
    return Result(Decimal(count), source=str(_("Insatser registrerade i Civsam")))


def _initiative_participants(year: int) -> Result:
    ParticipantCount = apps.get_model("plan", "ParticipantCount")
    total = ParticipantCount.objects.filter(year=year).aggregate(total=Sum("count"))["total"]
    if total is None:
        return Result(None, reason=str(_("Inga deltagare registrerade för året.")))
    return Result(Decimal(total), source=str(_("Deltagare som insatserna har rapporterat i Civsam")))


# --- Influence, not only activity (ADR 0119) -------------------------------------------------------
#
# The plan's goal is that civil society takes part in and influences regional development, so these
# count where civil society has a voice: its responses to the Region's consultations, the
# initiatives it leads or co-leads (the seats in councils and networks and the new collaborations
# reported from meetings are counted by the meetings app, which has those data).

# Civil society in the plan's sense: the non-profit associations and the social economy.
CIVIL_SOCIETY_SECTORS = ("civil_society", "social_economy")


def sector_slug(sector: str) -> str:
    """The sector as it appears in a computation's code: "civil_society" → "civil-society"."""
    return sector.replace("_", "-")


def _consultation_responses(sector: str) -> Callable[..., Result]:
    def compute(year: int) -> Result:
        ConsultationResponse = apps.get_model("plan", "ConsultationResponse")
        responses = ConsultationResponse.objects.filter(consultation__deadline__year=year)
        # A municipality answers for the public sector; another named body or a private person
        # belongs to no sector the register knows, and is not counted under any.
        by_sector = Q(organisation__sector=sector)
        if sector == "public":
            by_sector |= Q(organisation__isnull=True, municipality__isnull=False)
        count = responses.filter(by_sector).count()
        return Result(
            Decimal(count),
            source=str(_("Remissvar i Civsam på remisser med sista svarsdag under året, efter svarandens sektor")),
        )

    return compute


def _initiatives_led_by_civil_society(year: int) -> Result:
    Initiative = apps.get_model("plan", "Initiative")
    civil = Q(lead_organisation__sector__in=CIVIL_SOCIETY_SECTORS) | Q(
        partner_organisations__sector__in=CIVIL_SOCIETY_SECTORS
    )
    count = (
        Initiative.objects.filter(start_date__year__lte=year)
        .filter(Q(end_date__isnull=True) | Q(end_date__year__gte=year))
        .exclude(status__kind="cancelled")
        .filter(civil)
        .values("pk")
        .distinct()
        .count()
    )
    return Result(
        Decimal(count),
        source=str(
            _(
                "Insatser under året i Civsam som leds av en organisation i civilsamhället eller den sociala "
                "ekonomin eller har en sådan som partner (samleds)"
            )
        ),
    )


def _placeholder(code: str, label, unit, reason) -> Computation:
    def compute(year: int) -> Result:
        return Result(None, reason=str(reason))

    return Computation(code, label, unit, compute, placeholder=True)


# Counted by the statistics app from its yearly figures (organisations that existed that year
# against that year's population), which registers the real computation in this one's place.
register(
    _placeholder(
        "organisations-per-1000",
        _("Organisationer per 1 000 invånare"),
        _("per 1 000 invånare"),
        _("Statistiken räknas fram av statistikmodulen."),
    )
)
register(Computation("social-enterprises", _("Sociala företag i registret"), _("antal"), _social_enterprises))
register(Computation("ongoing-initiatives", _("Insatser under året"), _("antal"), _ongoing_initiatives))
register(Computation("initiative-participants", _("Deltagare i insatser"), _("antal"), _initiative_participants))
SECTOR_LABELS = {
    "civil_society": _("Remissvar från civilsamhället"),
    "social_economy": _("Remissvar från den sociala ekonomin"),
    "public": _("Remissvar från offentlig sektor"),
    "private": _("Remissvar från privat sektor"),
}
for _sector, _label in SECTOR_LABELS.items():
    register(
        Computation(
            f"consultation-responses-{sector_slug(_sector)}", _label, _("antal"), _consultation_responses(_sector)
        )
    )
register(
    Computation(
        "initiatives-led-by-civil-society",
        _("Insatser som civilsamhället leder eller samleder"),
        _("antal"),
        _initiatives_led_by_civil_society,
    )
)
# Placeholders until the apps for IOP agreements and grants register the real computations.
register(
    _placeholder(
        "active-iops",
        _("Aktiva IOP-avtal"),
        _("antal"),
        _("Civsam har ännu ingen modul för IOP-avtal; inga data finns."),
    )
)
register(
    _placeholder(
        "grants-to-social-enterprises",
        _("Bidrag till sociala företag"),
        _("kr"),
        _("Civsam har ännu ingen bidragsmodul; inga data finns."),
    )
)
