"""Building an impact map on the analysis's page (mapedit, services.builder, views.builder) and the
blank workbook template."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from civsam.core.models import AuditEntry
from civsam.impact import mapedit, services
from civsam.impact.engine import ImpactMapError
from civsam.impact.engine.xlsx import SETTINGS_SHEET, TEMPLATE_SHEET, read_xlsx, write_template
from civsam.impact.models import FinancialProxy

OUTCOME = {"outcome": "Fått arbete", "quantity": 10.0, "proxy": 50000.0, "duration": 2}


def small_map(**extra) -> dict:
    document = mapedit.start(name="Karta", stakeholder="Deltagare", outcome=OUTCOME)
    document.update(extra)
    return document


# --- mapedit, pure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "kind", "expected"),
    [
        ([], "stakeholder", "s1"),
        (["s1", "s2"], "stakeholder", "s3"),
        (["s1", "deltagare", "s7"], "stakeholder", "s8"),
        (["arbete"], "outcome", "u1"),
        (["i2"], "input", "i3"),
    ],
)
def test_new_id_is_the_next_free_number(ids, kind, expected):
    listname = mapedit.KINDS[kind][0]
    assert mapedit.new_id({listname: [{"id": i} for i in ids]}, kind) == expected


def test_put_adds_with_a_new_id_and_replaces_keeping_the_id():
    document = small_map()
    added, index = mapedit.put(document, "stakeholder", {"name": "Kommunen"})
    assert index == 1 and added["stakeholders"][1] == {"name": "Kommunen", "id": "s2"}
    assert len(document["stakeholders"]) == 1  # the original is not changed
    replaced, index = mapedit.put(added, "outcome", {**OUTCOME, "stakeholder": "s2", "quantity": 3.0}, "u1")
    assert index == 0 and replaced["outcomes"][0]["id"] == "u1" and replaced["outcomes"][0]["quantity"] == 3.0
    with pytest.raises(mapedit.MapEditError):
        mapedit.put(document, "outcome", OUTCOME, "u9")


@pytest.mark.parametrize(
    ("managed", "kept"),
    [
        (None, set()),  # no form named: the row is the values
        ({"outcome", "quantity", "indicator"}, {"justifications", "transfer"}),  # what the form does not show stays
        ({"outcome", "quantity", "indicator", "transfer"}, {"justifications"}),  # a shown field left out is cleared
    ],
)
def test_replacing_keeps_what_the_form_does_not_manage(managed, kept):
    document = small_map()
    document["outcomes"][0].update(
        {"justifications": {"deadweight": {"text": "Ingen annan insats i området."}}, "transfer": True}
    )
    values = {"outcome": "Ändrat", "quantity": 4.0, "stakeholder": "s1"}
    changed, _index = mapedit.put(document, "outcome", values, "u1", managed)
    row = changed["outcomes"][0]
    assert row["outcome"] == "Ändrat" and row["id"] == "u1"
    assert {key for key in ("justifications", "transfer") if key in row} == kept


@pytest.mark.parametrize(
    ("kind", "item_id", "message"),
    [
        ("stakeholder", "s1", "Ta bort eller flytta dem först"),  # still named by an outcome
        ("outcome", "u1", "minst ett utfall"),
        ("input", "i1", "finns inte längre"),
        ("plan", "x", "Okänd sorts rad"),
    ],
)
def test_remove_refuses_what_would_leave_a_broken_map(kind, item_id, message):
    with pytest.raises(mapedit.MapEditError, match=message):
        mapedit.remove(small_map(), kind, item_id)


def test_remove_takes_the_rows_distributions_with_it():
    document, _index = mapedit.put(small_map(), "outcome", {**OUTCOME, "stakeholder": "s1"})
    document["distributions"] = [
        {"assumption": "outcomes.u2.deadweight", "type": "uniform", "min": 0, "max": 10},
        {"assumption": "outcomes.u1.deadweight", "type": "uniform", "min": 0, "max": 10},
    ]
    changed = mapedit.remove(document, "outcome", "u2")
    assert [o["id"] for o in changed["outcomes"]] == ["u1"]
    assert [d["assumption"] for d in changed["distributions"]] == ["outcomes.u1.deadweight"]


# --- services ----------------------------------------------------------------------------------------


@pytest.fixture
def draft(people):
    return services.analysis_create(actor=people["officer"], title="Språkcafé", owner_municipality=people["orebro"])


def test_a_map_is_built_row_by_row_and_recomputed(people, draft):
    from civsam.impact.selectors import analysis_results

    officer = people["officer"]
    services.analysis_map_start(actor=officer, analysis=draft, stakeholder="Deltagare", outcome=dict(OUTCOME))
    draft.refresh_from_db()
    first = analysis_results(draft)
    assert first["totalInputs"] == 0 and first["totalPresentValue"] > 0
    services.analysis_map_item_save(actor=officer, analysis=draft, kind="stakeholder", values={"name": "Kommunen"})
    services.analysis_map_item_save(
        actor=officer, analysis=draft, kind="input", values={"stakeholder": "s2", "money": 100000.0}
    )
    draft.refresh_from_db()
    second = analysis_results(draft)
    assert second["totalInputs"] == 100000 and second["sroiRatio"] == pytest.approx(
        second["totalPresentValue"] / 100000, abs=1e-4
    )
    services.analysis_map_item_save(
        actor=officer,
        analysis=draft,
        kind="outcome",
        values={**OUTCOME, "stakeholder": "s1", "quantity": 20.0},
        item_id="u1",
    )
    draft.refresh_from_db()
    assert analysis_results(draft)["totalPresentValue"] == pytest.approx(2 * second["totalPresentValue"])
    services.analysis_map_item_remove(actor=officer, analysis=draft, kind="input", item_id="i1")
    draft.refresh_from_db()
    assert draft.impact_map["inputs"] == []
    notes = list(
        AuditEntry.objects.filter(object_id=str(draft.pk), content_type__model="socialvalueanalysis")
        .order_by("id")
        .values_list("note", flat=True)
    )
    assert notes[1:] == [
        "Effektkartan påbörjad",
        "Intressent s2 sparad",
        "Insats i1 sparad",
        "Utfall u1 sparat",
        "Insats i1 borttagen",
    ]


def test_the_engine_names_the_field_that_is_wrong(people, draft):
    services.analysis_map_start(actor=people["officer"], analysis=draft, stakeholder="Deltagare", outcome=dict(OUTCOME))
    with pytest.raises(ValidationError) as caught:
        services.analysis_map_item_save(
            actor=people["officer"], analysis=draft, kind="outcome", values={**OUTCOME, "stakeholder": "okänd"}
        )
    assert "stakeholder" in caught.value.message_dict
    with pytest.raises(ValidationError, match="Ta bort eller flytta dem först"):
        services.analysis_map_item_remove(actor=people["officer"], analysis=draft, kind="stakeholder", item_id="s1")
    draft.refresh_from_db()
    assert len(draft.impact_map["outcomes"]) == 1  # nothing half-written


def test_only_those_who_may_edit_the_draft_build_its_map(people, draft, make_analysis):
    with pytest.raises(PermissionDenied):
        services.analysis_map_start(actor=people["rep"], analysis=draft, stakeholder="X", outcome=dict(OUTCOME))
    submitted = make_analysis(status="in_review")
    with pytest.raises(ValidationError, match="Bara utkast"):
        services.analysis_map_item_save(
            actor=people["officer"], analysis=submitted, kind="stakeholder", values={"name": "Y"}
        )
    draft.refresh_from_db()
    assert draft.impact_map is None


# --- pages -----------------------------------------------------------------------------------------


def test_the_build_page_starts_adds_picks_a_proxy_and_removes(client, people, draft, reference_data):
    services.proxies_load_starter_set()
    proxy = FinancialProxy.objects.order_by("id").first()
    client.force_login(people["officer"])
    url = reverse("impact:analysis-build", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Börja med den första intressenten" in page.content.decode()

    # Swedish numbers; a missing field is named in Swedish and nothing is stored.
    start = reverse("impact:analysis-build-start", args=[draft.pk])
    data = {"start-stakeholder": "Deltagare", "start-outcome": "Fått arbete", "start-quantity": "3 000,5"}
    refused = client.post(start, {**data, "start-duration": "1", "start-start_year": "1"})
    assert refused.status_code == 400 and "Finansiell proxy, kronor" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.impact_map is None
    client.post(start, {**data, "start-proxy": "1 200", "start-duration": "1", "start-start_year": "1"})
    draft.refresh_from_db()
    assert draft.impact_map["outcomes"][0]["quantity"] == 3000.5 and draft.impact_map["outcomes"][0]["proxy"] == 1200

    # The proxy library at hand: a search, and the chosen proxy's value and source in the form.
    found = client.get(url, {"proxy_q": proxy.name.split()[0]})
    assert proxy.name in found.content.decode()
    picked = client.get(url, {"proxy": proxy.pk})
    form = picked.context["forms"]["outcome"]
    assert form.initial["proxy"] == proxy.value and proxy.source in form.initial["proxy_source"]

    response = client.post(
        reverse("impact:analysis-build-add", args=[draft.pk, "utfall"]),
        {
            "outcome-stakeholder": "s1",
            "outcome-outcome": "Bättre hälsa",
            "outcome-quantity": "5",
            "outcome-proxy": "2 500,50",
            "outcome-duration": "2",
            "outcome-start_year": "1",
            "outcome-deadweight": "10",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.impact_map["outcomes"][1] == {
        "id": "u2",
        "stakeholder": "s1",
        "outcome": "Bättre hälsa",
        "indicator": "",
        "quantity": 5.0,
        "proxy": 2500.5,
        "proxyDescription": "",
        "proxySource": "",
        "duration": 2,
        "startYear": 1,
        "deadweight": 10.0,
        "displacement": 0.0,
        "attribution": 0.0,
        "dropOff": 0.0,
        # Written with their defaults by the map's normalisation (issue #18's fields).
        "output": "",
        "transfer": False,
        "justifications": {},
        "proxyCurrency": "",
    }
    edit = client.get(reverse("impact:analysis-build-item", args=[draft.pk, "utfall", "u2"]))
    assert edit.status_code == 200 and edit.context["form"].initial["outcome"] == "Bättre hälsa"
    client.post(reverse("impact:analysis-build-remove", args=[draft.pk, "utfall", "u2"]))
    refused = client.post(reverse("impact:analysis-build-remove", args=[draft.pk, "utfall", "u1"]), follow=True)
    assert "minst ett utfall" in refused.content.decode()
    draft.refresh_from_db()
    assert [o["id"] for o in draft.impact_map["outcomes"]] == ["u1"]
    assert client.get(reverse("impact:analysis-build-item", args=[draft.pk, "utfall", "u9"])).status_code == 404
    assert client.get(reverse("impact:analysis-build-item", args=[draft.pk, "plan", "u1"])).status_code == 404


def test_the_build_page_is_for_those_who_may_edit(client, people, draft):
    url = reverse("impact:analysis-build", args=[draft.pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(people["rep"])
    assert client.get(url).status_code == 403


# --- the blank workbook ------------------------------------------------------------------------------


def test_the_blank_workbook_is_public_and_in_the_importers_layout(client):
    response = client.get(reverse("impact:map-template"))
    assert response.status_code == 200 and "effektkarta-mall.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == [TEMPLATE_SHEET, SETTINGS_SHEET]
    instructions = list(workbook[TEMPLATE_SHEET].iter_rows(values_only=True))
    assert instructions[0] == ("Blad / Sheet", "Svenska", "English") and len(instructions) > 4
    # Blank, it says what is missing, in Swedish, by sheet.
    with pytest.raises(ImpactMapError) as caught:
        read_xlsx(io.BytesIO(response.content))
    assert any("Fältet krävs" in e.message for e in caught.value.errors)
    # Filled in, it reads like any workbook Civsam writes.
    workbook["Karta"]["B2"] = "Språkcafé"
    workbook["Intressenter"].append(["d", "Deltagare"])
    workbook["Insatser"].append(["i", "d", "Lokal", 20000])
    workbook["Utfall"].append(["a", "d", "Fått arbete", "", 4, "50 000,50", "", "", 2])
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    impact_map, _document = read_xlsx(filled)
    assert impact_map.name == "Språkcafé" and impact_map.outcomes[0].proxy == 50000.5
    assert impact_map.discount_rate == 3.5 and impact_map.inputs[0].money == 20000


def test_write_template_writes_every_table_header():
    buffer = io.BytesIO()
    write_template(buffer)
    workbook = load_workbook(buffer)
    assert next(workbook["Utfall"].iter_rows(values_only=True))[:3] == ("Id", "Intressent", "Utfall")


def test_a_proxy_search_opens_the_outcome_form_with_the_results(client, people, draft, reference_data):
    services.proxies_load_starter_set()
    services.analysis_map_start(actor=people["officer"], analysis=draft, stakeholder="Deltagare", outcome=dict(OUTCOME))
    proxy = FinancialProxy.objects.order_by("id").first()
    client.force_login(people["officer"])
    html = client.get(reverse("impact:analysis-build", args=[draft.pk]), {"proxy_q": proxy.name}).content.decode()
    assert '<details open id="nytt-utfall">' in html
    assert f'href="?proxy={proxy.pk}&amp;proxy_q=' in html
