"""A network's own record: create, edit (including its coordinating organisation and coordinator)
and close. Binding the network to a coordinating organisation or a parent network needs the right
to act for that body, both when it is set and when it is taken away (ADR 0093, ADR 0101)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civsam.accounts.models import User
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff
from civsam.registry.models import Organisation

from ... import permissions
from ...models import Network, NetworkMembership
from .memberships import membership_status_change

MStatus = NetworkMembership.Status


# Paths under /natverk/ that are pages, not networks.
RESERVED_SLUGS = frozenset({"nytt", "medlemskap", "representant"})


def _slug_for(name: str) -> str:
    """A free short name from the network's name: "foreningsradet", "foreningsradet-2", ..."""
    base = (slugify(name.replace("ö", "o").replace("ä", "a").replace("å", "a")) or "natverk")[:70].strip("-")
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Network.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_coordinator(person: User | None, organisation: Organisation | None) -> None:
    if not permissions.can_be_network_coordinator(person, organisation):
        message = (
            _("Samordnaren måste företräda den samordnande organisationen.")
            if organisation is not None
            else _("Ett nätverk utan samordnande organisation samordnas av regionens eller en kommuns personal.")
        )
        raise ValidationError({"coordinator": message})


def _check_parent(network: Network | None, parent: Network | None) -> None:
    """A network cannot be placed under itself or under one of its own sub-networks."""
    if network is None or parent is None:
        return
    seen = set()
    node: Network | None = parent
    while node is not None and node.pk not in seen:
        if node.pk == network.pk:
            raise ValidationError({"parent": _("Ett nätverk kan inte ligga under sig självt eller sina delnätverk.")})
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def network_create(
    *,
    actor,
    name: str,
    kind: str,
    slug: str = "",
    purpose: str = "",
    visibility: str = Network.Visibility.PUBLIC,
    organisation: Organisation | None = None,
    coordinator: User | None = None,
    parent: Network | None = None,
) -> Network:
    """Create a network coordinated by `organisation` (None: run by staff). The creator acts for the
    organisation; the named coordinator, when given, must too (an import, without an actor, names
    whom it has)."""
    if actor is not None:
        if not permissions.can_create_some_network(actor):
            raise PermissionDenied(_("Du får inte skapa nätverk."))
        if not permissions.can_name_network_organisation(actor, organisation):
            raise PermissionDenied(
                _("Du får bara skapa nätverk som samordnas av en organisation du företräder.")
                if organisation is not None or not permissions.can_create_some_network(actor)
                else _("Välj vilken av dina organisationer som samordnar nätverket.")
            )
        if parent is not None and not permissions.can_manage_network(actor, parent):
            raise PermissionDenied(_("Bara samordnaren för ”%(name)s” kan lägga nätverk under det.") % {"name": parent})
        if parent is not None and parent.is_closed:
            raise ValidationError({"parent": _("Nätverket ”%(name)s” är avslutat.") % {"name": parent}})
        _check_coordinator(coordinator, organisation)
    network = Network(
        name=name.strip(),
        slug=slug or _slug_for(name),
        kind=kind,
        purpose=purpose.strip(),
        visibility=visibility,
        organisation=organisation,
        coordinator=coordinator,
        parent=parent,
    )
    network.full_clean()
    network.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=network, changes=model_diff({}, _snapshot(network)))
    return network


@dataclass(frozen=True)
class NetworkChanges:
    """What an edit changes; fields left as ... stay as they are."""

    name: str = ...  # type: ignore[assignment]
    kind: str = ...  # type: ignore[assignment]
    purpose: str = ...  # type: ignore[assignment]
    visibility: str = ...  # type: ignore[assignment]
    organisation: Organisation | None = ...  # type: ignore[assignment]
    coordinator: User | None = ...  # type: ignore[assignment]
    parent: Network | None = ...  # type: ignore[assignment]

    def given(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not ...}


def _snapshot(network: Network) -> dict:
    return {
        "name": network.name,
        "kind": network.kind,
        "purpose": network.purpose,
        "visibility": network.visibility,
        "organisation": str(network.organisation) if network.organisation_id else None,
        "coordinator": network.coordinator.get_full_name() or network.coordinator.get_username()
        if network.coordinator_id
        else None,
        "parent": str(network.parent) if network.parent_id else None,
    }


@transaction.atomic
def network_update(*, actor, network: Network, changes: NetworkChanges) -> Network:
    """Edit an open network. Changing its coordinating organisation needs acting for the old one and
    the new one; changing its parent needs managing the old parent and the new one; the coordinator
    (kept or new) must act for the coordinating organisation (kept or new)."""
    network = (
        Network.objects.select_for_update(of=("self",)).select_related("organisation", "parent").get(pk=network.pk)
    )
    if actor is not None and not permissions.can_change_network(actor, network):
        raise PermissionDenied(_("Du får inte ändra nätverket."))
    if network.is_closed:
        raise ValidationError(_("Nätverket är avslutat och kan inte ändras."))
    given = changes.given()
    before = _snapshot(network)
    moves_organisation = "organisation" in given and given["organisation"] != network.organisation
    may_move = actor is None or (
        permissions.can_name_network_organisation(actor, network.organisation)
        and permissions.can_name_network_organisation(actor, given.get("organisation"))
    )
    if moves_organisation and not may_move:
        raise PermissionDenied(
            _("Att byta samordnande organisation kräver att du företräder både den nya och den förra.")
        )
    if "parent" in given and given["parent"] != network.parent:
        for parent in (network.parent, given["parent"]):
            if actor is not None and parent is not None and not permissions.can_manage_network(actor, parent):
                raise PermissionDenied(
                    _("Bara samordnaren för ”%(name)s” kan lägga nätverk under det eller ta bort dem därifrån.")
                    % {"name": parent}
                )
        _check_parent(network, given["parent"])
    for key, value in given.items():
        setattr(network, key, value.strip() if isinstance(value, str) else value)
    if actor is not None and {"organisation", "coordinator"} & set(given):
        _check_coordinator(network.coordinator, network.organisation)
    network.full_clean()
    network.save()
    diff = model_diff(before, _snapshot(network))
    if diff:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=network, changes=diff)
    return network


@transaction.atomic
def network_close(*, actor, network: Network, on: datetime.date | None = None) -> Network:
    """Close the network on `on` (today): its members' memberships end that day, requests are
    declined and invitations withdrawn, representatives' assignments end. The network and its
    history stay readable; nothing in it changes afterwards."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    if actor is not None and not permissions.can_manage_network(actor, network):
        raise PermissionDenied(_("Du får inte avsluta nätverket."))
    day = on or timezone.localdate()
    before = network.status
    Network.WORKFLOW.action(before, Network.Status.CLOSED)
    closing_steps = {MStatus.ACTIVE: MStatus.ENDED, MStatus.REQUESTED: MStatus.DECLINED, MStatus.INVITED: MStatus.ENDED}
    for membership in network.memberships.filter(status__in=NetworkMembership.OPEN).select_related("network"):
        membership_status_change(
            actor=actor, membership=membership, to=closing_steps[membership.status], on=day, closing=True
        )
    network.status = Network.Status.CLOSED
    network.closed_on = day
    network.save(update_fields=["status", "closed_on", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=network,
        changes={"status": [before, network.status], "closed_on": [None, day.isoformat()]},
    )
    return network
