"""Fields that bind an event, a network or a membership to a body, as one table: field × role × the
body (A: the representative's organisation, Örebro, the network Örebro's officer coordinates and
what they lead; B: another organisation, Kumla, Kumla's network) → allowed or refused.

An event's organiser, municipality and network bind it: their pages, feeds and figures show it and
their people manage it. Binding an event to a body, or taking it away from one, needs that body's
permission; bindings the user may not change stay as they are when they edit other things. The
plan's priority areas are named, not bound: they belong to no body, so anyone who may write the
event may name them. Each cell is checked through the service with the user as actor, and the
event's bindings also through the API and the web form.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.meetings import permissions, services
from civsam.meetings.models import Event, Network, NetworkMembership
from civsam.plan.models import PriorityArea

START = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=20)
ROLES = ("plain", "rep_A", "officer_A", "officer_B", "admin")

EVENT_POLICY = """
field             body plain rep_A officer_A officer_B admin
organiser          A    .     Y      Y         .        Y
organiser          B    .     .      .         Y        Y
municipality       A    .     .      Y         .        Y
municipality       B    .     .      .         Y        Y
network            A    .     .      Y         .        Y
network            B    .     .      .         Y        Y
initiatives        A    .     Y      Y         .        Y
initiatives        B    .     .      .         Y        Y
priority_areas     A    .     Y      Y         Y        Y
priority_areas     B    .     Y      Y         Y        Y
"""

NETWORK_POLICY = """
field             body plain rep_A officer_A officer_B admin
network_parent     A    .     .      Y         .        Y
network_parent     B    .     .      .         Y        Y
membership         A    .     Y      Y         .        Y
membership         B    .     .      .         Y        Y
representative     A    .     Y      Y         .        Y
representative     B    .     .      .         Y        Y
"""


def _parse(text: str) -> dict[tuple[str, str, str], bool]:
    lines = [line.split() for line in text.strip().splitlines()]
    assert tuple(lines[0][2:]) == ROLES
    return {(row[0], row[1], role): cell == "Y" for row in lines[1:] for role, cell in zip(ROLES, row[2:], strict=True)}


EVENT_EXPECTED = _parse(EVENT_POLICY)
NETWORK_EXPECTED = _parse(NETWORK_POLICY)
BOUND = ("organiser", "municipality", "network")  # the event's own fields that bind


@pytest.fixture
def world(users, make_initiative):
    orebro, kumla = Municipality.objects.get(code="1880"), Municipality.objects.get(code="1881")
    areas = list(PriorityArea.objects.filter(focus_area__plan__slug="2022-2025").order_by("pk")[:2])
    bodies = {
        "A": {
            "organiser": users["own_org"],
            "municipality": orebro,
            "network": services.network_create(
                actor=None,
                name="Örebros råd",
                slug="orebros-rad",
                kind=Network.Kind.USER_COUNCIL,
                coordinator=users["officer"],
            ),
            "initiatives": make_initiative(title="A:s insats", lead_organisation=users["own_org"], lead_name=""),
            "priority_areas": areas[0],
        },
        "B": {
            "organiser": users["other_org"],
            "municipality": kumla,
            "network": services.network_create(
                actor=None,
                name="Kumlas råd",
                slug="kumlas-rad",
                kind=Network.Kind.USER_COUNCIL,
                coordinator=users["officer_kumla"],
            ),
            "initiatives": make_initiative(title="B:s insats", lead_organisation=users["other_org"], lead_name=""),
            "priority_areas": areas[1],
        },
    }
    people = {
        "plain": users["plain"],
        "rep_A": users["rep"],
        "officer_A": users["officer"],
        "officer_B": users["officer_kumla"],
        "admin": users["admin"],
    }
    # A representative's events are their organisation's; the staff may create events without one.
    baseline = {"rep_A": {"organiser": users["own_org"]}}
    return {"bodies": bodies, "people": people, "baseline": baseline}


def _details(**fields) -> services.EventDetails:
    fields.setdefault("title", "Nytt möte")
    return services.EventDetails(starts_at=START, ends_at=START + datetime.timedelta(hours=2), **fields)


def _managed_event(world, role: str, **bound) -> Event:
    """An event the role manages because they registered it, bound (by the system) as given. The
    plain user manages none: their event is someone else's."""
    return Event.objects.create(
        title=f"{role}:s möte",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=2),
        created_by=None if role == "plain" else world["people"][role],
        **bound,
    )


def _refused(call) -> bool:
    try:
        call()
    except (PermissionDenied, ValidationError):
        return True
    return False


