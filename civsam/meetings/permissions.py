"""Who may do what with networks and events: pairs of can_<verb>_<object>(user, obj) and
<things>_visible_to(user), built on the permission seam (civsam.accounts.permissions).

Events are run by region administrators, the officers of the event's municipality, those who act
for the organising organisation (its representatives and the officers of its home municipality),
the network's coordinator and whoever created the event.

An event's organiser, municipality and network bind it to a body: the body's pages, feeds and
figures show it and the body's people manage it. Binding an event to a body, or taking it away from
one, needs that body's permission: acting for the organisation, acting for the municipality,
managing the network. Linking an event to the plan's initiatives needs the right to change each
initiative, since the link moves its figures. The plan's priority areas are named, not bound: they
belong to no body and give no right.

Networks are run by region administrators, their named coordinator and those who act for their
coordinating organisation (ADR 0101); a network's coordinating organisation binds it to that body,
so naming it needs acting for it. Members-only networks are seen by those who act for a member
organisation; membership is requested for an organisation one acts for, or offered by the
coordinator and answered by the member. A closed network is read, never changed.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from civsam.accounts.permissions import (
    NOTHING,
    acts_for_municipality,
    acts_for_organisation,
    acts_for_region,
    acts_for_some_organisation,
    is_authenticated,
    is_staff,
    municipalities_actable_by,
    municipalities_actable_q,
    narrow,
    organisations_actable_q,
    represented_organisation_ids,
)
from civsam.core.models import Municipality
from civsam.plan import permissions as plan_permissions
from civsam.plan.models import Initiative
from civsam.registry.models import Organisation

from .models import Conference, Event, Network, NetworkMembership, Registration

# Events -----------------------------------------------------------------------------------------


def events_visible_to(user) -> QuerySet[Event]:
    """Published events, and the unpublished ones of the events the user runs."""
    qs = Event.objects.all()
    if acts_for_region(user):
        return qs
    condition = Q(is_public=True) | municipalities_actable_q(user, via="municipality")
    condition |= organisations_actable_q(user, via="organiser")
    if is_authenticated(user):
        condition |= Q(created_by_id=user.pk) | Q(network__in=networks_managed_by(user))
    return qs.filter(condition)


def sees_only_published_events(user) -> bool:
    """Does events_visible_to(user) hold exactly the published events (someone not signed in)? Then
    a caller may test `is_public` on an event it reads anyway instead of asking events_visible_to."""
    return not is_authenticated(user)


def can_create_some_event(user) -> bool:
    """May the user create events at all (the create page): staff, and representatives for their organisations."""
    return is_staff(user) or acts_for_some_organisation(user)


def can_create_event(user, *, organiser: Organisation | None = None) -> bool:
    """Create an event with this organiser (None: without one, which only staff may)."""
    if organiser is None:
        return is_staff(user)
    return can_name_event_organiser(user, organiser)


def can_name_event_organiser(user, organisation: Organisation) -> bool:
    """Name the organisation as an event's organiser, or remove it: act for it."""
    return acts_for_organisation(user, organisation)


def can_name_event_municipality(user, municipality: Municipality) -> bool:
    """Name the municipality as an event's, or remove it: act for it."""
    return acts_for_municipality(user, municipality)


def can_place_event_in_network(user, network: Network) -> bool:
    """Place an event in the network, or take it out: manage the network."""
    return can_manage_network(user, network)


def event_organisers_for(user) -> QuerySet[Organisation]:
    """The organisations the user may name as an event's organiser."""
    return narrow(Organisation.objects.all(), organisations_actable_q(user)).order_by("name_key")


def event_municipalities_for(user) -> QuerySet[Municipality]:
    return municipalities_actable_by(user).order_by("name_key")


def event_networks_for(user) -> QuerySet[Network]:
    """The networks the user may place events in: those they manage."""
    if acts_for_region(user):
        return Network.objects.order_by("name")
    if not is_authenticated(user):
        return Network.objects.none()
    return networks_managed_by(user).order_by("name")


def can_manage_event(user, event: Event) -> bool:
    """Change the event, its registrations, programme, budget and follow-up."""
    if acts_for_region(user):
        return True
    if event.municipality_id is not None and acts_for_municipality(user, event.municipality_id):
        return True
    if event.organiser_id is not None and acts_for_organisation(user, event.organiser):
        return True
    if not is_authenticated(user):
        return False
    if event.created_by_id == user.pk:
        return True
    return bool(event.network_id and can_manage_network(user, event.network))


# The conference ----------------------------------------------------------------------------------


def can_edit_programme(user, conference: Conference) -> bool:
    """Edit the conference's programme (sessions and speakers): those who manage the event, and the
    planning group's members who have a user account (ADR 0124)."""
    if can_manage_event(user, conference.event):
        return True
    if not is_authenticated(user):
        return False
    return conference.planning_group.filter(user_id=user.pk).exists()


