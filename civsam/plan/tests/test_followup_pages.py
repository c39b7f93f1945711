"""The public follow-up pages, exports and imports."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from civsam.core.models import AuditEntry
from civsam.plan import imports, services
from civsam.plan.models import Indicator, IndicatorValue, Initiative


def _body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_followup_page_shows_the_tree_with_progress(client, plan, make_initiative, language, settings):
    first = make_initiative(areas=("1.1",), progress=30, title="Föreningsstöd i Kumla")
    make_initiative(areas=("1.1",), progress=70)
    response = client.get(reverse("plan:followup", args=[plan.slug]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert first.title in html and first.get_absolute_url() in html
    assert 'value="50"' in html  # the area's and focus area's rolled-up bar
    assert ("Genomförande" if language == "sv" else "Implementation") in html
    assert (plan.title_sv if language == "sv" else plan.title_en) in html


def test_followup_filters_and_export_agree(client, plan, make_initiative):
    make_initiative(areas=("1.1",), title="Med i 2024", start_date=datetime.date(2024, 2, 1))
    make_initiative(
        areas=("1.1",), title="Slut 2022", start_date=datetime.date(2022, 2, 1), end_date=datetime.date(2022, 6, 1)
    )
    page = client.get(reverse("plan:followup", args=[plan.slug]), {"year": "2024"}).content.decode()
    assert "Med i 2024" in page and "Slut 2022" not in page
    export = client.get(reverse("plan:followup-export", args=[plan.slug, "csv"]), {"year": "2024"})
    rows = list(csv.DictReader(io.StringIO(_body(export).lstrip("\ufeff"))))
    assert [r["title"] for r in rows] == ["Med i 2024"]
    assert rows[0]["priority_areas"] == "2022-2025:1.1"
    excel = client.get(reverse("plan:followup-export", args=[plan.slug, "csv-sv"]), {"year": "2024"})
    assert excel["Content-Disposition"].endswith('-excel.csv"')
    excel_rows = list(csv.DictReader(io.StringIO(_body(excel).lstrip("\ufeff")), delimiter=";"))
    assert [r["Titel"] for r in excel_rows] == ["Med i 2024"]  # Swedish labels, semicolons
    assert "CSV för Excel" in page and reverse("plan:followup-export", args=[plan.slug, "csv-sv"]) in page


def test_followup_page_queries_do_not_grow_with_initiatives(client, plan, make_initiative):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("plan:followup", args=[plan.slug])).status_code == 200
        return len(ctx.captured_queries)

    for n in range(5):
        make_initiative(areas=("1.1", "2.2"), progress=n * 20)
    few = count()
    for n in range(40):
        make_initiative(areas=(("3.1", "4.2", "1.3")[n % 3],), progress=n)
    assert count() == few


def test_initiative_page_shows_milestones_and_a_timeline_without_names(client, users, make_initiative):
    initiative = make_initiative(
        milestones=[services.MilestoneIn("Kickoff", datetime.date(2023, 2, 1), datetime.date(2023, 2, 3))], progress=10
    )
    services.initiative_update(actor=users["admin"], initiative=initiative, progress=40)
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Kickoff" in html and "2023-02-03" in html
    assert "Andel genomförd (%): 10 → 40" in html
    assert str(users["admin"]) not in html  # who changed it is not public


def test_priority_area_page_lists_its_initiatives(client, make_initiative, area):
    initiative = make_initiative(areas=("2.3",))
    html = client.get(area("2.3").get_absolute_url()).content.decode()
    assert initiative.title in html


def test_the_navigation_leads_to_the_adopted_plans_followup(client, reference_data):
    response = client.get(reverse("plan:followup-current"))
    assert response.status_code == 302 and response["Location"] == reverse("plan:followup", args=["2022-2025"])


# --- Import ----------------------------------------------------------------------------------------

HEADER = "ref,title,status,start_date,end_date,priority_areas,lead_name,municipalities,progress,budget\n"


def _import(actor, text: str, name="insatser.csv"):
    return imports.initiatives_import(actor=actor, file_name=name, data=text.encode())


def test_import_creates_then_is_idempotent_then_updates(users, reference_data):
    text = HEADER + (
        'a-1,Första,ongoing,2024-01-01,,2022-2025:1.1; 2026-2030:2.1,Regionen,1880;1881,40,"120 000"\n'
        "a-2,Andra,planned,2024-03-01,2024-12-31,2022-2025:3.2,Universitetet,,,\n"
    )
    first = _import(users["admin"], text)
    assert (first.ok, first.created, first.updated, first.unchanged) == (True, 2, 0, 0)
    one = Initiative.objects.get(ref="a-1")
    assert one.budget == Decimal("120000") and one.progress == 40
    assert sorted(pa.code for pa in one.priority_areas.all()) == ["1.1", "2.1"]
    entries = AuditEntry.objects.count()
    again = _import(users["admin"], text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
    changed = _import(users["admin"], text.replace(",40,", ",55,"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Initiative.objects.get(ref="a-1").progress == 55


def test_import_reports_every_bad_row_and_writes_nothing(users, reference_data):
    text = HEADER + (
        "b-1,Bra rad,ongoing,2024-01-01,,2022-2025:1.1,Regionen,,,\n"
        "b-2,Fel status,klar,2024-01-01,,2022-2025:1.1,Regionen,,,\n"
        "b-3,Fel område,ongoing,2024-01-01,,2022-2025:9.9,Regionen,,,\n"
        "b-4,Fel datum,ongoing,1 jan,,2022-2025:1.1,Regionen,,,\n"
        "b-1,Dubblett,ongoing,2024-01-01,,2022-2025:1.1,Regionen,,,\n"
    )
    result = _import(users["admin"], text)
    assert not result.ok
    assert [line for line, _ in result.errors] == [3, 4, 5, 6]
    assert "klar" in result.errors[0][1] and "9.9" in result.errors[1][1]
    assert Initiative.objects.count() == 0


def test_an_export_imports_back_unchanged(client, users, make_initiative, plan):
    make_initiative(areas=("1.1",), ref="x-1", progress=33, lead_name="Regionen")
    export = client.get(reverse("plan:followup-export", args=[plan.slug, "csv"]))
    result = _import(users["admin"], _body(export))
    assert (result.ok, result.unchanged, result.created, result.updated) == (True, 1, 0, 0), result.errors


def test_an_export_made_when_initiatives_listed_their_meetings_still_imports(client, users, make_initiative, plan):
    """Exports used to carry the meetings' ids (event_ids); the meetings app links them now, so the
    column is accepted and ignored."""
    make_initiative(areas=("1.1",), ref="x-1", progress=33, lead_name="Regionen")
    header, *rows = _body(client.get(reverse("plan:followup-export", args=[plan.slug, "csv"]))).splitlines()
    assert "event_ids" not in header
    old = "\n".join([header + ",event_ids", *(row + ',"12; 13"' for row in rows)])
    result = _import(users["admin"], old)
    assert (result.ok, result.unchanged) == (True, 1), result.errors
    with pytest.raises(ValidationError) as unknown:  # other unknown columns are still refused
        _import(users["admin"], old.replace("event_ids", "meeting_ids"))
    assert "meeting_ids" in str(unknown.value) and "event_ids" not in str(unknown.value)


def test_import_page_shows_errors_per_row(client, users, reference_data):
    client.force_login(users["admin"])
    upload = SimpleUploadedFile("i.csv", (HEADER + "c-1,X,nope,2024-01-01,,2022-2025:1.1,R,,,\n").encode())
    html = client.post(reverse("plan:import", args=["insatser"]), {"file": upload}).content.decode()
    assert "Rad 2" in html and "Ingenting har sparats" in html


def test_indicator_values_import_and_export(client, users, plan):
    indicator = services.indicator_create(actor=None, plan=plan, code="besok", name_sv="Besök", unit="antal")
    text = 'indicator,year,value,source\nbesok,2023,12,SCB\nbesok,2024,"14,5",SCB\n'
    result = imports.indicator_values_import(actor=users["admin"], file_name="v.csv", data=text.encode())
    assert (result.ok, result.created) == (True, 2)
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).value == Decimal("14.5")
    again = imports.indicator_values_import(actor=users["admin"], file_name="v.csv", data=text.encode())
    assert again.unchanged == 2
    bad = imports.indicator_values_import(
        actor=users["admin"], file_name="v.csv", data=b"indicator,year,value\nbesok,2025,7\nokand,2025,1\n"
    )
    assert [line for line, _ in bad.errors] == [3]
    assert not IndicatorValue.objects.filter(year=2025).exists()
    response = client.get(reverse("plan:indicator-export", args=[plan.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("indicator", "name", "unit", "year")
    assert {(r[0], r[3], r[5]) for r in rows[1:]} == {("besok", 2023, 12), ("besok", 2024, 14.5)}


# --- Indicators ------------------------------------------------------------------------------------


def test_indicator_pages_show_status_and_the_rule(client, users, plan):
    indicator = services.indicator_create(
        actor=None,
        plan=plan,
        code="iop",
        name_sv="Antal IOP",
        unit="antal",
        baseline_year=2021,
        baseline_value=Decimal(2),
        targets=[(2023, Decimal(10))],
    )
    services.indicator_value_set(actor=None, indicator=indicator, year=2023, value=Decimal(7))
    listing = client.get(reverse("plan:indicator-list", args=[plan.slug])).content.decode()
    assert "Antal IOP" in listing and "Risk för att inte nå målet" in listing  # 5 of 8 = 62.5 %
    assert "90 procent" in listing
    detail = client.get(indicator.get_absolute_url()).content.decode()
    assert "<svg" in detail and "stroke-dasharray" in detail  # the target line is dashed, not coloured
    client.force_login(users["admin"])
    client.post(
        indicator.get_absolute_url(),
        {"form": "value", "value-year": "2023", "value-value": "9", "value-source": "Eget"},
    )
    assert IndicatorValue.objects.get(indicator=indicator, year=2023).value == 9
    history = client.get(indicator.get_absolute_url()).content.decode()
    assert "Utfall 2023: 7 → 9" in history and "2023 value" not in history


def test_computed_indicator_values_cannot_be_typed_in(plan):
    indicator = services.indicator_create(
        actor=None, plan=plan, code="c", name_sv="C", unit="st", computation="ongoing-initiatives"
    )
    assert indicator.kind == Indicator.Kind.COMPUTED
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(1))


def test_large_pages_fetch_each_areas_list_when_opened(client, plan, make_initiative, area, monkeypatch):
    from civsam.plan.views import followup as followup_views

    parent = make_initiative(areas=("1.1",), progress=0, title="Huvudinsats")
    make_initiative(areas=("1.1",), progress=60, parent=parent, title="Delinsats")
    make_initiative(areas=("1.2",), progress=10, title="Annan insats")
    monkeypatch.setattr(followup_views, "LAZY_LIST_THRESHOLD", 1)
    page = client.get(reverse("plan:followup", args=[plan.slug]), {"year": "2023"}).content.decode()
    assert "Huvudinsats" not in page and 'hx-trigger="toggle once"' in page
    partial_url = reverse("plan:followup-area", args=[plan.slug, area("1.1").pk])
    assert f'hx-get="{partial_url}?year=2023"' in page
    partial = client.get(partial_url, {"year": "2023"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Huvudinsats" in partial and "Delinsats" in partial and "Annan insats" not in partial
    assert 'value="60"' in partial  # the parent's value rolled up from its sub-initiative
    other_plan_area = area("1.1", "2026-2030")
    assert client.get(reverse("plan:followup-area", args=[plan.slug, other_plan_area.pk])).status_code == 404
