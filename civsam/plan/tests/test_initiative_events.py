"""Initiatives linked to meetings (meetings.Event) as records: service, pages, API, export/import,
and the computed indicator that counts the participants of an initiative's meetings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civsam.core.models import AuditEntry, Municipality
from civsam.meetings.models import Event, Registration
from civsam.plan import imports, services
from civsam.plan.computations import COMPUTATIONS
from civsam.plan.forms import InitiativeForm
from civsam.plan.models import IndicatorValue, Initiative


@pytest.fixture
def events(reference_data):
    """A public meeting, and a closed one of Kumla (seen by the Region and Kumla's officers only)."""
    start = timezone.make_aware(datetime.datetime(2024, 5, 6, 18))

    def make(title, **fields):
        return Event.objects.create(title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=2), **fields)

    return {
        "public": make("Öppet dialogmöte"),
        "closed": make("Internt planeringsmöte", is_public=False, municipality=Municipality.objects.get(code="1881")),
    }


def test_create_links_visible_events_and_refuses_hidden_ones(users, make_initiative, events):
    initiative = make_initiative(actor=users["admin"], events=[events["public"], events["closed"]])
    assert set(initiative.events.all()) == {events["public"], events["closed"]}
    with pytest.raises(ValidationError) as exc:
        make_initiative(
            actor=users["officer"],
            lead_municipality=Municipality.objects.get(code="1880"),
            events=[events["closed"]],
        )
    assert "möten som du kan se" in str(exc.value)
    assert Initiative.objects.count() == 1


def test_update_keeps_links_the_actor_cannot_see_and_logs_no_hidden_title(users, make_initiative, events):
    orebro = Municipality.objects.get(code="1880")
    initiative = make_initiative(actor=users["admin"], lead_municipality=orebro, events=[events["closed"]])
    # The Örebro officer adds the public meeting; the closed Kumla meeting is hidden to them and stays.
    services.initiative_update(actor=users["officer"], initiative=initiative, events=[events["public"]])
    assert set(initiative.events.all()) == {events["public"], events["closed"]}
    services.initiative_update(actor=users["officer"], initiative=initiative, events=[])
    assert list(initiative.events.all()) == [events["closed"]]
    logged = [
        e.changes
        for e in AuditEntry.objects.filter(content_type__model="initiative", object_id=str(initiative.pk)).order_by(
            "pk"
        )
    ]
    assert logged[0]["events"] == [None, [f"#{events['closed'].pk}"]]
    assert "Internt planeringsmöte" not in str(logged)
    assert sorted(logged[1]["events"][1]) == sorted(["Öppet dialogmöte", f"#{events['closed'].pk}"])


def test_initiative_page_links_the_meetings_the_visitor_may_see(client, users, make_initiative, events):
    initiative = make_initiative(actor=users["admin"], events=[events["public"], events["closed"]])
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("meetings:event-detail", args=[events["public"].pk]) in html
    assert "Internt planeringsmöte" not in html
    client.force_login(users["officer_kumla"])
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("meetings:event-detail", args=[events["closed"].pk]) in html


def test_event_page_lists_its_initiatives(client, make_initiative, events):
    linked = make_initiative(title="Föreningsdialog i länet", events=[events["public"]])
    make_initiative(title="Annan insats")
    url = reverse("meetings:event-detail", args=[events["public"].pk])
    html = client.get(url).content.decode()
    assert "Insatser som mötet hör till" in html and linked.get_absolute_url() in html
    assert "Annan insats" not in html
    bare = client.get(reverse("meetings:event-detail", args=[events["closed"].pk]))
    assert bare.status_code == 404  # closed to the anonymous visitor, as before
    linked.events.clear()
    assert "Insatser som mötet hör till" not in client.get(url).content.decode()