def conferences_programme_editable_by(user) -> QuerySet[Conference]:
    """The conferences whose programme the user may edit (the pair of can_edit_programme)."""
    if acts_for_region(user):
        return Conference.objects.all()
    if not is_authenticated(user):
        return Conference.objects.none()
    managed = Q(event__in=events_managed_by(user))
    return Conference.objects.filter(managed | Q(planning_group__user_id=user.pk)).distinct()


def events_managed_by(user) -> QuerySet[Event]:
    """The events can_manage_event allows the user to change."""
    if acts_for_region(user):
        return Event.objects.all()
    if not is_authenticated(user):
        return Event.objects.none()
    condition = municipalities_actable_q(user, via="municipality") | organisations_actable_q(user, via="organiser")
    condition |= Q(created_by_id=user.pk) | Q(network__in=networks_managed_by(user))
    return Event.objects.filter(condition)


def can_view_conference_status(user, conference: Conference) -> bool:
    """Read the conference's status report (budget, registrations, surveys): its programme editors."""
    return can_edit_programme(user, conference)


def can_decide_registration(user, registration: Registration) -> bool:
    return can_manage_event(user, registration.event)


def can_link_initiative(user, initiative: Initiative) -> bool:
    """Bind an event to the initiative (or unbind it): the right to change the initiative."""
    return plan_permissions.can_change_initiative(user, initiative)


def initiatives_linkable_by(user) -> QuerySet[Initiative]:
    """The initiatives the user may link events to, for the event form."""
    return plan_permissions.initiatives_changeable_by(user).order_by("title", "id")


# Networks ---------------------------------------------------------------------------------------


def _active_memberships_actable_by(user) -> QuerySet[NetworkMembership]:
    active = NetworkMembership.objects.filter(status=NetworkMembership.Status.ACTIVE)
    return narrow(active, organisations_actable_q(user, via="organisation"))


def _managed_networks_q(user) -> Q:
    """The networks the signed-in user manages other than as region administrator: as their named
    coordinator, or acting for their coordinating organisation."""
    condition = Q(coordinator_id=user.pk)
    by_organisation = organisations_actable_q(user, via="organisation")
    if by_organisation is not None and by_organisation != NOTHING:
        condition |= Q(organisation__isnull=False) & by_organisation
    return condition


def networks_visible_to(user) -> QuerySet[Network]:
    """Members-only networks are seen by those who act for a member or an invited organisation, those
    who manage them and region administrators. Closed networks stay readable."""
    qs = Network.objects.all()
    if acts_for_region(user):
        return qs
    condition = ~Q(visibility=Network.Visibility.MEMBERS)
    if is_authenticated(user):
        condition |= _managed_networks_q(user)
        condition |= Exists(_active_memberships_actable_by(user).filter(network_id=OuterRef("pk")))
        # An invited organisation sees the network it is asked to join, to answer on its page.
        invited = NetworkMembership.objects.filter(status=NetworkMembership.Status.INVITED)
        condition |= Exists(
            narrow(invited, organisations_actable_q(user, via="organisation")).filter(network_id=OuterRef("pk"))
        )
    return qs.filter(condition)


def networks_managed_by(user) -> QuerySet[Network]:
    """The networks the user manages (open and closed)."""
    if acts_for_region(user):
        return Network.objects.all()
    if not is_authenticated(user):
        return Network.objects.none()
    return Network.objects.filter(_managed_networks_q(user))


def can_create_some_network(user) -> bool:
    """May the user create networks at all (the create page): staff, and representatives for their organisations."""
    return is_staff(user) or acts_for_some_organisation(user)


def can_create_network(user, *, organisation: Organisation | None = None, parent: Network | None = None) -> bool:
    """Create a network coordinated by `organisation` (None: run by staff, without a coordinating
    organisation). Naming the coordinating organisation binds the network to it (its people manage
    it), so that needs acting for it; placing one under a parent network binds it there (the
    parent's page lists it), so that needs managing the parent."""
    if not can_name_network_organisation(user, organisation):
        return False
    return parent is None or can_manage_network(user, parent)


def can_name_network_organisation(user, organisation: Organisation | None) -> bool:
    """Make `organisation` the coordinating organisation of a network, or take a network from it:
    act for it. No organisation (a network run by staff) is for staff."""
    if organisation is None:
        return is_staff(user)
    return acts_for_organisation(user, organisation)


def network_organisations_for(user) -> QuerySet[Organisation]:
    """The organisations the user may name as a network's coordinating organisation."""
    return narrow(Organisation.objects.all(), organisations_actable_q(user)).order_by("name_key")


def can_manage_network(user, network: Network) -> bool:
    """Decide on memberships, change every member's representatives, edit and close the network: its
    named coordinator, those who act for its coordinating organisation and region administrators."""
    if acts_for_region(user):
        return True
    if not is_authenticated(user):
        return False
    if network.coordinator_id == user.pk:
        return True
    return network.organisation_id is not None and acts_for_organisation(user, network.organisation)