def _create_with(world, role: str, field: str, body_key: str):
    body = world["bodies"][body_key][field]
    details = dict(world["baseline"].get(role, {}))
    lists = {}
    if field in BOUND:
        details[field] = body
    else:
        lists[field] = [body]
    return lambda: services.event_create(actor=world["people"][role], details=_details(**details), **lists)


def _set_on(world, role: str, field: str, body_key: str):
    event = _managed_event(world, role)
    body = world["bodies"][body_key][field]
    if field in BOUND:
        details = dataclasses.replace(services.EventDetails.of(event), **{field: body})
        return lambda: services.event_update(actor=world["people"][role], event=event, details=details)
    return lambda: services.event_update(actor=world["people"][role], event=event, **{field: [body]})


def _unset_on(world, role: str, field: str, body_key: str):
    event = _managed_event(world, role, **{field: world["bodies"][body_key][field]})
    details = dataclasses.replace(services.EventDetails.of(event), **{field: None})
    return lambda: services.event_update(actor=world["people"][role], event=event, details=details)


def test_the_tables_cover_every_binding_field():
    assert {field for field, _b, _r in EVENT_EXPECTED} == {*BOUND, "initiatives", "priority_areas"}
    assert {field for field, _b, _r in NETWORK_EXPECTED} == {"network_parent", "membership", "representative"}


@pytest.mark.parametrize(("field", "body", "role"), sorted(EVENT_EXPECTED))
def test_creating_an_event_bound_to_a_body(world, field, body, role):
    allowed = EVENT_EXPECTED[(field, body, role)]
    assert _refused(_create_with(world, role, field, body)) is not allowed
    assert Event.objects.filter(title="Nytt möte").exists() is allowed


@pytest.mark.parametrize(("field", "body", "role"), sorted(EVENT_EXPECTED))
def test_binding_an_existing_event_to_a_body(world, field, body, role):
    call = _set_on(world, role, field, body)
    assert _refused(call) is not EVENT_EXPECTED[(field, body, role)]


@pytest.mark.parametrize(("field", "body", "role"), sorted(k for k in EVENT_EXPECTED if k[0] in BOUND))
def test_taking_an_event_away_from_a_body(world, field, body, role):
    allowed = EVENT_EXPECTED[(field, body, role)]
    call = _unset_on(world, role, field, body)
    assert _refused(call) is not allowed
    event = Event.objects.get(title=f"{role}:s möte")
    assert (getattr(event, f"{field}_id") is None) is allowed


@pytest.mark.parametrize("role", ("rep_A", "officer_A", "officer_B", "admin"))
def test_editing_other_fields_keeps_bindings_one_may_not_change(world, role):
    bound = {field: world["bodies"]["B"][field] for field in BOUND}
    event = _managed_event(world, role, **bound)
    details = dataclasses.replace(services.EventDetails.of(event), title="Nytt namn")
    services.event_update(actor=world["people"][role], event=event, details=details)
    event.refresh_from_db()
    assert event.title == "Nytt namn"
    assert (event.organiser, event.municipality, event.network) == tuple(bound.values())


@pytest.mark.parametrize(("field", "body", "role"), sorted(k for k in EVENT_EXPECTED if k[0] in BOUND))
def test_permission_functions(world, field, body, role):
    check = {
        "organiser": permissions.can_name_event_organiser,
        "municipality": permissions.can_name_event_municipality,
        "network": permissions.can_place_event_in_network,
    }[field]
    choices = {
        "organiser": permissions.event_organisers_for,
        "municipality": permissions.event_municipalities_for,
        "network": permissions.event_networks_for,
    }[field]
    user, target = world["people"][role], world["bodies"][body][field]
    allowed = EVENT_EXPECTED[(field, body, role)]
    assert check(user, target) is allowed
    assert choices(user).filter(pk=target.pk).exists() is allowed


# The API -----------------------------------------------------------------------------------------

API_ROLES = ("rep_A", "officer_A", "officer_B", "admin")
API_KEYS = {
    "organiser": lambda body: body.orgnr,
    "municipality": lambda body: body.code,
    "network": lambda body: body.slug,
}


