"""Computed indicators: named computations over Civsam's own data, run by `recompute_indicators`.

Each computation returns a Result for a year: a value with the source it was computed from, or
no value and the reason. Where the data does not exist in Civsam (there is no grants or IOP module
yet), the computation says so; it never returns a made-up number.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Sum
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


def _year_end(year: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _organisations_per_1000(year: int) -> Result:
    Municipality = apps.get_model("core", "Municipality")
    Organisation = apps.get_model("registry", "Organisation")
    population = Municipality.objects.aggregate(total=Sum("population"))["total"]
    if not population:
        return Result(None, reason=str(_("Folkmängden saknas.")))
    count = Organisation.objects.filter(created_at__lt=_year_end(year)).count()
    value = (Decimal(count) * 1000 / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    date = Municipality.objects.values_list("population_date", flat=True).first()
    return Result(
        value,
        source=str(_("Civsams aktörsregister (%(count)s organisationer) och folkmängd per %(date)s"))
        % {"count": count, "date": date},
    )


def _social_enterprises(year: int) -> Result:
    Organisation = apps.get_model("registry", "Organisation")
    count = Organisation.objects.filter(social_enterprise=True, created_at__lt=_year_end(year)).count()
    return Result(Decimal(count), source=str(_("Civsams aktörsregister, organisationer märkta som sociala företag")))


def _network_meeting_participants(year: int, initiative_id: int | None = None) -> Result:
    Registration = apps.get_model("meetings", "Registration")
    confirmed = Registration.objects.filter(event__starts_at__year=year, status="confirmed")
    if initiative_id is None:
        count = confirmed.filter(event__network__isnull=False).count()
        return Result(Decimal(count), source=str(_("Bekräftade anmälningar till nätverksmöten i Civsam")))
    # An initiative's own indicator: the meetings linked to the initiative, network meetings or not.
    count = confirmed.filter(event__initiatives=initiative_id).count()
    return Result(Decimal(count), source=str(_("Bekräftade anmälningar till insatsens möten i Civsam")))


def _ongoing_initiatives(year: int) -> Result:
    from django.db.models import Q

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


def _no_source(reason):
    def compute(year: int) -> Result:
        return Result(None, reason=str(reason))

    return compute


COMPUTATIONS: dict[str, Computation] = {
    c.code: c
    for c in (
        Computation(
            "organisations-per-1000",
            _("Organisationer per 1 000 invånare"),
            _("per 1 000 invånare"),
            _organisations_per_1000,
        ),
        Computation("social-enterprises", _("Sociala företag i registret"), _("antal"), _social_enterprises),
        Computation(
            "network-meeting-participants",
            _("Deltagare i nätverksmöten"),
            _("antal"),
            _network_meeting_participants,
            per_initiative=True,
        ),
        Computation("ongoing-initiatives", _("Insatser under året"), _("antal"), _ongoing_initiatives),
        Computation("initiative-participants", _("Deltagare i insatser"), _("antal"), _initiative_participants),
        Computation(
            "active-iops",
            _("Aktiva IOP-avtal"),
            _("antal"),
            _no_source(_("Civsam har ännu ingen modul för IOP-avtal; inga data finns.")),
        ),
        Computation(
            "grants-to-social-enterprises",
            _("Bidrag till sociala företag"),
            _("kr"),
            _no_source(_("Civsam har ännu ingen bidragsmodul; inga data finns.")),
        ),
    )
}


def computation_choices() -> list[tuple[str, str]]:
    return [(code, str(c.label)) for code, c in COMPUTATIONS.items()]
