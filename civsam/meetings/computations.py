"""Computed indicators over meetings' data, registered with the plan's computation registry by
MeetingsConfig.ready(): the plan sits below the apps that serve it and never reads their tables."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civsam.plan.computations import Computation, Result, sector_slug

from .models import EventOutput, NetworkMembership, NetworkRepresentative, Registration


def network_meeting_participants(year: int, initiative_id: int | None = None) -> Result:
    """Confirmed registrations to network meetings of the year; on an initiative's own indicator,
    to the meetings linked to the initiative, network meetings or not."""
    confirmed = Registration.objects.filter(event__starts_at__year=year, status=Registration.Status.CONFIRMED)
    if initiative_id is None:
        count = confirmed.filter(event__network__isnull=False).count()
        return Result(Decimal(count), source=_("Bekräftade anmälningar till nätverksmöten i Civsam"))
    count = confirmed.filter(event__initiatives=initiative_id).count()
    return Result(Decimal(count), source=_("Bekräftade anmälningar till insatsens möten i Civsam"))


def _held_during(year: int) -> Q:
    """A representative's period overlaps the year."""
    return Q(starts_on__lte=datetime.date(year, 12, 31)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=datetime.date(year, 1, 1))
    )


def network_seats(sector: str) -> Callable[..., Result]:
    """Seats in councils and networks held during the year by the representatives of member
    organisations of the sector: each named representative in a position is one seat."""

    def compute(year: int) -> Result:
        count = (
            NetworkRepresentative.objects.filter(_held_during(year), membership__organisation__sector=sector)
            .filter(membership__status__in=[NetworkMembership.Status.ACTIVE, NetworkMembership.Status.ENDED])
            .count()
        )
        return Result(Decimal(count), source=_("Namngivna representanter i Civsams nätverk och råd under året"))

    return compute


def network_memberships(sector: str) -> Callable[..., Result]:
    """Memberships of networks and councils that were in force at some time during the year, of
    organisations of the sector: joined by the year's end and not ended before it began."""

    def compute(year: int) -> Result:
        count = (
            NetworkMembership.objects.filter(
                status__in=[NetworkMembership.Status.ACTIVE, NetworkMembership.Status.ENDED],
                organisation__sector=sector,
                joined_on__lte=datetime.date(year, 12, 31),
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=datetime.date(year, 1, 1)))
            .count()
        )
        return Result(Decimal(count), source=_("Medlemskap i Civsams nätverk och råd under året"))

    return compute


def new_collaborations(year: int, initiative_id: int | None = None) -> Result:
    """New collaborations that meetings of the year reported as their outcome; on an initiative's own
    indicator, only those of the initiative's meetings."""
    outputs = EventOutput.objects.filter(kind=EventOutput.Kind.COLLABORATION, event__starts_at__year=year)
    if initiative_id is not None:
        outputs = outputs.filter(event__initiatives=initiative_id)
    return Result(Decimal(outputs.count()), source=_("Ny samverkan som möten i Civsam har rapporterat som resultat"))


SEATS = {
    "civil_society": gettext_lazy("Platser i råd och nätverk för civilsamhället"),
    "social_economy": gettext_lazy("Platser i råd och nätverk för den sociala ekonomin"),
    "public": gettext_lazy("Platser i råd och nätverk för offentlig sektor"),
    "private": gettext_lazy("Platser i råd och nätverk för privat sektor"),
}
MEMBERSHIPS = {
    "civil_society": gettext_lazy("Medlemskap i råd och nätverk, civilsamhället"),
    "social_economy": gettext_lazy("Medlemskap i råd och nätverk, den sociala ekonomin"),
    "public": gettext_lazy("Medlemskap i råd och nätverk, offentlig sektor"),
    "private": gettext_lazy("Medlemskap i råd och nätverk, privat sektor"),
}

COMPUTATIONS: tuple[Computation, ...] = (
    Computation(
        "network-meeting-participants",
        gettext_lazy("Deltagare i nätverksmöten"),
        gettext_lazy("antal"),
        network_meeting_participants,
        per_initiative=True,
    ),
)
COMPUTATIONS += tuple(
    Computation(f"network-seats-{sector_slug(sector)}", label, gettext_lazy("antal"), network_seats(sector))
    for sector, label in SEATS.items()
)
COMPUTATIONS += tuple(
    Computation(f"network-memberships-{sector_slug(sector)}", label, gettext_lazy("antal"), network_memberships(sector))
    for sector, label in MEMBERSHIPS.items()
)
COMPUTATIONS += (
    Computation(
        "new-collaborations",
        gettext_lazy("Ny samverkan från möten"),
        gettext_lazy("antal"),
        new_collaborations,
        per_initiative=True,
    ),
)
