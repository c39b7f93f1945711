"""Assessed consequences for the environment, children and gender equality on initiatives (ADR 0123):
service, form, page, API and export."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civsam.core.models import AuditEntry, Consequence
from civsam.plan import services
from civsam.plan.imports import initiatives_import
from civsam.plan.models import Initiative

pytestmark = pytest.mark.django_db

ASSESSED = {
    "environment_assessment": "positive",
    "environment_note": "Samåkning till träffarna.",
    "children_assessment": "neutral",
    "children_note": "",
    "gender_assessment": "negative",
    "gender_note": "Nästan bara män i styrelserna.",
}


def test_a_new_initiative_is_not_assessed_until_someone_assesses_it(make_initiative):
    initiative = make_initiative()
    assert [c["assessment"] for c in initiative.consequences] == ["not_assessed"] * 3
    assert initiative.consequences_assessed is False


def test_assessments_are_stored_logged_and_partly_changed(make_initiative):
    initiative = make_initiative(consequences=ASSESSED)
    assert (initiative.environment_assessment, initiative.gender_note) == ("positive", "Nästan bara män i styrelserna.")
    assert initiative.consequences_assessed is True
    updated = services.initiative_update(
        actor=None, initiative=initiative, consequences={"children_assessment": "positive"}
    )
    assert (updated.children_assessment, updated.environment_assessment) == ("positive", "positive")
    entry = AuditEntry.objects.filter(object_id=str(initiative.pk), action=AuditEntry.Action.UPDATE).get()
    assert entry.changes["children_assessment"] == ["neutral", "positive"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"environment_assessment": "excellent"}, "environment_assessment"),
        ({"children_note": "x" * 1001}, "children_note"),
    ],
)
def test_a_bad_assessment_is_refused_in_swedish_and_nothing_is_written(make_initiative, values, field):
    with pytest.raises(ValidationError) as info:
        make_initiative(consequences=values)
    assert field in info.value.error_dict
    assert Initiative.objects.count() == 0


def test_the_form_keeps_the_advanced_part_folded_and_saves_it(client, users, reference_data, area, status):
    client.force_login(users["admin"])
    page = client.get(reverse("plan:initiative-create")).content.decode()
    folded = page.split('<details class="form-advanced"', 1)
    assert len(folded) == 2 and "Konsekvenser för barn" in folded[1] and "Konsekvenser för barn" not in folded[0]
    data = {
        "title": "Läxhjälp i Vivalla",
        "start_date": "2024-01-01",
        "status": status("ongoing").pk,
        "priority_areas": [area("1.1").pk],
        "weight": "1",
        "lead_name": "Region Örebro län",
        **ASSESSED,
    }
    for prefix in ("milestones", "outputs", "links", "funding"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = client.post(reverse("plan:initiative-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get(title="Läxhjälp i Vivalla")
    assert initiative.gender_assessment == Consequence.NEGATIVE
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert "Nästan bara män i styrelserna." in detail and "Negativ" in detail


def test_the_api_shows_and_changes_the_assessments(client, users, make_initiative):
    initiative = make_initiative(consequences=ASSESSED)
    body = client.get(f"/api/v1/initiatives/{initiative.pk}").json()
    assert body["consequences"]["gender"] == {"assessment": "negative", "note": "Nästan bara män i styrelserna."}
    client.force_login(users["admin"])
    response = client.patch(
        f"/api/v1/initiatives/{initiative.pk}",
        {"consequences": {"children": {"assessment": "positive", "note": "Barn deltar i planeringen."}}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # PATCH with consequences replaces all three: those left out are not assessed.
    assert response.json()["consequences"]["children"]["note"] == "Barn deltar i planeringen."
    assert response.json()["consequences"]["environment"]["assessment"] == "not_assessed"
    bad = client.patch(
        f"/api/v1/initiatives/{initiative.pk}",
        {"consequences": {"children": {"assessment": "great"}}},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_the_export_has_the_assessments_and_the_import_ignores_them(client, make_initiative, plan):
    make_initiative(consequences=ASSESSED, title="Exporterad", ref="exporterad")
    response = client.get(reverse("plan:followup-export", args=[plan.slug, "csv"]))
    data = b"".join(response.streaming_content)
    text = data.decode("utf-8-sig")
    header, row = text.splitlines()[0], next(line for line in text.splitlines() if "Exporterad" in line)
    assert "gender_assessment" in header and "frame_tags" in header
    assert ",negative," in row and "Samåkning" in row
    result = initiatives_import(actor=None, file_name="insatser.csv", data=data)
    assert result.ok, result.errors
    assert Initiative.objects.get(title="Exporterad").gender_assessment == "negative"
