"""Indicators kept in the browser: the services (permissions, audit log, value history) and the pages
(who may use them, form errors, the status with its rule)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civsam.core.models import AuditEntry
from civsam.core.selectors import history_for
from civsam.plan import services
from civsam.plan.models import Indicator, IndicatorTarget, IndicatorValue, IndicatorValueRevision

DENIED_ROLES = ("officer", "officer_kumla", "rep", "reviewer", "plain")


@pytest.fixture
def indicator(plan):
    return services.indicator_create(
        actor=None,
        plan=plan,
        code="iop",
        name_sv="Antal IOP",
        unit="antal",
        baseline_year=2021,
        baseline_value=Decimal(2),
    )


def _entries(obj, action=None):
    entries = history_for(obj)
    return list(entries.filter(action=action) if action else entries)


# --- Services: permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", DENIED_ROLES)
@pytest.mark.parametrize(
    "write",
    [
        lambda actor, plan, ind: services.indicator_create(actor=actor, plan=plan, code="n", name_sv="N", unit="st"),
        lambda actor, plan, ind: services.indicator_update(actor=actor, indicator=ind, name_sv="Nytt namn"),
        lambda actor, plan, ind: services.indicator_target_set(actor=actor, indicator=ind, year=2024, value=Decimal(5)),
        lambda actor, plan, ind: services.indicator_value_set(actor=actor, indicator=ind, year=2024, value=Decimal(5)),
    ],
    ids=["create", "update", "target", "value"],
)
def test_only_the_coordinator_writes_indicators(users, plan, indicator, role, write):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        write(users[role], plan, indicator)
    assert AuditEntry.objects.count() == before
    indicator.refresh_from_db()
    assert indicator.name_sv == "Antal IOP" and not indicator.targets.exists() and not indicator.values.exists()
    assert not Indicator.objects.filter(code="n").exists()


def test_the_coordinator_creates_and_the_audit_log_says_so(users, plan):
    fa = plan.focus_areas.get(number=2)
    created = services.indicator_create(
        actor=users["admin"],
        plan=plan,
        code="motesplatser",
        name_sv="Mötesplatser",
        unit="antal",
        focus_area=fa,
        direction="lower",
        decimals=1,
        baseline_year=2021,
        baseline_value=Decimal("3.5"),
    )
    assert created.kind == Indicator.Kind.MANUAL and created.focus_area == fa
    (entry,) = _entries(created)
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == users["admin"]
    assert entry.changes["code"] == [None, "motesplatser"]
    assert entry.changes["level"][1].startswith("insatsområde: 2.")
    assert entry.changes["baseline_value"] == [None, "3.5000"]


# --- Services: validation ----------------------------------------------------------------------------


def _other_plan_area(area):
    return area("1.1", "2026-2030")


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"name_sv": "  "}, "name_sv"),
        ({"unit": ""}, "unit"),
        ({"decimals": 5}, "decimals"),
        ({"direction": "sideways"}, "direction"),
        ({"baseline_year": 2021}, "baseline_value"),
        ({"baseline_year": 1800, "baseline_value": Decimal(1)}, "baseline_year"),
        ({"computation": "no-such-thing"}, "computation"),
        ({"code": "iop"}, "code"),
        ({"code": ""}, "code"),
        ("other-plan-focus-area", "focus_area"),
        ("other-plan-priority-area", "priority_area"),
        ("initiative-of-other-plan", "initiative"),
        ("two-levels", "focus_area"),
    ],
)
def test_create_refuses_bad_definitions_per_field(plan, indicator, area, make_initiative, fields, error_field):
    from civsam.plan.models import Plan

    other = Plan.objects.get(slug="2026-2030")
    if fields == "other-plan-focus-area":
        fields = {"focus_area": other.focus_areas.first()}
    elif fields == "other-plan-priority-area":
        fields = {"priority_area": _other_plan_area(area)}
    elif fields == "initiative-of-other-plan":
        fields = {"initiative": make_initiative(areas=(_other_plan_area(area),))}
    elif fields == "two-levels":
        fields = {"focus_area": plan.focus_areas.first(), "priority_area": area("1.1")}
    kwargs = {"code": "ny", "name_sv": "Ny", "unit": "st", **fields}
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(actor=None, plan=plan, **kwargs)
    assert error_field in exc.value.message_dict
    assert Indicator.objects.count() == 1


def test_update_changes_the_definition_and_logs_only_real_changes(users, plan, indicator, make_initiative):
    initiative = make_initiative(areas=("2.1",), title="Föreningsskolan")
    updated = services.indicator_update(
        actor=users["admin"],
        indicator=indicator,
        name_sv="Antal IOP-avtal",
        initiative=initiative,
        baseline_value=Decimal("2.0"),  # the same value as before, written differently
        computation="network-meeting-participants",
    )
    assert updated.kind == Indicator.Kind.COMPUTED and updated.initiative == initiative
    (entry,) = _entries(indicator, AuditEntry.Action.UPDATE)
    assert set(entry.changes) == {"name", "level", "kind", "computation"}
    assert entry.changes["level"] == ["målet", "insats: Föreningsskolan"]
    again = services.indicator_update(actor=users["admin"], indicator=indicator, name_sv="Antal IOP-avtal")
    assert again.changes == {} and len(_entries(indicator, AuditEntry.Action.UPDATE)) == 1
    back = services.indicator_update(actor=users["admin"], indicator=indicator, computation="")
    assert back.kind == Indicator.Kind.MANUAL


def test_update_keeps_the_code_and_refuses_bad_values(plan, indicator):
    with pytest.raises(TypeError):
        services.indicator_update(actor=None, indicator=indicator, code="annan")
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(actor=None, indicator=indicator, baseline_value=None)
    assert "baseline_value" in exc.value.message_dict
    indicator.refresh_from_db()
    assert indicator.baseline_value == 2


# --- Services: targets and the value history -------------------------------------------------------


def test_targets_are_set_changed_and_cleared_with_audit_entries(users, indicator):
    admin = users["admin"]
    services.indicator_target_set(actor=admin, indicator=indicator, year=2024, value=Decimal(10))
    services.indicator_target_set(actor=admin, indicator=indicator, year=2024, value=Decimal(12))
    services.indicator_target_set(actor=admin, indicator=indicator, year=2024, value=None)
    services.indicator_target_set(actor=admin, indicator=indicator, year=2025, value=None)  # nothing to clear
    assert not IndicatorTarget.objects.filter(indicator=indicator).exists()
    changes = [e.changes for e in reversed(_entries(indicator, AuditEntry.Action.UPDATE))]
    assert changes == [
        {"target 2024": [None, "10"]},
        {"target 2024": ["10.0000", "12"]},
        {"target 2024": ["12.0000", None]},
    ]


def test_a_changed_value_keeps_the_earlier_ones(users, indicator):
    admin = users["admin"]
    services.indicator_value_set(actor=None, indicator=indicator, year=2023, value=Decimal(7), source="Enkät")
    services.indicator_value_set(actor=admin, indicator=indicator, year=2023, value=Decimal(9), comment="Rättat")
    _same, changed = services.indicator_value_set(
        actor=admin, indicator=indicator, year=2023, value=Decimal(9), comment="Rättat"
    )
    assert changed is False
    services.indicator_value_set(actor=admin, indicator=indicator, year=2023, value=Decimal(11))
    services.indicator_value_set(actor=admin, indicator=indicator, year=2024, value=Decimal(12))
    current = IndicatorValue.objects.get(indicator=indicator, year=2023)
    assert current.value == 11 and current.recorded_by == admin
    history = [
        (r.year, r.value, r.source, r.comment, r.recorded_by)
        for r in IndicatorValueRevision.objects.filter(indicator=indicator).order_by("id")
    ]
    assert history == [(2023, 7, "Enkät", "", None), (2023, 9, "", "Rättat", admin)]
    assert len(_entries(indicator, AuditEntry.Action.UPDATE)) == 4  # two new values and two replacements


def test_a_computed_value_replaced_by_hand_is_no_longer_marked_computed(users, plan):
    ind = services.indicator_create(
        actor=None, plan=plan, code="c", name_sv="C", unit="st", computation="ongoing-initiatives"
    )
    services.indicator_value_set(actor=None, indicator=ind, year=2024, value=Decimal(3), is_computed=True)
    ind = services.indicator_update(actor=users["admin"], indicator=ind, computation="")
    services.indicator_value_set(actor=users["admin"], indicator=ind, year=2024, value=Decimal(4))
    assert IndicatorValue.objects.get(indicator=ind).is_computed is False
    assert IndicatorValueRevision.objects.get(indicator=ind).is_computed is True


# --- Pages ---------------------------------------------------------------------------------------------


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


# --- Removing a yearly value entered by mistake ---------------------------------------------------


def test_a_removed_value_stays_in_the_history_and_the_audit_log(users, indicator):
    services.indicator_value_set(actor=users["admin"], indicator=indicator, year=2024, value=Decimal(5), source="Enkät")
    assert services.indicator_value_clear(actor=users["admin"], indicator=indicator, year=2024) is True
    assert not IndicatorValue.objects.filter(indicator=indicator, year=2024).exists()
    kept = IndicatorValueRevision.objects.get(indicator=indicator, year=2024)
    assert (kept.value, kept.source) == (Decimal(5), "Enkät")
    entry = _entries(indicator, AuditEntry.Action.UPDATE)[0]
    assert entry.changes["2024 value"] == ["5.0000", None] and entry.actor == users["admin"]
    # Nothing to remove: no revision, no audit entry.
    before = AuditEntry.objects.count()
    assert services.indicator_value_clear(actor=users["admin"], indicator=indicator, year=2024) is False
    assert AuditEntry.objects.count() == before and IndicatorValueRevision.objects.count() == 1


@pytest.mark.parametrize("role", DENIED_ROLES)
def test_only_the_coordinator_removes_values(users, indicator, role):
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(5))
    with pytest.raises(PermissionDenied):
        services.indicator_value_clear(actor=users[role], indicator=indicator, year=2024)
    assert IndicatorValue.objects.filter(indicator=indicator, year=2024).exists()


def test_computed_values_are_not_removed_by_hand(plan):
    computed = services.indicator_create(
        actor=None, plan=plan, code="ber", name_sv="Beräknad", unit="antal", computation="social-enterprises"
    )
    with pytest.raises(ValidationError):
        services.indicator_value_clear(actor=None, indicator=computed, year=2024)


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


# --- Removing an indicator ---------------------------------------------------------------------------


def test_a_removed_indicator_leaves_its_definition_and_values_in_the_audit_log(users, indicator):
    services.indicator_target_set(actor=None, indicator=indicator, year=2025, value=Decimal(10))
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(5))
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(6))  # one revision
    pk = indicator.pk
    services.indicator_delete(actor=users["admin"], indicator=indicator)
    assert not Indicator.objects.filter(pk=pk).exists()
    assert not IndicatorValue.objects.filter(indicator_id=pk).exists()
    assert not IndicatorTarget.objects.filter(indicator_id=pk).exists()
    assert not IndicatorValueRevision.objects.filter(indicator_id=pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, object_id=str(pk))
    assert entry.actor == users["admin"] and entry.note == "iop"
    assert entry.changes["values"] == [{"2024": "6.0000"}, None]
    assert entry.changes["targets"] == [{"2025": "10.0000"}, None]
    assert entry.changes["unit"] == ["antal", None]


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
