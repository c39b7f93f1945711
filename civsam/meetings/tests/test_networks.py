import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.meetings import selectors, services
from civsam.meetings.models import Network, NetworkMembership


@pytest.fixture
def network(users):
    return services.network_create(
        actor=users["admin"],
        name="Partnerskapet för sociala innovationer",
        slug="partnerskapet",
        kind=Network.Kind.PARTNERSHIP,
        coordinator=users["officer"],
    )


def test_membership_request_decide_and_export(client, users, network):
    membership = services.membership_request(actor=users["rep"], network=network, organisation=users["own_org"])
    with pytest.raises(ValidationError):
        services.membership_request(actor=users["rep"], network=network, organisation=users["own_org"])
    with pytest.raises(PermissionDenied):
        services.membership_decide(actor=users["rep"], membership=membership, approve=True)
    services.membership_decide(actor=users["officer"], membership=membership, approve=True)
    services.representative_add(
        actor=users["rep"], membership=membership, name="Fia Företrädare", position="chair", starts_on="2026-01-01"
    )
    response = client.get("/natverk/partnerskapet/medlemmar.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["organisation"] for r in rows] == ["Egna föreningen"]
    assert "representanter" not in rows[0]  # names of people only for the network's own circle
    client.force_login(users["rep"])
    response = client.get("/natverk/partnerskapet/medlemmar.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "Fia Företrädare (Ordförande)" in rows[0]["representanter"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("rep", True), ("officer_kumla", False), ("reviewer", False), ("plain", False)],
)
def test_who_may_request_membership_for_an_organisation(users, network, role, allowed):
    if allowed:
        services.membership_request(actor=users[role], network=network, organisation=users["own_org"])
        assert NetworkMembership.objects.filter(network=network).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.membership_request(actor=users[role], network=network, organisation=users["own_org"])


def test_members_only_network_is_hidden_from_outsiders(client, users):
    services.network_create(
        actor=users["admin"], name="Slutet råd", slug="slutet", kind=Network.Kind.USER_COUNCIL, visibility="members"
    )
    assert client.get("/natverk/slutet/").status_code == 404
    assert "Slutet råd" not in client.get("/natverk/").content.decode()
    client.force_login(users["admin"])
    assert client.get("/natverk/slutet/").status_code == 200


def test_network_page_join_flow_in_browser_client(client, users, network):
    client.force_login(users["rep"])
    page = client.get("/natverk/partnerskapet/")
    assert "Ansök om medlemskap" in page.content.decode()
    response = client.post("/natverk/partnerskapet/ansok/", {"organisation": users["own_org"].pk})
    assert response.status_code == 302
    membership = NetworkMembership.objects.get(network=network)
    client.force_login(users["officer"])
    assert "1 ansökan väntar på beslut" in client.get("/natverk/partnerskapet/").content.decode()
    assert "Ansökningar att besluta om" in client.get("/natverk/partnerskapet/hantera/").content.decode()
    client.post(f"/natverk/medlemskap/{membership.pk}/beslut/", {"approve": "1"})
    membership.refresh_from_db()
    assert membership.status == "active"


def test_demo_meetings_are_deterministic_and_idempotent(client, reference_data):
    from civsam.core.models import Municipality
    from civsam.meetings.demo import demo_meetings_load
    from civsam.registry import demo
    from civsam.registry.imports.bulk import demo_organisations_insert

    demo_organisations_insert(demo.generate(300, dict(Municipality.objects.values_list("code", "population")), seed=1))
    assert demo_meetings_load() == (5, 3)
    assert demo_meetings_load() == (0, 0)
    partnership = Network.objects.get(slug="partnerskapet")
    assert partnership.memberships.filter(status="active").count() == 40
    # The real structure: the Region coordinates the partnership, whose members include public bodies.
    assert partnership.organisation.orgnr == "2321000164"
    assert partnership.memberships.filter(status="active", organisation__legal_form__code__in=["82", "84"]).count() == 6
    council = Network.objects.get(slug="samverkansradet")
    assert council.memberships.filter(status="active").count() == 13  # the Region and the 12 municipalities
    association_council = Network.objects.get(slug="foreningsradet-kumla")
    assert association_council.organisation.legal_form.is_civil_society  # run by civil society
    assert association_council.memberships.filter(status="requested").count() == 2
    assert Network.objects.get(slug="civsam-international").is_closed
    assert client.get("/natverk/civsam-international/").status_code == 200
    assert client.get("/natverk/partnerskapet/").status_code == 200
    assert client.get("/evenemang/").status_code == 200


def test_demo_conference_carries_the_committee_facts(client, reference_data):
    from decimal import Decimal

    from civsam.core.models import Municipality
    from civsam.meetings.demo import demo_conference_load, demo_meetings_load
    from civsam.meetings.models import Conference
    from civsam.registry import demo
    from civsam.registry.imports.bulk import demo_organisations_insert

    demo_organisations_insert(demo.generate(100, dict(Municipality.objects.values_list("code", "population")), seed=1))
    demo_meetings_load()
    assert demo_conference_load() is True
    assert demo_conference_load() is False
    conference = Conference.objects.get()
    assert conference.budget_decision_reference == "24RS4154"
    # The committee's planning money in 2024, the demo's money in the conference's year (ADR 0124).
    years = dict(conference.budget_years.values_list("year", "allocated"))
    assert years[2024] == Decimal("100000") and conference.budget_amount == sum(years.values())
    assert sum(conference.quotas.values_list("quota", flat=True)) <= conference.event.capacity
    assert conference.planning_group.filter(sector="civil_society").exists()
    spent = Decimal("43800") + Decimal("40000") + Decimal("11500")
    assert selectors.budget_state(conference).remaining == conference.budget_amount - spent
    assert "Demodata" in conference.event.description
    page = client.get(f"/evenemang/{conference.event_id}/program/").content.decode()
    assert "Välkommen och inledning" in page and "Stora salen" in page


def test_member_adds_own_representative_on_the_network_page(client, users, network):
    membership = services.membership_request(actor=users["rep"], network=network, organisation=users["own_org"])
    services.membership_decide(actor=users["officer"], membership=membership, approve=True)
    client.force_login(users["rep"])
    assert "Utse en representant" in client.get("/natverk/partnerskapet/").content.decode()
    invalid = client.post("/natverk/partnerskapet/representanter/", {"rep-membership": membership.pk})
    assert invalid.status_code == 400 and "Detta fält måste fyllas i" in invalid.content.decode()
    response = client.post(
        "/natverk/partnerskapet/representanter/",
        {
            "rep-membership": membership.pk,
            "rep-name": "Sekreteraren",
            "rep-position": "secretary",
            "rep-starts_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    assert [(r.name, r.position) for r in membership.representatives.all()] == [("Sekreteraren", "secretary")]
    client.force_login(users["officer_kumla"])  # neither coordinator nor member
    assert client.post("/natverk/partnerskapet/representanter/", {}).status_code == 403
