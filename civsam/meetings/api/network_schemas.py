"""The networks API's request and response bodies (ADR 0102), and how a membership becomes one."""

from __future__ import annotations

import datetime

from pydantic import Field

from civsam.core.apitools import CamelSchema, InSchema

from .. import permissions
from ..models import Network, NetworkMembership, NetworkRepresentative

KINDS = ", ".join(Network.Kind.values)
VISIBILITIES = ", ".join(Network.Visibility.values)


class NetworkIn(InSchema):
    """Ett nytt nätverk. Den samordnande organisationen anges med organisationsnummer; att ange den
    kräver att du företräder organisationen. Utan organisation samordnar regionens eller kommunens
    personal (bara för personal)."""

    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description=KINDS)
    purpose: str = ""
    visibility: str = Field(Network.Visibility.PUBLIC.value, description=VISIBILITIES)
    organisation: str | None = Field(None, description="Den samordnande organisationens organisationsnummer.")
    parent: str | None = Field(None, description="Överordnat nätverks kortnamn; kräver att du samordnar det.")


class NetworkPatchIn(InSchema):
    """Ändringar i ett nätverk: bara egenskaperna som skickas ändras. null i organisation låter
    personal samordna; null i parent tar nätverket från det överordnade. Att byta samordnande
    organisation kräver att du företräder både den förra och den nya."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = Field(None, description=KINDS)
    purpose: str | None = None
    visibility: str | None = Field(None, description=VISIBILITIES)
    organisation: str | None = Field(None, description="Den samordnande organisationens organisationsnummer.")
    parent: str | None = Field(None, description="Överordnat nätverks kortnamn.")


class NetworkCloseIn(InSchema):
    """Avslutar nätverket: medlemskapen avslutas samma dag, obesvarade ansökningar och inbjudningar
    stängs. Nätverket finns kvar att läsa."""

    closed_on: datetime.date | None = Field(None, description="Dagen nätverket avslutas; utan den i dag.")


class NetworkMembershipIn(InSchema):
    """En organisation till nätverket. Den som samordnar nätverket bjuder in (organisationen svarar,
    eller blir medlem direkt när du också företräder den); annars är det en ansökan från en
    organisation du företräder, som samordnaren avgör."""

    organisation: str = Field(description="Organisationens organisationsnummer.")


class NetworkMembershipDecisionIn(InSchema):
    """Ja eller nej: samordnaren avgör en ansökan (status requested), den som företräder organisationen
    svarar på en inbjudan (status invited)."""

    approve: bool


class NetworkRepresentativeIn(InSchema):
    """En namngiven representant för medlemsorganisationen, i ett uppdrag under en period."""

    name: str = Field(min_length=1, max_length=150)
    position: str = Field(description=", ".join(NetworkRepresentative.Position.values))
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class NetworkRepresentativeEndIn(InSchema):
    ends_on: datetime.date = Field(description="Uppdragets sista dag.")


class NetworkRepresentativeOut(CamelSchema):
    """En representant (personuppgift: visas för nätverkets samordnare och medlemmar)."""

    id: int
    name: str
    position: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class NetworkMembershipOut(CamelSchema):
    """Ett medlemskap, en ansökan eller en inbjudan, med sina datum."""

    id: int
    network: str = Field(description="Nätverkets kortnamn.")
    organisation: str = Field(description="Organisationens organisationsnummer.")
    organisation_name: str
    status: str = Field(description="invited, requested, active, declined eller ended")
    joined_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    representatives: list[NetworkRepresentativeOut] | None = Field(
        None, description="Representanterna; null för den som inte får se dem."
    )


def membership_out(user, membership: NetworkMembership) -> NetworkMembershipOut:
    people = None
    if permissions.can_view_representatives(user, membership.network):
        people = [
            NetworkRepresentativeOut(
                id=r.pk, name=r.name, position=r.position, starts_on=r.starts_on, ends_on=r.ends_on
            )
            for r in membership.representatives.all()
        ]
    return NetworkMembershipOut(
        id=membership.pk,
        network=membership.network.slug,
        organisation=membership.organisation.orgnr,
        organisation_name=membership.organisation.name,
        status=membership.status,
        joined_on=membership.joined_on,
        ended_on=membership.ended_on,
        representatives=people,
    )
