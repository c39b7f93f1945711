"""Indicator management on the pages: who sees the forms, creating and editing an indicator, targets
and values with their history, removing values and indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civsam.core.models import AuditEntry
from civsam.core.selectors import history_for
from civsam.plan import services
from civsam.plan.models import Indicator

from .test_indicator_management import _other_plan_area

DENIED_ROLES = ("officer", "officer_kumla", "rep", "reviewer", "plain")


def _entries(obj, action=None):
    entries = history_for(obj)
    return list(entries.filter(action=action) if action else entries)


@pytest.mark.parametrize(("role", "expected"), [("admin", 200), *((r, 403) for r in DENIED_ROLES)])
def test_who_may_open_the_create_and_edit_pages(client, users, plan, indicator, role, expected):
    client.force_login(users[role])
    assert client.get(reverse("plan:indicator-create", args=[plan.slug])).status_code == expected
    assert client.get(reverse("plan:indicator-edit", args=[indicator.code])).status_code == expected
    posted = client.post(reverse("plan:indicator-edit", args=[indicator.code]), {"name_sv": "X"})
    assert posted.status_code == expected
    value = client.post(indicator.get_absolute_url(), {"form": "value", "value-year": "2023", "value-value": "1"})
    assert value.status_code == (302 if role == "admin" else 403)


def test_anonymous_visitors_are_sent_to_log_in(client, plan, indicator):
    response = client.get(reverse("plan:indicator-create", args=[plan.slug]))
    assert response.status_code == 302 and "next=" in response["Location"]
    assert client.post(indicator.get_absolute_url(), {"form": "target"}).status_code == 403


@pytest.mark.parametrize("role", ["admin", "officer", "anonymous"])
def test_links_to_the_forms_only_for_the_coordinator(client, users, plan, indicator, role):
    if users[role]:
        client.force_login(users[role])
    listing = client.get(reverse("plan:indicator-list", args=[plan.slug])).content.decode()
    detail = client.get(indicator.get_absolute_url()).content.decode()
    create_url = reverse("plan:indicator-create", args=[plan.slug])
    edit_url = reverse("plan:indicator-edit", args=[indicator.code])
    allowed = role == "admin"
    assert (create_url in listing) is allowed and (edit_url in listing) is allowed
    assert (edit_url in detail) is allowed
    assert ("Sätt målvärde" in detail) is allowed and ("För in utfall" in detail) is allowed


def _form_data(**overrides):
    data = {
        "code": "ideella-timmar",
        "name_sv": "Ideella timmar",
        "name_en": "Volunteer hours",
        "level": "plan",
        "unit": "timmar",
        "direction": "higher",
        "decimals": "0",
        "baseline_year": "2021",
        "baseline_value": "1200",
        "kind": "manual",
        "computation": "",
    }
    data.update(overrides)
    return data


def test_the_coordinator_creates_an_indicator_on_a_priority_area(client, users, plan, area):
    client.force_login(users["admin"])
    pa = area("2.2")
    response = client.post(reverse("plan:indicator-create", args=[plan.slug]), _form_data(level=f"pa-{pa.pk}"))
    created = Indicator.objects.get(code="ideella-timmar")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.priority_area == pa and created.plan == plan and created.baseline_value == 1200
    assert _entries(created)[0].actor == users["admin"]
    page = client.get(created.get_absolute_url()).content.decode()
    assert "Indikatorn är skapad" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name_sv": ""}, "name_sv", "Detta fält måste fyllas i."),
        ({"code": "Ideella timmar"}, "code", "Koden får bara innehålla"),
        ({"code": "iop"}, "code", "används redan"),
        ({"kind": "computed"}, "computation", "Välj vilken beräkning"),
        ({"baseline_value": ""}, "baseline_value", "Ange basvärdet för basåret"),
        ({"baseline_year": ""}, "baseline_year", "Ange vilket år basvärdet gäller"),
        ({"decimals": "7"}, "decimals", "mindre än eller lika med 4"),
        ({"baseline_value": "många"}, "baseline_value", "Fyll i ett tal."),
        ({"level": "pa-999999"}, "level", "Välj ett giltigt alternativ"),
    ],
)
def test_create_form_errors_are_swedish_and_tied_to_their_field(
    client, users, plan, indicator, overrides, field, message
):
    client.force_login(users["admin"])
    response = client.post(reverse("plan:indicator-create", args=[plan.slug]), _form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page and f'href="#id_{field}' in page
    assert f'id="id_{field}_error"' in page and message in page
    assert 'aria-invalid="true"' in page
    assert Indicator.objects.count() == 1


def test_service_errors_land_on_the_level_field(client, users, plan, make_initiative, area, monkeypatch):
    """The form offers the initiatives serving the plan; should it offer another (a list gone stale), the
    service's refusal is shown at the level field."""
    from civsam.plan import selectors
    from civsam.plan.models import Initiative

    client.force_login(users["admin"])
    serving = make_initiative(areas=("1.1",), title="Tjänar planen")
    foreign = make_initiative(areas=(_other_plan_area(area),), title="Annan plan")
    url = reverse("plan:indicator-create", args=[plan.slug])
    form_page = client.get(url).content.decode()
    assert f'value="in-{serving.pk}"' in form_page and f'value="in-{foreign.pk}"' not in form_page
    monkeypatch.setattr(selectors, "initiatives_serving_plan", lambda plan: Initiative.objects.all())
    response = client.post(url, _form_data(level=f"in-{foreign.pk}"))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_level_error"' in page
    assert "Insatsen bidrar inte till något aktivitetsområde i den här planen." in page
    assert not Indicator.objects.exists()


