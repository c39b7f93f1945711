"""How the pages and the API load what they act on: fetch it or answer 404, then check the
permission or answer 403 (civsam.core.loading). Objects the user may not see answer 404 as if
they did not exist."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from civsam.core.loading import get_permitted
from civsam.registry.models import Organisation

from . import permissions, selectors
from .models import Conference, Event, Network, NetworkMembership, NetworkRepresentative, Registration


def visible_event(user, pk: int) -> Event:
    """An event the user may see, with its seat count (selectors.event_list)."""
    return get_object_or_404(selectors.event_list(user=user), pk=pk)


def managed_event(user, pk: int) -> Event:
    return get_permitted(
        user,
        Event.objects.select_related("network", "municipality", "organiser"),
        permissions.can_manage_event,
        pk=pk,
    )


def managed_conference(user, pk: int) -> Conference:
    """The conference of an event the user manages (404 when the event is not a conference)."""
    event = managed_event(user, pk)
    return get_object_or_404(Conference.objects.select_related("event"), event=event)


def programme_conference(user, pk: int) -> Conference:
    """The conference of an event whose programme the user edits (its managers, the planning group)."""
    event = visible_event(user, pk)
    return get_permitted(user, Conference.objects.select_related("event"), permissions.can_edit_programme, event=event)


def status_conference(user, pk: int) -> Conference:
    """The conference whose status report the user may read."""
    event = visible_event(user, pk)
    return get_permitted(
        user,
        Conference.objects.select_related("event__organiser", "event__municipality"),
        permissions.can_view_conference_status,
        event=event,
    )


def decidable_registration(user, pk: int) -> Registration:
    return get_permitted(
        user,
        Registration.objects.select_related("event__network", "event__organiser"),
        permissions.can_decide_registration,
        pk=pk,
    )


def visible_network(user, slug: str) -> Network:
    return get_object_or_404(permissions.networks_visible_to(user), slug=slug)


def decidable_membership(user, pk: int) -> NetworkMembership:
    return get_permitted(
        user, NetworkMembership.objects.select_related("network"), permissions.can_decide_membership, pk=pk
    )


def applying_organisation(user, network: Network, pk) -> Organisation:
    """The organisation the user applies for to join the network."""
    return get_permitted(
        user,
        Organisation,
        lambda u, organisation: permissions.can_request_membership(u, network, organisation),
        pk=pk,
    )


def managed_network(user, slug: str) -> Network:
    """A network the user manages (open or closed); 404 for a network they may not see."""
    network = visible_network(user, slug)
    if not permissions.can_manage_network(user, network):
        raise PermissionDenied
    return network


def changeable_membership(user, pk: int) -> NetworkMembership:
    """A membership the user may end (or whose invitation they may withdraw)."""
    return get_permitted(
        user,
        NetworkMembership.objects.select_related("network", "organisation"),
        permissions.can_change_membership,
        pk=pk,
    )


def answerable_invitation(user, pk: int) -> NetworkMembership:
    return get_permitted(
        user,
        NetworkMembership.objects.select_related("network", "organisation"),
        permissions.can_answer_invitation,
        pk=pk,
    )


def changeable_representative(user, pk: int) -> NetworkRepresentative:
    return get_permitted(
        user,
        NetworkRepresentative.objects.select_related("membership__network", "membership__organisation"),
        lambda u, r: permissions.can_change_membership(u, r.membership),
        pk=pk,
    )
