"""Running a network through the pages and the API (issue #12): the same services, so these check
the wiring — the forms offer only the bodies the user may bind, refusals are messages or 403, bad
input is a Swedish error with nothing written, and a closed network is read only."""

from __future__ import annotations

import datetime
import json

import pytest

from civsam.meetings import services
from civsam.meetings.models import Network, NetworkMembership

M = NetworkMembership.Status


@pytest.fixture
def forum(users):
    return services.network_create(
        actor=users["rep"], name="Föreningsforum", kind="dialogue_forum", organisation=users["own_org"]
    )


def _form_options(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_a_representative_creates_a_forum_for_their_own_organisation_only(client, users):
    client.force_login(users["rep"])
    page = client.get("/natverk/nytt/").content.decode()
    options = _form_options(page, "organisation")
    assert "Egna föreningen" in options and "Andra föreningen" not in options
    assert "Ingen –" not in options  # only staff run networks without an organisation
    # Posting another organisation's id is refused by the form, and nothing is written.
    response = client.post(
        "/natverk/nytt/",
        {
            "name": "Kapat forum",
            "kind": "dialogue_forum",
            "visibility": "public",
            "organisation": users["other_org"].pk,
        },
    )
    assert response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    assert not Network.objects.filter(name="Kapat forum").exists()
    response = client.post(
        "/natverk/nytt/",
        {"name": "Vårt forum", "kind": "dialogue_forum", "visibility": "public", "organisation": users["own_org"].pk},
    )
    network = Network.objects.get(name="Vårt forum")
    assert response.status_code == 302 and response["Location"] == f"/natverk/{network.slug}/hantera/"
    assert (network.organisation, network.coordinator) == (users["own_org"], users["rep"])


@pytest.mark.parametrize(("role", "status"), [("plain", 403), ("reviewer", 403), ("anonymous", 302)])
def test_who_may_not_open_the_create_page(client, users, role, status):
    if users[role]:
        client.force_login(users[role])
    assert client.get("/natverk/nytt/").status_code == status


def test_edit_offers_the_current_binding_and_keeps_it(client, users, forum):
    client.force_login(users["officer"])  # acts for own_org (Örebro), not for other_org
    page = client.get(f"/natverk/{forum.slug}/redigera/").content.decode()
    assert "Egna föreningen" in _form_options(page, "organisation")
    assert "Andra föreningen" not in _form_options(page, "organisation")
    response = client.post(
        f"/natverk/{forum.slug}/redigera/",
        {
            "name": "Föreningsforum Örebro",
            "kind": "dialogue_forum",
            "visibility": "public",
            "organisation": users["own_org"].pk,
            "coordinator": users["rep"].pk,
        },
    )
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.name == "Föreningsforum Örebro" and forum.organisation == users["own_org"]


@pytest.mark.parametrize(
    ("role", "status"), [("rep", 200), ("officer", 200), ("admin", 200), ("officer_kumla", 403), ("plain", 403)]
)
def test_who_reaches_the_management_page(client, users, forum, role, status):
    client.force_login(users[role])
    assert client.get(f"/natverk/{forum.slug}/hantera/").status_code == status
    assert client.get(f"/natverk/{forum.slug}/redigera/").status_code == status


def test_invite_answer_end_and_close_through_the_pages(client, users, forum):
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign

    rep_other = User.objects.create_user(username="rep_other", password="secret-pass-123")
    role_assign(user=rep_other, role=Role.ORGANISATION_REP, organisation=users["other_org"])
    client.force_login(users["rep"])
    client.post(f"/natverk/{forum.slug}/bjud-in/", {"organisation": users["other_org"].pk})
    membership = NetworkMembership.objects.get(network=forum)
    assert membership.status == M.INVITED
    # The inviter cannot answer for the invited organisation.
    assert client.post(f"/natverk/medlemskap/{membership.pk}/svar/", {"accept": "1"}).status_code == 403
    client.force_login(rep_other)
    page = client.get(f"/natverk/{forum.slug}/").content.decode()
    assert "Inbjudan att bli medlem" in page
    client.post(f"/natverk/medlemskap/{membership.pk}/svar/", {"accept": "1"})
    membership.refresh_from_db()
    assert membership.status == M.ACTIVE
    client.force_login(users["rep"])
    # Closing needs the box ticked: nothing changes without it.
    response = client.post(f"/natverk/{forum.slug}/avsluta/", {"closed_on": "2026-12-31"})
    assert response.status_code == 200 and "Kryssa i rutan" in response.content.decode()
    forum.refresh_from_db()
    assert not forum.is_closed
    client.post(f"/natverk/{forum.slug}/avsluta/", {"closed_on": "2026-12-31", "confirm": "on"})
    forum.refresh_from_db()
    membership.refresh_from_db()
    assert forum.is_closed and membership.ended_on == datetime.date(2026, 12, 31)
    assert client.get(f"/natverk/{forum.slug}/redigera/").status_code == 403
    assert client.get(f"/natverk/{forum.slug}/avsluta/").status_code == 403
    client.logout()
    page = client.get(f"/natverk/{forum.slug}/").content.decode()
    assert "Nätverket avslutades" in page and "Andra föreningen" in page  # former members, with dates


def test_a_bad_invitation_is_a_message_and_writes_nothing(client, users, forum):
    client.force_login(users["rep"])
    response = client.post(f"/natverk/{forum.slug}/bjud-in/", {"organisation": "not-a-number"}, follow=True)
    assert "Välj en organisation" in response.content.decode()
    assert not NetworkMembership.objects.filter(network=forum).exists()


# API ----------------------------------------------------------------------------------------------


def _api(user):
    from tests.api.support import session_client

    client, csrf = session_client(user)

    def call(method: str, url: str, body: dict | None = None):
        return client.generic(
            method, url, json.dumps(body) if body is not None else "", content_type="application/json", **csrf
        )

    return call


def test_the_api_runs_a_forum_from_start_to_close(users):
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign

    rep_other = User.objects.create_user(username="rep_other", password="secret-pass-123")
    role_assign(user=rep_other, role=Role.ORGANISATION_REP, organisation=users["other_org"])
    rep, other = _api(users["rep"]), _api(rep_other)
    created = rep(
        "POST", "/api/v1/networks", {"name": "API-forum", "kind": "thematic", "organisation": users["own_org"].orgnr}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["organisation"], body["status"], body["closedOn"]) == (users["own_org"].orgnr, "active", None)
    slug = body["slug"]
    invited = rep("POST", f"/api/v1/networks/{slug}/memberships", {"organisation": users["other_org"].orgnr})
    assert (invited.status_code, invited.json()["status"]) == (201, "invited")
    pk = invited.json()["id"]
    assert rep("POST", f"/api/v1/network-memberships/{pk}/decision", {"approve": True}).status_code == 403
    answered = other("POST", f"/api/v1/network-memberships/{pk}/decision", {"approve": True})
    assert answered.json()["status"] == "active"
    appointed = other(
        "POST",
        f"/api/v1/network-memberships/{pk}/representatives",
        {"name": "Kim", "position": "chair", "startsOn": "2026-01-01"},
    )
    assert appointed.status_code == 201
    bad = rep("PATCH", f"/api/v1/networks/{slug}", {"kind": "not-a-kind"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    moved = rep("PATCH", f"/api/v1/networks/{slug}", {"organisation": users["other_org"].orgnr})
    assert moved.status_code == 403
    listed = rep("GET", f"/api/v1/networks/{slug}/memberships")
    assert [m["representatives"][0]["name"] for m in listed.json()["items"]] == ["Kim"]
    closed = rep("POST", f"/api/v1/networks/{slug}/close", {"closedOn": "2026-12-31"})
    assert (closed.json()["status"], closed.json()["closedOn"]) == ("closed", "2026-12-31")
    again = rep("POST", f"/api/v1/networks/{slug}/memberships", {"organisation": users["own_org"].orgnr})
    assert again.status_code in (400, 403)
    members = rep("GET", f"/api/v1/networks/{slug}/memberships").json()["items"]
    assert [(m["status"], m["endedOn"]) for m in members] == [("ended", "2026-12-31")]


def test_min_sida_asks_the_invited_organisation_to_answer(client, users):
    council = services.network_create(actor=users["admin"], name="Samverkansrådet", kind="cooperation_council")
    services.membership_invite(actor=None, network=council, organisation=users["own_org"])
    assert NetworkMembership.objects.get(network=council).status == M.ACTIVE  # no actor: added at once
    forum = services.network_create(
        actor=users["officer_kumla"], name="Kumlaforum", kind="dialogue_forum", organisation=users["other_org"]
    )
    services.membership_invite(actor=users["officer_kumla"], network=forum, organisation=users["own_org"])
    client.force_login(users["rep"])
    page = client.get("/min-sida/").content.decode()
    assert "Egna föreningen är inbjuden till nätverket" in page and "Kumlaforum" in page