def _api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("field", BOUND)
@pytest.mark.parametrize("body", ["A", "B"])
@pytest.mark.parametrize("role", API_ROLES)
def test_api_create_and_change(world, role, body, field):
    allowed = EVENT_EXPECTED[(field, body, role)]
    client = _api(world["people"][role])
    payload = {
        "title": "Via API",
        "startsAt": START.isoformat(),
        "endsAt": (START + datetime.timedelta(hours=2)).isoformat(),
        field: API_KEYS[field](world["bodies"][body][field]),
    }
    if role == "rep_A" and field != "organiser":
        payload["organiser"] = world["bodies"]["A"]["organiser"].orgnr
    created = client.post("/api/v1/events", payload, content_type="application/json")
    assert created.status_code == (201 if allowed else 403), created.content
    # Change an event the role manages to the body, then (as set by the system) away from it.
    event = _managed_event(world, role)
    value = API_KEYS[field](world["bodies"][body][field])
    changed = client.patch(f"/api/v1/events/{event.pk}", {field: value}, content_type="application/json")
    assert changed.status_code == (200 if allowed else 403), changed.content
    bound = _managed_event(world, role, **{field: world["bodies"][body][field]})
    unbound = client.patch(f"/api/v1/events/{bound.pk}", {field: None}, content_type="application/json")
    assert unbound.status_code == (200 if allowed else 403), unbound.content
    if not allowed:
        assert unbound["Content-Type"].startswith("application/problem+json")


# The web form ------------------------------------------------------------------------------------


def _form_data(page, **changes) -> dict:
    initial = page.context["form"].initial
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in initial.items() if v is not None and v is not False}
    data["priority_areas"] = [a.pk for a in initial.get("priority_areas", [])]
    data["initiatives"] = [i.pk for i in initial.get("initiatives", [])]
    data.update(
        title=data.get("title") or "Via formuläret",
        starts_at=timezone.localtime(START).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(START + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        is_public="on",
        mode=data.get("mode") or Event.Mode.IN_PERSON,
        offer_window_hours=data.get("offer_window_hours") or 48,
    )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("field", BOUND)
@pytest.mark.parametrize("body", ["A", "B"])
@pytest.mark.parametrize("role", API_ROLES)
def test_form_offers_and_accepts_only_allowed_bodies(world, role, body, field):
    allowed = EVENT_EXPECTED[(field, body, role)]
    client = Client()
    client.force_login(world["people"][role])
    target = world["bodies"][body][field]
    page = client.get(reverse("meetings:event-create"))
    form_field = page.context["form"].fields.get(field)
    offered = form_field is not None and form_field.queryset.filter(pk=target.pk).exists()
    assert offered is allowed
    changes = {field: target.pk}
    if role == "rep_A" and field != "organiser":
        changes["organiser"] = world["bodies"]["A"]["organiser"].pk
    response = client.post(reverse("meetings:event-create"), _form_data(page, **changes))
    bound = Event.objects.filter(title="Via formuläret", **{field: target}).exists()
    assert bound is allowed, response.status_code
    # On an event bound (by the system) to the body, the form offers the current binding, so that
    # saving other changes keeps it; unbinding is allowed only with the body's permission.
    event = _managed_event(world, role, **{field: target})
    url = reverse("meetings:event-edit", args=[event.pk])
    page = client.get(url)
    assert page.context["form"].fields[field].queryset.filter(pk=target.pk).exists()
    kept = client.post(url, _form_data(page, title="Nytt namn"))
    assert kept.status_code == 302, kept.context["form"].errors
    event.refresh_from_db()
    assert (event.title, getattr(event, field)) == ("Nytt namn", target)
    page = client.get(url)
    data = _form_data(page)
    data.pop(field)
    client.post(url, data)
    event.refresh_from_db()
    assert (getattr(event, field) is None) is allowed


# Networks, memberships and representatives -------------------------------------------------------


@pytest.fixture
def open_network(world):
    """A network without a coordinator, run by the Region, that anyone may apply to."""
    return services.network_create(actor=None, name="Länets nätverk", slug="lanets", kind=Network.Kind.THEMATIC)


def _network_attempt(world, open_network, field: str, body_key: str, role: str):
    user, body = world["people"][role], world["bodies"][body_key]
    if field == "network_parent":
        return lambda: services.network_create(
            actor=user, name="Delnätverk", slug="del", kind=Network.Kind.THEMATIC, parent=body["network"]
        )
    if field == "membership":
        return lambda: services.membership_request(actor=user, network=open_network, organisation=body["organiser"])
    membership = services.membership_request(actor=None, network=open_network, organisation=body["organiser"])
    services.membership_decide(actor=None, membership=membership, approve=True)
    return lambda: services.representative_add(
        actor=user, membership=membership, name="Ordförande", position="chair", starts_on=datetime.date(2024, 1, 1)
    )


@pytest.mark.parametrize(("field", "body", "role"), sorted(NETWORK_EXPECTED))
def test_network_bindings(world, open_network, field, body, role):
    call = _network_attempt(world, open_network, field, body, role)
    allowed = NETWORK_EXPECTED[(field, body, role)]
    assert _refused(call) is not allowed
    if field == "membership":
        assert NetworkMembership.objects.filter(network=open_network).exists() is allowed
