"""Events linked to the plan's initiatives, from the meetings side (meetings.Event.initiatives):
the service's rules, the form, the API, the two pages' lists and the computed indicator that counts
the participants of an initiative's meetings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civsam.core.models import AuditEntry, Municipality
from civsam.meetings import services
from civsam.meetings.models import Event, Network, Registration

START = timezone.make_aware(datetime.datetime(2024, 5, 6, 18))


@pytest.fixture
def world(users, make_initiative):
    """Initiatives led by Örebro, by Kumla and by the Region; a public meeting in Örebro and a
    closed one of Kumla (seen by the Region and Kumla's officers only)."""
    orebro, kumla = Municipality.objects.get(code="1880"), Municipality.objects.get(code="1881")

    def event(title, **fields):
        return Event.objects.create(title=title, starts_at=START, ends_at=START + datetime.timedelta(hours=2), **fields)

    return {
        **users,
        "orebro": make_initiative(title="Örebros föreningsdialog", lead_municipality=orebro),
        "kumla": make_initiative(title="Kumlas föreningsdialog", lead_municipality=kumla),
        "region": make_initiative(title="Regionens insats"),
        "public": event("Öppet dialogmöte", municipality=orebro),
        "closed": event("Internt planeringsmöte", is_public=False, municipality=kumla),
    }


def _details(**fields) -> services.EventDetails:
    fields.setdefault("title", "Dialogmöte")
    return services.EventDetails(starts_at=START, ends_at=START + datetime.timedelta(hours=2), **fields)


def _linked(event) -> set[str]:
    return set(event.initiatives.values_list("title", flat=True))


# The service --------------------------------------------------------------------------------------


def test_linking_needs_the_right_to_change_each_initiative(world):
    orebro = Municipality.objects.get(code="1880")
    event = services.event_create(
        actor=world["officer"], details=_details(municipality=orebro), initiatives=[world["orebro"]]
    )
    assert _linked(event) == {"Örebros föreningsdialog"}
    with pytest.raises(ValidationError) as refused:
        services.event_create(
            actor=world["officer"], details=_details(municipality=orebro), initiatives=[world["orebro"], world["kumla"]]
        )
    assert "Kumlas föreningsdialog" in str(refused.value) and "Örebros" not in str(refused.value)
    assert Event.objects.filter(title="Dialogmöte").count() == 1
    everything = services.event_create(
        actor=world["admin"], details=_details(), initiatives=[world["orebro"], world["kumla"], world["region"]]
    )
    assert len(_linked(everything)) == 3


def test_linking_needs_the_right_to_manage_the_event(world):
    # Kumla's officer may change Kumla's initiative, but the meeting is Örebro's.
    with pytest.raises(PermissionDenied):
        services.event_update(actor=world["officer_kumla"], event=world["public"], initiatives=[world["kumla"]])
    assert _linked(world["public"]) == set()


def test_editing_keeps_the_links_the_actor_may_not_change_and_audits_the_change(world):
    event = world["public"]
    services.event_update(actor=world["admin"], event=event, initiatives=[world["kumla"], world["region"]])
    # The Örebro officer manages the meeting but may change only Örebro's initiative.
    services.event_update(actor=world["officer"], event=event, initiatives=[world["orebro"]])
    assert _linked(event) == {"Örebros föreningsdialog", "Kumlas föreningsdialog", "Regionens insats"}
    services.event_update(actor=world["officer"], event=event, initiatives=[])
    assert _linked(event) == {"Kumlas föreningsdialog", "Regionens insats"}
    services.event_update(actor=world["officer"], event=event, details=services.EventDetails.of(event))
    assert _linked(event) == {"Kumlas föreningsdialog", "Regionens insats"}  # initiatives=None: untouched
    logged = [
        e.changes.get("initiatives")
        for e in AuditEntry.objects.filter(content_type__model="event", object_id=str(event.pk)).order_by("pk")
    ]
    label = {k: f"{world[k].title} (#{world[k].pk})" for k in ("orebro", "kumla", "region")}
    assert logged == [
        [[], sorted([label["kumla"], label["region"]])],
        [sorted([label["kumla"], label["region"]]), sorted(label.values())],
        [sorted(label.values()), sorted([label["kumla"], label["region"]])],
        None,
    ]


# The pages ---------------------------------------------------------------------------------------


def test_event_page_lists_its_initiatives_in_one_query(client, world):
    event = world["public"]
    event.initiatives.set([world["orebro"]])
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Insatser som mötet hör till" in html and world["orebro"].get_absolute_url() in html
    assert "Kumlas föreningsdialog" not in html
    with CaptureQueriesContext(connection) as queries:
        Template("{% load meetings_links %}{% event_initiatives event %}").render(Context({"event": event}))
    assert len(queries) == 1
    event.initiatives.clear()
    assert "Insatser som mötet hör till" not in client.get(event.get_absolute_url()).content.decode()


def test_initiative_page_lists_the_meetings_the_visitor_may_see_in_one_query(client, world):
    initiative = world["kumla"]
    world["public"].initiatives.add(initiative)
    world["closed"].initiatives.add(initiative)
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("meetings:event-detail", args=[world["public"].pk]) in html
    assert "Internt planeringsmöte" not in html
    client.force_login(world["officer_kumla"])
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("meetings:event-detail", args=[world["closed"].pk]) in html
    request = RequestFactory().get("/")
    request.user = world["officer_kumla"]
    template = Template("{% load meetings_links %}{% initiative_events initiative %}")
    template.render(Context({"initiative": initiative, "request": request}))  # the user's roles, once per request
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"initiative": initiative, "request": request}))
    assert len(queries) == 1 and "Internt planeringsmöte" in html