def test_the_coordinator_edits_an_indicator(client, users, plan, indicator):
    client.force_login(users["admin"])
    url = reverse("plan:indicator-edit", args=[indicator.code])
    form_page = client.get(url).content.decode()
    assert 'value="Antal IOP"' in form_page and 'value="2"' in form_page and 'name="code"' not in form_page
    data = _form_data(name_sv="Antal IOP-avtal", direction="lower", decimals="1")
    del data["code"]
    response = client.post(url, data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name_sv == "Antal IOP-avtal" and indicator.direction == "lower" and indicator.decimals == 1
    assert indicator.baseline_value == 1200 and indicator.code == "iop"
    assert _entries(indicator, AuditEntry.Action.UPDATE)[0].actor == users["admin"]
    bad = client.post(url, {**data, "kind": "computed"})
    assert bad.status_code == 200 and 'id="id_computation_error"' in bad.content.decode()


def test_targets_and_values_on_the_page_with_history_and_status(client, users, indicator):
    client.force_login(users["admin"])
    url = indicator.get_absolute_url()
    client.post(url, {"form": "target", "target-year": "2024", "target-value": "10"})
    client.post(url, {"form": "target", "target-year": "2025", "target-value": "12"})
    client.post(url, {"form": "value", "value-year": "2024", "value-value": "5", "value-source": "Enkät 2024"})
    client.post(url, {"form": "value", "value-year": "2024", "value-value": "7", "value-comment": "Sena svar"})
    page = client.get(url).content.decode()
    assert "Risk för att inte nå målet" in page  # (7 - 2) / (10 - 2) = 62.5 %
    assert "har kommit 62 procent av sträckan från basvärdet 2 till målvärdet 10" in page
    assert "90 procent" in page  # the rule, next to the status
    history = page.split('id="h-value-history"')[1].split("</section>")[0]
    assert "Enkät 2024" in history and ">5<" in history.replace(" ", "")
    assert "Ta bort målet för 2025" in page
    removed = client.post(url, {"form": "target", "target-year": "2025", "target-value": ""}, follow=True)
    assert "Målvärdet för 2025 är borttaget." in removed.content.decode()
    assert list(indicator.targets.values_list("year", flat=True)) == [2024]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"form": "value", "value-year": "1800", "value-value": "1"}, "value-year", "större än eller lika med 1990"),
        ({"form": "value", "value-year": "2024", "value-value": "tio"}, "value-value", "Fyll i ett tal."),
        ({"form": "value", "value-year": "", "value-value": "3"}, "value-year", "Detta fält måste fyllas i."),
        ({"form": "target", "target-year": "år", "target-value": "3"}, "target-year", "Fyll i ett heltal."),
    ],
)
def test_value_and_target_errors_are_shown_at_their_field(client, users, indicator, data, field, message):
    client.force_login(users["admin"])
    response = client.post(indicator.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 200 and f'id="id_{field}_error"' in page and message in page
    assert f'href="#id_{field}"' in page
    assert not indicator.values.exists() and not indicator.targets.exists()


def test_computed_indicators_take_targets_but_no_typed_values(client, users, plan):
    ind = services.indicator_create(
        actor=None, plan=plan, code="c", name_sv="C", unit="st", computation="ongoing-initiatives"
    )
    client.force_login(users["admin"])
    page = client.get(ind.get_absolute_url()).content.decode()
    assert "Sätt målvärde" in page and 'name="value-value"' not in page
    response = client.post(ind.get_absolute_url(), {"form": "value", "value-year": "2024", "value-value": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert "Värdena för en beräknad indikator räknas fram av Civsam." in page
    assert not ind.values.exists()


def test_the_pages_are_translated_to_english(client, users, plan, indicator, settings):
    client.force_login(users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form_page = client.get(reverse("plan:indicator-create", args=[plan.slug])).content.decode()
    assert "New indicator" in form_page and "Baseline year" in form_page and "Belongs to" in form_page
    client.post(indicator.get_absolute_url(), {"form": "value", "value-year": "2023", "value-value": "4"})
    client.post(indicator.get_absolute_url(), {"form": "value", "value-year": "2023", "value-value": "5"})
    detail = client.get(indicator.get_absolute_url()).content.decode()
    assert "Value history" in detail and "Edit the indicator" in detail and "Earlier value" in detail
    error = client.post(reverse("plan:indicator-create", args=[plan.slug]), _form_data(kind="computed"))
    assert "Choose the computation that gives the indicator its values." in error.content.decode()


def test_the_page_removes_a_value_with_its_row_button(client, users, indicator):
    url = indicator.get_absolute_url()
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(5))
    client.force_login(users["officer"])
    assert client.post(url, {"form": "value-clear", "year": "2024"}).status_code == 403
    client.force_login(users["admin"])
    page = client.get(url).content.decode()
    assert "Ta bort utfallet för 2024" in page
    done = client.post(url, {"form": "value-clear", "year": "2024"}, follow=True).content.decode()
    assert "Utfallet för 2024 är borttaget." in done
    assert not indicator.values.exists()
    bad = client.post(url, {"form": "value-clear", "year": "något"}, follow=True).content.decode()
    assert "Utfallet kunde inte tas bort" in bad


@pytest.mark.parametrize("role", DENIED_ROLES)
def test_only_the_coordinator_removes_an_indicator(client, users, indicator, role):
    with pytest.raises(PermissionDenied):
        services.indicator_delete(actor=users[role], indicator=indicator)
    client.force_login(users[role])
    url = reverse("plan:indicator-delete", args=[indicator.code])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_page_asks_before_it_removes(client, users, indicator):
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(5))
    client.force_login(users["admin"])
    detail = client.get(indicator.get_absolute_url()).content.decode()
    url = reverse("plan:indicator-delete", args=[indicator.code])
    assert url in detail
    confirm = client.get(url).content.decode()
    assert "Ta bort indikatorn ”Antal IOP”?" in confirm and "1 utfall och 0 målvärden" in confirm
    assert Indicator.objects.filter(pk=indicator.pk).exists()  # a GET removes nothing
    done = client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("plan:indicator-list", args=[indicator.plan.slug])
    assert "Indikatorn ”Antal IOP” är borttagen." in done.content.decode()
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert client.get(url).status_code == 404
