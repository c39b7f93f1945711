"""The short initiative form (issue #14): an association's representative registers an initiative
on one page; the organisation is pre-filled, only the plan in force is offered, nothing is written
on bad input, and only organisations the user acts for can be named (ADR 0093)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from civsam.core.models import Municipality
from civsam.plan.models import Initiative, PriorityArea

pytestmark = pytest.mark.django_db

URL = reverse("plan:initiative-register")


def _area(plan_slug="2022-2025", index=0) -> PriorityArea:
    return PriorityArea.objects.filter(focus_area__plan__slug=plan_slug).order_by("focus_area__number", "number")[index]


def _data(users, **overrides):
    data = {
        "title": "Läxhjälp i Vivalla",
        "lead_organisation": users["own_org"].pk,
        "municipality": Municipality.objects.get(code="1880").pk,
        "priority_area": _area().pk,
        "description": "Läxhjälp två kvällar i veckan för barn i årskurs 4–9.",
        "start_date": "2024-02-01",
        "end_date": "",
    }
    data.update(overrides)
    return data


def test_the_page_prefills_the_organisation_and_offers_the_plan_in_force_only(client, users, reference_data):
    client.force_login(users["rep"])
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["lead_organisation"] == users["own_org"].pk
    assert form.initial["municipality"] == users["own_org"].municipality_id
    plans = {area.focus_area.plan.slug for area in form.fields["priority_area"].queryset}
    assert plans == {"2022-2025"}
    html = response.content.decode()
    assert "Vill du fylla i alla uppgifter nu?" in html and reverse("plan:initiative-create") in html


@pytest.mark.parametrize(
    ("start", "status"),
    [("2024-02-01", "ongoing"), ((datetime.date.today() + datetime.timedelta(days=30)).isoformat(), "planned")],
)
def test_a_representative_registers_an_initiative_in_one_step(client, users, reference_data, start, status):
    client.force_login(users["rep"])
    response = client.post(URL, _data(users, start_date=start, end_date="2099-06-30"))
    initiative = Initiative.objects.get(title="Läxhjälp i Vivalla")
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert initiative.lead_organisation == users["own_org"]
    assert [m.code for m in initiative.municipalities.all()] == ["1880"]
    assert list(initiative.priority_areas.all()) == [_area()]
    assert initiative.status.code == status
    assert initiative.start_date.isoformat() == start and initiative.end_date == datetime.date(2099, 6, 30)
    assert initiative.description.startswith("Läxhjälp två kvällar")
    page = client.get(response["Location"]).content.decode()
    assert "Insatsen är registrerad." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Detta fält måste fyllas i."),
        ({"description": ""}, "description", "Detta fält måste fyllas i."),
        ({"start_date": "1 februari"}, "start_date", "Fyll i ett giltigt datum."),
        (
            {"start_date": "2024-02-01", "end_date": "2024-01-01"},
            "end_date",
            "Slutdatumet kan inte vara före startdatumet.",
        ),
        ({"priority_area": ""}, "priority_area", "Detta fält måste fyllas i."),
        ({"description": "x" * 1001}, "description", "som mest 1000 tecken"),
    ],
)
def test_bad_input_gets_a_swedish_error_and_nothing_is_written(
    client, users, reference_data, overrides, field, message
):
    client.force_login(users["rep"])
    response = client.post(URL, _data(users, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not Initiative.objects.exists()


def test_an_organisation_the_user_does_not_act_for_cannot_be_named(client, users, reference_data):
    client.force_login(users["rep"])
    response = client.post(URL, _data(users, lead_organisation=users["other_org"].pk))
    assert response.status_code == 400 and "lead_organisation" in response.context["form"].errors
    assert not Initiative.objects.exists()


def test_an_area_of_another_version_of_the_plan_is_kept_when_asked_for(client, users, reference_data):
    other = _area("2026-2030", 1)
    client.force_login(users["rep"])
    form = client.get(f"{URL}?aktivitetsomrade={other.pk}").context["form"]
    assert form.initial["priority_area"] == other.pk
    assert other in form.fields["priority_area"].queryset
    response = client.post(f"{URL}?aktivitetsomrade={other.pk}", _data(users, priority_area=other.pk))
    assert response.status_code == 302
    assert list(Initiative.objects.get().priority_areas.all()) == [other]


@pytest.mark.parametrize(("who", "status"), [("plain", 403), ("reviewer", 403), ("officer", 200), ("admin", 200)])
def test_who_may_open_the_page(client, users, reference_data, who, status):
    client.force_login(users[who])
    assert client.get(URL).status_code == status


def test_anonymous_visitors_are_asked_to_log_in(client, reference_data):
    response = client.get(URL)
    assert response.status_code == 302 and "logga-in" in response["Location"]