def can_change_network(user, network: Network) -> bool:
    """Edit, appoint coordinators, add members: managing an open network (a closed one is kept as it was)."""
    return not network.is_closed and can_manage_network(user, network)


def can_close_network(user, network: Network) -> bool:
    return can_change_network(user, network)


def can_be_network_coordinator(person, organisation: Organisation | None) -> bool:
    """May `person` be named the coordinator of a network coordinated by `organisation`: the named
    coordinator manages the network, so they must act for its organisation (staff for a network
    without one)."""
    if person is None:
        return True
    if organisation is None:
        return is_staff(person)
    return acts_for_organisation(person, organisation)


def coordinator_candidates_q(organisation: Organisation | None) -> Q:
    """The users (a Q over User) who may be named coordinator of a network coordinated by
    `organisation`: the people who act for it (ADR 0101)."""
    from civsam.accounts.models import Role

    condition = Q(role_assignments__role=Role.REGION_ADMIN)
    if organisation is None:
        return condition | Q(role_assignments__role=Role.MUNICIPAL_OFFICER)
    condition |= Q(role_assignments__role=Role.ORGANISATION_REP, role_assignments__organisation=organisation)
    if organisation.municipality_id is not None:
        condition |= Q(
            role_assignments__role=Role.MUNICIPAL_OFFICER,
            role_assignments__municipality_id=organisation.municipality_id,
        )
    return condition


def can_add_member(user, network: Network) -> bool:
    """Invite an organisation to the network (or add it at once when the user also acts for it)."""
    return can_change_network(user, network)


def can_request_membership(user, network: Network, organisation: Organisation) -> bool:
    """Apply for the organisation to join an open network: whoever acts for it, unless only the
    coordinator adds members (members-only networks)."""
    if network.is_closed or not acts_for_organisation(user, organisation):
        return False
    return network.visibility != Network.Visibility.MEMBERS or can_manage_network(user, network)


def organisations_to_offer_membership(user, network: Network) -> list[Organisation]:
    """The network page's join form: the user's own organisations that may apply and have not.

    Officers may apply for other organisations too (can_request_membership), but the page offers
    only the organisations the user represents."""
    if network.is_closed:
        return []
    candidates = Organisation.objects.filter(pk__in=represented_organisation_ids(user)).exclude(
        network_memberships__network=network, network_memberships__status__in=NetworkMembership.OPEN
    )
    return [o for o in candidates if can_request_membership(user, network, o)]


def can_decide_membership(user, membership: NetworkMembership) -> bool:
    """Approve or decline a request to join: those who manage the open network."""
    return can_change_network(user, membership.network)


def can_answer_invitation(user, membership: NetworkMembership) -> bool:
    """Accept or refuse an invitation to join: whoever acts for the invited organisation."""
    return not membership.network.is_closed and acts_for_organisation(user, membership.organisation)


def invitations_answerable_by(user, network: Network) -> QuerySet[NetworkMembership]:
    invited = network.memberships.filter(status=NetworkMembership.Status.INVITED).select_related("organisation")
    if network.is_closed or not is_authenticated(user):
        return invited.none()
    return narrow(invited, organisations_actable_q(user, via="organisation"))


def can_change_membership(user, membership: NetworkMembership) -> bool:
    """End the membership or change its representatives, in an open network: those who manage the
    network, or whoever acts for the member."""
    if membership.network.is_closed:
        return False
    return can_manage_network(user, membership.network) or acts_for_organisation(user, membership.organisation)


def memberships_changeable_by(user, network: Network) -> QuerySet[NetworkMembership]:
    """The network's active memberships whose representatives the user may change."""
    active = network.memberships.filter(status=NetworkMembership.Status.ACTIVE).select_related("organisation")
    if network.is_closed:
        return active.none()
    if can_manage_network(user, network):
        return active
    return narrow(active, organisations_actable_q(user, via="organisation"))


def can_view_representatives(user, network: Network) -> bool:
    """Names of representatives are personal data: shown to those who manage the network, administrators and members."""
    if can_manage_network(user, network):
        return True
    return is_authenticated(user) and _active_memberships_actable_by(user).filter(network=network).exists()


def organisations_to_invite(user, network: Network) -> QuerySet[Organisation]:
    """The organisations the coordinator may invite: every organisation they can see in the
    registry (any sector), less those already members, invited or applying."""
    from civsam.registry.permissions import organisations_visible_to

    return (
        organisations_visible_to(user)
        .exclude(network_memberships__network=network, network_memberships__status__in=NetworkMembership.OPEN)
        .order_by("name_key")
    )


def coordinators_for(network: Network, organisation: Organisation | None):
    """The people who may be named the network's coordinator, with the current one beside them."""
    from civsam.accounts.models import User

    condition = coordinator_candidates_q(organisation)
    if network.coordinator_id:
        condition |= Q(pk=network.coordinator_id)
    return User.objects.filter(condition, is_active=True).distinct().order_by("first_name", "last_name", "username")
