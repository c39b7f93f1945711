"""Who may run events: region administrators, officers in the event's municipality, the network's
coordinator, and representatives of the organising organisation."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts.scopes import scope_for

from .models import Event


def events_visible_to(user) -> QuerySet[Event]:
    scope = scope_for(user)
    qs = Event.objects.all()
    if scope.region_admin:
        return qs
    condition = Q(is_public=True)
    if scope.municipality_ids:
        condition |= Q(municipality_id__in=scope.municipality_ids)
    if scope.organisation_ids:
        condition |= Q(organiser_id__in=scope.organisation_ids)
    if scope.authenticated:
        condition |= Q(network__coordinator_id=user.pk) | Q(created_by_id=user.pk)
    return qs.filter(condition)


def can_create_event(user, *, organiser=None) -> bool:
    scope = scope_for(user)
    if scope.is_staff_like:
        return True
    return organiser is not None and organiser.pk in scope.organisation_ids


def can_manage_event(user, event: Event) -> bool:
    scope = scope_for(user)
    if scope.region_admin:
        return True
    if event.municipality_id is not None and event.municipality_id in scope.municipality_ids:
        return True
    if event.organiser_id is not None and event.organiser_id in scope.organisation_ids:
        return True
    if scope.authenticated and event.created_by_id == user.pk:
        return True
    return bool(scope.authenticated and event.network_id and event.network.coordinator_id == user.pk)


def networks_visible_to(user):
    """Members-only networks are seen by their members, their coordinator and region administrators."""
    from .models import Network

    scope = scope_for(user)
    qs = Network.objects.all()
    if scope.region_admin:
        return qs
    condition = ~Q(visibility=Network.Visibility.MEMBERS)
    if scope.organisation_ids:
        condition |= Q(memberships__organisation_id__in=scope.organisation_ids, memberships__status="active")
    if scope.authenticated:
        condition |= Q(coordinator_id=user.pk)
    return qs.filter(condition).distinct()


def can_manage_network(user, network) -> bool:
    scope = scope_for(user)
    return scope.region_admin or (scope.authenticated and network.coordinator_id == user.pk)


def can_request_membership(user, network, organisation) -> bool:
    from .models import Network

    scope = scope_for(user)
    if network.visibility == Network.Visibility.MEMBERS and not can_manage_network(user, network):
        return False
    return organisation.pk in scope.organisation_ids or can_manage_network(user, network)


def can_see_representatives(user, network) -> bool:
    """Names of representatives are personal data: shown to the coordinator, administrators and members."""
    if can_manage_network(user, network):
        return True
    scope = scope_for(user)
    return (
        bool(scope.organisation_ids)
        and network.memberships.filter(organisation_id__in=scope.organisation_ids, status="active").exists()
    )
