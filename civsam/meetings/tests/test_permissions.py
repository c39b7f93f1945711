"""Role × action matrices for events, the conference and networks (permissions, services and pages),
and who sees which events and networks."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from civsam.meetings import permissions, services
from civsam.meetings.models import Network
from civsam.meetings.tests import support

ROLES = ["admin", "officer", "officer_kumla", "rep", "reviewer", "plain", "anonymous"]
# The event is in Örebro (officer's municipality) and organised by rep's organisation.
MATRIX = {
    "create_event_for_own_org": {"admin", "officer", "officer_kumla", "rep"},
    "manage_event": {"admin", "officer", "rep"},
    "commit_budget": {"admin", "officer", "rep"},
    "set_quota": {"admin", "officer", "rep"},
    "send_survey": {"admin", "officer", "rep"},
    "manage_network": {"admin", "officer"},  # officer is the network's coordinator
    "view_representatives": {"admin", "officer"},
}


@pytest.fixture
def world(users, make_conference):
    conference = make_conference(capacity=10, municipality=users["own_org"].municipality, organiser=users["own_org"])
    line = services.budget_line_add(actor=None, conference=conference, title="Lokal", planned=Decimal("1000"))
    survey = services.survey_create(actor=None, event=conference.event, kind="knowledge")
    support.register(conference.event_id, 1)
    network = services.network_create(
        actor=None, name="Rådet", slug="radet", kind=Network.Kind.USER_COUNCIL, coordinator=users["officer"]
    )
    return {"conference": conference, "line": line, "survey": survey, "network": network, **users}


def attempt(action, world, user):
    conference = world["conference"]
    if action == "create_event_for_own_org":
        return permissions.can_create_event(user, organiser=world["own_org"] if user is world["rep"] else None)
    if action == "manage_event":
        return permissions.can_manage_event(user, conference.event)
    if action == "manage_network":
        return permissions.can_manage_network(user, world["network"])
    if action == "view_representatives":
        return permissions.can_view_representatives(user, world["network"])
    calls = {
        "commit_budget": lambda: services.commitment_add(
            actor=user, line=world["line"], description="X", amount=Decimal("1")
        ),
        "set_quota": lambda: services.quota_set(actor=user, conference=conference, target_group="elected", quota=1),
        "send_survey": lambda: services.survey_send(actor=user, survey=world["survey"], phase="before"),
    }
    try:
        calls[action]()
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("action", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(world, action, role):
    # Services treat actor=None as the system; an anonymous person is a real AnonymousUser.
    from django.contrib.auth.models import AnonymousUser

    user = world[role] if world[role] is not None else AnonymousUser()
    assert attempt(action, world, user) is (role in MATRIX[action])


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("officer", 200), ("rep", 200), ("officer_kumla", 403), ("reviewer", 403), ("anonymous", 302)],
)
@pytest.mark.parametrize("page", ["konferens", "budget", "forbered", "efter", "resultat"])
def test_organiser_pages_by_role(client, world, role, status, page):
    if world[role]:
        client.force_login(world[role])
    assert client.get(f"/evenemang/{world['conference'].event_id}/hantera/{page}/").status_code == status


# Who sees what, and who may apply for whom -------------------------------------------------------

VIEWERS = [
    "anonymous",
    "plain",
    "rep_member",
    "rep_other",
    "officer",
    "officer_kumla",
    "coordinator",
    "admin",
    "reviewer",
]


@pytest.fixture
def seen(users):
    """Two networks coordinated by `coordinator`: an open one and a members-only one whose member is
    own_org (Örebro; its representative is rep_member). rep_other represents other_org (Kumla), a
    member of neither. Events: a public one and unpublished ones of Örebro, of own_org, of the
    members-only network, and one that the plain user created."""
    from datetime import timedelta

    from django.utils import timezone

    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import Municipality
    from civsam.meetings.models import Event

    rep_other = User.objects.create_user(username="rep_other", password="secret-pass-123")
    role_assign(user=rep_other, role=Role.ORGANISATION_REP, organisation=users["other_org"])
    coordinator = User.objects.create_user(username="coordinator", password="secret-pass-123")
    open_network = services.network_create(
        actor=None, name="Öppna rådet", slug="oppna", kind=Network.Kind.USER_COUNCIL, coordinator=coordinator
    )
    closed_network = services.network_create(
        actor=None,
        name="Slutna rådet",
        slug="slutna",
        kind=Network.Kind.USER_COUNCIL,
        visibility=Network.Visibility.MEMBERS,
        coordinator=coordinator,
    )
    membership = services.membership_request(actor=None, network=closed_network, organisation=users["own_org"])
    services.membership_decide(actor=None, membership=membership, approve=True)
    start = timezone.now() + timedelta(days=7)

    def event(title, **fields):
        return Event.objects.create(title=title, starts_at=start, ends_at=start + timedelta(hours=1), **fields)

    events = {
        "public": event("Öppet möte"),
        "hidden_orebro": event(
            "Örebros interna möte", is_public=False, municipality=Municipality.objects.get(code="1880")
        ),
        "hidden_org": event("Föreningens interna möte", is_public=False, organiser=users["own_org"]),
        "hidden_network": event("Rådets interna möte", is_public=False, network=closed_network),
        "hidden_own": event("Eget utkast", is_public=False, created_by=users["plain"]),
    }
    people = {**users, "rep_member": users["rep"], "rep_other": rep_other, "coordinator": coordinator}
    return {"people": people, "networks": {"open": open_network, "members": closed_network}, "events": events}


def _user(seen, role):
    from django.contrib.auth.models import AnonymousUser

    return seen["people"][role] or AnonymousUser()


EVENTS_SEEN = {
    "anonymous": {"public"},
    "plain": {"public", "hidden_own"},
    "rep_member": {"public", "hidden_org"},
    "rep_other": {"public"},
    # Officers act for their municipality and for the organisations based in it (own_org is in Örebro).
    "officer": {"public", "hidden_orebro", "hidden_org"},
    "officer_kumla": {"public"},
    "coordinator": {"public", "hidden_network"},
    "admin": {"public", "hidden_orebro", "hidden_org", "hidden_network", "hidden_own"},
    "reviewer": {"public"},
}


@pytest.mark.parametrize("role", VIEWERS)
def test_events_visible_to(seen, role):
    visible = set(permissions.events_visible_to(_user(seen, role)).values_list("pk", flat=True))
    assert visible == {seen["events"][name].pk for name in EVENTS_SEEN[role]}


NETWORKS_SEEN = {
    "anonymous": {"open"},
    "plain": {"open"},
    "rep_member": {"open", "members"},
    "rep_other": {"open"},
    "officer": {"open", "members"},  # acts for own_org, the member
    "officer_kumla": {"open"},
    "coordinator": {"open", "members"},
    "admin": {"open", "members"},
    "reviewer": {"open"},
}


@pytest.mark.parametrize("role", VIEWERS)
def test_networks_visible_to(seen, role):
    visible = list(permissions.networks_visible_to(_user(seen, role)).values_list("slug", flat=True))
    assert len(visible) == len(set(visible))  # no row twice, however many memberships match
    assert set(visible) == {seen["networks"][name].slug for name in NETWORKS_SEEN[role]}


# (network, organisation applied for) -> who may apply: those who act for the organisation. The
# coordinator invites instead (membership_invite), the organisation answers.
MAY_APPLY = {
    ("open", "own_org"): {"rep_member", "officer", "admin"},
    ("open", "other_org"): {"rep_other", "officer_kumla", "admin"},
    # Members-only: the coordinator invites members; only who both manages it and acts for the organisation applies.
    ("members", "other_org"): {"admin"},
}


@pytest.mark.parametrize(("network", "organisation"), sorted(MAY_APPLY))
@pytest.mark.parametrize("role", VIEWERS)
def test_can_request_membership(seen, role, network, organisation):
    allowed = permissions.can_request_membership(
        _user(seen, role), seen["networks"][network], seen["people"][organisation]
    )
    assert allowed is (role in MAY_APPLY[(network, organisation)])