def _edit_data(initiative, **changes):
    data = {k: v for k, v in InitiativeForm.initial_for(initiative).items() if v is not None}
    data.update({"start_date": "2023-01-01", "priority_areas": [a.pk for a in data["priority_areas"]]})
    for name in ("partner_organisations", "principles", "roles", "municipalities"):
        data[name] = [obj.pk for obj in data[name]]
    for prefix in ("milestones", "funding", "outputs", "links"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return data


def test_form_offers_only_visible_events_and_saves_the_choice(client, users, make_initiative, events):
    orebro = Municipality.objects.get(code="1880")
    initiative = make_initiative(actor=users["admin"], lead_municipality=orebro)
    client.force_login(users["officer"])
    url = reverse("plan:initiative-edit", args=[initiative.pk])
    choices = client.get(url).context["form"].fields["events"].queryset
    assert list(choices) == [events["public"]]
    refused = client.post(url, _edit_data(initiative, events=[events["closed"].pk]))
    assert refused.status_code == 200 and refused.context["form"].errors["events"]
    response = client.post(url, _edit_data(initiative, events=[events["public"].pk]))
    assert response.status_code == 302, response.context["form"].errors
    assert list(initiative.events.all()) == [events["public"]]


def test_api_shows_and_sets_event_ids(client, users, make_initiative, events):
    from civsam.plan.tests.test_followup_api import _payload

    initiative = make_initiative(actor=users["admin"], events=[events["public"], events["closed"]])
    body = client.get(f"/api/v1/initiatives/{initiative.pk}").json()
    assert body["eventIds"] == [events["public"].pk]
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/initiatives")
    make_initiative(events=[events["public"]])
    with CaptureQueriesContext(connection) as two:
        rows = client.get("/api/v1/initiatives").json()["items"]
    assert len(one) == len(two) and [r["eventIds"] for r in rows] == [[events["public"].pk]] * 2
    officer = Client()
    officer.force_login(users["officer"])
    hidden = officer.post(
        "/api/v1/initiatives",
        _payload(leadMunicipalityCode="1880", eventIds=[events["closed"].pk, 999999]),
        content_type="application/json",
    )
    assert hidden.status_code == 400
    problem = hidden.json()["invalidParameters"]
    assert problem[0]["name"] == "eventIds" and str(events["closed"].pk) in problem[0]["reason"]
    created = officer.post(
        "/api/v1/initiatives",
        _payload(leadMunicipalityCode="1880", eventIds=[events["public"].pk]),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["eventIds"] == [events["public"].pk]
    assert list(Initiative.objects.get(pk=created.json()["id"]).events.all()) == [events["public"]]


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_export_lists_visible_event_ids_and_imports_back(client, users, make_initiative, plan, events):
    initiative = make_initiative(ref="m-1", actor=users["admin"], events=[events["public"], events["closed"]])
    export_url = reverse("plan:followup-export", args=[plan.slug, "csv"])
    public_csv = _csv(client.get(export_url))
    assert "event_ids" in public_csv.splitlines()[0]
    assert (
        f",{events['public'].pk}," in public_csv and f"{events['public'].pk}; {events['closed'].pk}" not in public_csv
    )
    client.force_login(users["admin"])
    admin_csv = _csv(client.get(export_url))
    assert f"{events['public'].pk}; {events['closed'].pk}" in admin_csv
    result = imports.initiatives_import(actor=users["admin"], file_name="i.csv", data=admin_csv.encode())
    assert (result.ok, result.unchanged) == (True, 1), result.errors
    cleared = admin_csv.replace(f"{events['public'].pk}; {events['closed'].pk}", str(events["public"].pk))
    result = imports.initiatives_import(actor=users["admin"], file_name="i.csv", data=cleared.encode())
    assert (result.ok, result.updated) == (True, 1), result.errors
    assert list(initiative.events.all()) == [events["public"]]
    bad = admin_csv.replace(f"{events['public'].pk}; {events['closed'].pk}", "999999; x")
    result = imports.initiatives_import(actor=users["admin"], file_name="i.csv", data=bad.encode())
    assert not result.ok and "heltal" in result.errors[0][1]
    assert list(initiative.events.all()) == [events["public"]]


def _register(event, n, status="confirmed"):
    for i in range(n):
        key = f"{event.pk}-{status[:3]}-{i}"
        Registration.objects.create(
            event=event, name=f"Deltagare {i}", email=f"d{key}@example.org", status=status, code=key, cancel_token=key
        )


def test_network_meeting_participants_counts_an_initiatives_own_meetings(plan, make_initiative, events):
    from civsam.meetings.models import Network

    network = Network.objects.create(name="Nätverket", slug="natverket")
    network_meeting = Event.objects.create(
        title="Nätverksträff", network=network, starts_at=events["public"].starts_at, ends_at=events["public"].ends_at
    )
    _register(network_meeting, 4)
    _register(events["public"], 3)
    _register(events["public"], 2, status="cancelled")
    initiative = make_initiative(events=[events["public"]])
    computation = COMPUTATIONS["network-meeting-participants"]
    assert computation.compute(2024).value == 4  # the plan-wide figure: network meetings only
    assert computation.compute(2024, initiative_id=initiative.pk).value == 3
    assert computation.compute(2025, initiative_id=initiative.pk).value == 0
    indicator = services.indicator_create(
        actor=None,
        plan=plan,
        code="insatsens-deltagare",
        name_sv="Deltagare i insatsens möten",
        unit="antal",
        initiative=initiative,
        computation="network-meeting-participants",
    )
    services.indicators_recompute(year=2024)
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).value == Decimal(3)
