"""Links from an analysis to the plan's initiatives: services (with the audit log), the form, the
report page, the list export, the API and the initiative page's list of published analyses."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civsam.core.models import AuditEntry
from civsam.impact import services
from civsam.impact.models import SocialValueAnalysis
from civsam.plan.models import Initiative

LIST = "/api/v1/social-value/analyses"
PROBLEM = "application/problem+json"


@pytest.fixture
def initiatives(reference_data):
    from civsam.plan.models import InitiativeStatus, PriorityArea
    from civsam.plan.services import initiative_create

    area = PriorityArea.objects.filter(focus_area__plan__slug="2022-2025").order_by("focus_area__number", "number")[0]
    status = InitiativeStatus.objects.get(code="ongoing")
    return [
        initiative_create(
            actor=None,
            title=title,
            start_date=datetime.date(2023, 1, 1),
            status=status,
            priority_areas=[area],
            lead_name="Region Örebro län",
        )
        for title in ("Läxhjälp", "Språkcafé", "Föreningsskola")
    ]


@pytest.fixture
def hidden(monkeypatch):
    """Make an initiative invisible to everyone (the plan shows all initiatives today; the link must still
    respect visibility when it changes)."""

    def hide(initiative: Initiative) -> None:
        monkeypatch.setattr(
            "civsam.plan.selectors.impact_links.initiatives_visible_to",
            lambda user: Initiative.objects.exclude(pk=initiative.pk),
        )

    return hide


# --- Services --------------------------------------------------------------------------------------


def test_create_links_initiatives_and_logs_them(people, make_analysis, initiatives):
    first, second, _third = initiatives
    analysis = make_analysis(initiatives=[second, first.pk])
    assert list(analysis.initiatives.order_by("title")) == [first, second]
    entry = AuditEntry.objects.filter(object_id=str(analysis.pk), action=AuditEntry.Action.CREATE).latest("id")
    assert entry.changes == {"initiatives": [None, sorted([first.pk, second.pk])]}


def test_update_changes_the_links_and_logs_before_and_after(people, make_analysis, initiatives):
    first, second, third = initiatives
    analysis = make_analysis(initiatives=[first])
    services.analysis_update(actor=people["officer"], analysis=analysis, initiatives=[second, third])
    assert set(analysis.initiatives.all()) == {second, third}
    entry = AuditEntry.objects.filter(object_id=str(analysis.pk), action=AuditEntry.Action.UPDATE).latest("id")
    # model_diff keeps values as text
    assert entry.changes["initiatives"] == [[str(first.pk)], [str(pk) for pk in sorted([second.pk, third.pk])]]


def test_update_without_initiatives_leaves_the_links(people, make_analysis, initiatives):
    analysis = make_analysis(initiatives=[initiatives[0]])
    services.analysis_update(actor=people["officer"], analysis=analysis, title="Ny titel")
    assert list(analysis.initiatives.all()) == [initiatives[0]]
    entry = AuditEntry.objects.filter(object_id=str(analysis.pk), action=AuditEntry.Action.UPDATE).latest("id")
    assert "initiatives" not in entry.changes


@pytest.mark.parametrize("kind", ["unknown", "invisible"])
def test_unknown_or_invisible_initiatives_are_refused(people, make_analysis, initiatives, hidden, kind):
    target = 987654 if kind == "unknown" else initiatives[0].pk
    if kind == "invisible":
        hidden(initiatives[0])
    with pytest.raises(ValidationError) as exc:
        make_analysis(initiatives=[initiatives[1], target])
    assert exc.value.message_dict == {"initiatives": [f"Okända insatser: {target}."]}
    assert not SocialValueAnalysis.objects.exists()


def test_a_link_the_actor_can_no_longer_see_may_stay(people, make_analysis, initiatives, hidden):
    analysis = make_analysis(initiatives=[initiatives[0]])
    hidden(initiatives[0])
    services.analysis_update(actor=people["officer"], analysis=analysis, initiatives=[initiatives[0], initiatives[1]])
    assert set(analysis.initiatives.all()) == {initiatives[0], initiatives[1]}


# --- Form, report page and export ------------------------------------------------------------------


def form_data(people, **extra) -> dict:
    data = {"title": "Språkcafé", "summary": "", "owner": f"m-{people['orebro'].pk}", "owner_orgnr": ""}
    data.update(extra)
    return data


def test_the_form_offers_initiatives_with_labels_and_saves_the_choice(client, people, initiatives, example_map):
    client.force_login(people["officer"])
    page = client.get(reverse("impact:analysis-create")).content.decode()
    assert '<label for="id_initiatives">Insatser i handlingsplanen</label>' in page
    assert 'aria-describedby="id_initiatives_helptext"' in page
    assert "Läxhjälp (Region Örebro län)" in page
    response = client.post(
        reverse("impact:analysis-create"), form_data(people, initiatives=[initiatives[0].pk, initiatives[2].pk])
    )
    assert response.status_code == 302
    analysis = SocialValueAnalysis.objects.get()
    assert set(analysis.initiatives.all()) == {initiatives[0], initiatives[2]}
    edit = client.get(reverse("impact:analysis-edit", args=[analysis.pk])).content.decode()
    assert f'<option value="{initiatives[0].pk}" selected>' in edit
    assert f'<option value="{initiatives[1].pk}">' in edit


def test_the_form_refuses_an_id_that_is_not_offered(client, people, initiatives):
    client.force_login(people["officer"])
    response = client.post(reverse("impact:analysis-create"), form_data(people, initiatives=[987654]))
    assert response.status_code == 200
    assert "initiatives" in response.context["form"].errors
    assert not SocialValueAnalysis.objects.exists()


def test_the_report_links_each_initiative(client, people, make_analysis, initiatives):
    analysis = make_analysis(status="published", initiatives=[initiatives[1]], related_records="IOP 24RS4154")
    page = client.get(analysis.get_absolute_url()).content.decode()
    url = reverse("plan:initiative-detail", args=[initiatives[1].pk])
    assert f'<a href="{url}">Språkcafé</a>' in page
    assert "Kopplade bidrag och IOP" in page and "IOP 24RS4154" in page


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_the_list_export_carries_the_initiatives(client, people, make_analysis, initiatives, fmt):
    make_analysis(status="published", initiatives=[initiatives[0], initiatives[1]])
    response = client.get(reverse("impact:analysis-export", args=[fmt]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "json":
        row = json.loads(content)[0]
        assert row["insats_id"] == [initiatives[0].pk, initiatives[1].pk]
        assert row["insatser_i_planen"] == ["Läxhjälp", "Språkcafé"]
    else:
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content)).active
        header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
        assert row[header.index("insats_id")] == f"{initiatives[0].pk}; {initiatives[1].pk}"
        assert row[header.index("insatser_i_planen")] == "Läxhjälp; Språkcafé"


def test_the_initiative_page_lists_only_published_analyses(client, people, make_analysis, initiatives):
    published = make_analysis(status="published", title="Publicerad analys", initiatives=[initiatives[0]])
    make_analysis(title="Hemligt utkast", initiatives=[initiatives[0]])
    page = client.get(reverse("plan:initiative-detail", args=[initiatives[0].pk])).content.decode()
    assert "Samhällsnyttoanalyser" in page
    assert f'<a href="{published.get_absolute_url()}">Publicerad analys</a>' in page
    assert "Hemligt utkast" not in page
    other = client.get(reverse("plan:initiative-detail", args=[initiatives[1].pk])).content.decode()
    assert "Samhällsnyttoanalyser" not in other


# --- API -------------------------------------------------------------------------------------------


def post(client, body) -> object:
    return client.post(LIST, data=json.dumps(body), content_type="application/json")


def body_for(example_map, **overrides) -> dict:
    return {"title": "Språkcafé i Örebro", "ownerMunicipality": "1880", "impactMap": example_map, **overrides}


def test_api_create_and_read_with_initiatives(client, people, initiatives, example_map):
    client.force_login(people["officer"])
    response = post(client, body_for(example_map, initiatives=[initiatives[1].pk]))
    assert response.status_code == 201, response.content
    expected = [
        {
            "id": initiatives[1].pk,
            "title": "Språkcafé",
            "url": f"http://testserver/api/v1/initiatives/{initiatives[1].pk}",
            "webUrl": f"http://testserver{reverse('plan:initiative-detail', args=[initiatives[1].pk])}",
        }
    ]
    assert response.json()["initiatives"] == expected
    pk = response.json()["id"]
    assert client.get(f"{LIST}/{pk}").json()["initiatives"] == expected
    assert client.get(LIST).json()["items"][0]["initiatives"] == expected
    assert client.get(expected[0]["url"]).status_code == 200


@pytest.mark.parametrize("kind", ["unknown", "invisible"])
def test_api_unknown_or_invisible_initiatives_are_422(client, people, initiatives, example_map, hidden, kind):
    target = 987654 if kind == "unknown" else initiatives[0].pk
    if kind == "invisible":
        hidden(initiatives[0])
    client.force_login(people["officer"])
    response = post(client, body_for(example_map, initiatives=[initiatives[1].pk, target]))
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert problem["invalidParameters"] == [
        {"name": "initiatives", "reason": f"Okända insatser: {target}.", "value": str(target)}
    ]
    assert not SocialValueAnalysis.objects.exists()


def test_api_initiatives_must_be_ids(client, people, initiatives, example_map):
    client.force_login(people["officer"])
    response = post(client, body_for(example_map, initiatives=["Läxhjälp"]))
    assert response.status_code == 400
    # The strict request bodies (civsam.core.apitools.InSchema) name the item of the wrong type by its path.
    [problem] = response.json()["invalidParameters"]
    assert problem["name"] == "initiatives[0]"
    assert "heltal" in problem["reason"]
    assert not SocialValueAnalysis.objects.exists()