def _form_data(page, **changes) -> dict:
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    for key in ("requires_approval", "invitation_only"):
        if not data.get(key):
            data.pop(key, None)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data["priority_areas"] = [a.pk for a in page.context["form"].initial.get("priority_areas", [])]
    data.update(
        starts_at=timezone.localtime(START).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(START + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        is_public="on",
    )
    data.update(changes)
    return data


def test_form_offers_only_the_initiatives_the_user_may_change_and_keeps_the_others(client, world):
    event = world["public"]
    event.initiatives.set([world["kumla"]])
    client.force_login(world["officer"])
    url = reverse("meetings:event-edit", args=[event.pk])
    page = client.get(url)
    assert list(page.context["form"].fields["initiatives"].queryset) == [world["orebro"]]
    refused = client.post(url, _form_data(page, initiatives=[world["kumla"].pk, world["region"].pk]))
    assert refused.status_code == 400 and refused.context["form"].errors["initiatives"]
    saved = client.post(url, _form_data(page, initiatives=[world["orebro"].pk]))
    assert saved.status_code == 302, saved.context["form"].errors
    assert _linked(event) == {"Örebros föreningsdialog", "Kumlas föreningsdialog"}


# The API -----------------------------------------------------------------------------------------


def _api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _event_payload(**fields) -> dict:
    return {
        "title": "Dialogmöte via API",
        "startsAt": START.isoformat(),
        "endsAt": (START + datetime.timedelta(hours=2)).isoformat(),
        "municipality": "1880",
        **fields,
    }


def test_api_registers_an_event_with_its_initiatives(world):
    officer = _api(world["officer"])
    created = officer.post(
        "/api/v1/events", _event_payload(initiativeIds=[world["orebro"].pk]), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["initiativeIds"] == [world["orebro"].pk] and body["isPublic"] is True
    assert created["Location"] == body["url"] and body["url"].endswith(f"/api/v1/events/{body['id']}")
    assert Client().get(body["url"]).json()["initiativeIds"] == [world["orebro"].pk]
    refused = officer.post(
        "/api/v1/events",
        _event_payload(initiativeIds=[world["kumla"].pk, 999999]),
        content_type="application/json",
    )
    assert refused.status_code == 400
    (problem,) = refused.json()["invalidParameters"]
    assert problem["name"] == "initiativeIds" and "999999" in problem["reason"]
    refused = officer.post(
        "/api/v1/events", _event_payload(initiativeIds=[world["kumla"].pk]), content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["invalidParameters"][0]["name"] == "initiativeIds"
    assert Client().post("/api/v1/events", _event_payload(), content_type="application/json").status_code == 401
    rep = _api(world["rep"])
    foreign = rep.post("/api/v1/events", _event_payload(municipality=None), content_type="application/json")
    assert foreign.status_code == 403 and foreign["Content-Type"].startswith("application/problem+json")
    own = rep.post(
        "/api/v1/events",
        _event_payload(municipality=None, organiser=world["own_org"].orgnr),
        content_type="application/json",
    )
    assert own.status_code == 201 and own.json()["organiser"] == world["own_org"].orgnr


def test_api_changes_an_event_and_keeps_the_links_the_caller_may_not_change(world):
    event = world["public"]
    event.initiatives.set([world["kumla"]])
    url = f"/api/v1/events/{event.pk}"
    officer = _api(world["officer"])
    changed = officer.patch(
        url, {"initiativeIds": [world["orebro"].pk], "capacity": 30}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert sorted(changed.json()["initiativeIds"]) == sorted([world["orebro"].pk, world["kumla"].pk])
    assert (changed.json()["capacity"], changed.json()["title"]) == (30, "Öppet dialogmöte")
    cleared = officer.patch(url, {"capacity": None, "initiativeIds": []}, content_type="application/json")
    assert (cleared.json()["capacity"], cleared.json()["initiativeIds"]) == (None, [world["kumla"].pk])
    null_title = officer.patch(url, {"title": None}, content_type="application/json")
    assert null_title.status_code == 400 and null_title.json()["invalidParameters"][0]["name"] == "title"
    bad_mode = officer.patch(url, {"mode": "telepati"}, content_type="application/json")
    assert bad_mode.status_code == 400 and bad_mode.json()["invalidParameters"][0]["name"] == "mode"
    outsider = _api(world["officer_kumla"]).patch(url, {"capacity": 1}, content_type="application/json")
    assert outsider.status_code == 403 and outsider["Content-Type"].startswith("application/problem+json")
    missing = officer.patch("/api/v1/events/999999", {"capacity": 1}, content_type="application/json")
    assert missing.status_code == 404
    event.refresh_from_db()
    assert event.capacity is None


def test_api_event_list_reads_the_links_in_a_fixed_number_of_queries(client, world):
    world["public"].initiatives.set([world["orebro"], world["kumla"]])
    with CaptureQueriesContext(connection) as one:
        rows = client.get("/api/v1/events").json()["items"]
    assert [sorted(r["initiativeIds"]) for r in rows] == [sorted([world["orebro"].pk, world["kumla"].pk])]
    for n in range(3):
        Event.objects.create(title=f"Möte {n}", starts_at=START, ends_at=START).initiatives.set([world["region"]])
    with CaptureQueriesContext(connection) as four:
        rows = client.get("/api/v1/events").json()["items"]
    assert len(rows) == 4 and len(one) == len(four)


# The computed indicator ---------------------------------------------------------------------------


def _register(event, n, status="confirmed"):
    for i in range(n):
        key = f"{event.pk}-{status[:3]}-{i}"
        Registration.objects.create(
            event=event, name=f"Deltagare {i}", email=f"d{key}@example.org", status=status, code=key, cancel_token=key
        )


def test_network_meeting_participants_counts_an_initiatives_own_meetings(world):
    from civsam.plan import computations
    from civsam.plan import services as plan_services
    from civsam.plan.models import IndicatorValue, Plan

    network = Network.objects.create(name="Nätverket", slug="natverket")
    network_meeting = Event.objects.create(title="Nätverksträff", network=network, starts_at=START, ends_at=START)
    _register(network_meeting, 4)
    _register(world["public"], 3)
    _register(world["public"], 2, status="cancelled")
    initiative = world["region"]
    world["public"].initiatives.add(initiative)
    computation = computations.get("network-meeting-participants")
    assert (str(computation.label), str(computation.unit), computation.per_initiative) == (
        "Deltagare i nätverksmöten",
        "antal",
        True,
    )
    assert computation.run(2024).value == 4  # the plan-wide figure: network meetings only
    assert computation.run(2024, initiative_id=initiative.pk).value == 3
    assert computation.run(2025, initiative_id=initiative.pk).value == 0
    indicator = plan_services.indicator_create(
        actor=None,
        plan=Plan.objects.get(slug="2022-2025"),
        code="insatsens-deltagare",
        name_sv="Deltagare i insatsens möten",
        unit="antal",
        initiative=initiative,
        computation="network-meeting-participants",
    )
    plan_services.indicators_recompute(year=2024)
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).value == Decimal(3)
