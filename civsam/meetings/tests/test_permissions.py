"""Role × action matrix for events, the conference and networks (services and pages)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from civsam.meetings import permissions, services
from civsam.meetings.models import Network

ROLES = ["admin", "officer", "officer_kumla", "rep", "reviewer", "plain", "anonymous"]
# The event is in Örebro (officer's municipality) and organised by rep's organisation.
MATRIX = {
    "create_event_for_own_org": {"admin", "officer", "officer_kumla", "rep"},
    "manage_event": {"admin", "officer", "rep"},
    "commit_budget": {"admin", "officer", "rep"},
    "set_quota": {"admin", "officer", "rep"},
    "send_survey": {"admin", "officer", "rep"},
    "manage_network": {"admin", "officer"},  # officer is the network's coordinator
    "see_representatives": {"admin", "officer"},
}


@pytest.fixture
def world(users, make_conference):
    conference = make_conference(capacity=10, municipality=users["own_org"].municipality, organiser=users["own_org"])
    line = services.budget_line_add(actor=None, conference=conference, title="Lokal", planned=Decimal("1000"))
    survey = services.survey_create(actor=None, event=conference.event, kind="knowledge")
    services.registration_create(event_id=conference.event_id, name="A", email="a@example.se")
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
    if action == "see_representatives":
        return permissions.can_see_representatives(user, world["network"])
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
