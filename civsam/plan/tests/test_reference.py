"""The shipped action plans: loading is idempotent, the structure matches the adopted documents, and a
load never overwrites what users own (ADR 0108)."""

from __future__ import annotations

import datetime
import json

import pytest

from civsam.plan.models import FocusArea, Plan, PlanDecision, PriorityArea
from civsam.plan.services import PLANS_FILE, DecisionIn, plan_status_change, plans_load_reference

# Priority activity areas per focus area, as in the plan documents.
STRUCTURE = {
    "2022-2025": (2022, 2025, Plan.Status.ADOPTED, [3, 4, 3, 2]),
    "2026-2030": (2026, 2030, Plan.Status.DRAFT, [3, 5, 3, 2]),
}


def _counts() -> tuple[int, int, int]:
    return Plan.objects.count(), FocusArea.objects.count(), PriorityArea.objects.count()


def test_loading_twice_gives_the_same_rows(db):
    first_load = plans_load_reference()
    assert (first_load.plans, first_load.created) == (2, ["2022-2025", "2026-2030"])
    first = _counts()
    ids = sorted(PriorityArea.objects.values_list("id", flat=True))
    again = plans_load_reference()
    assert (again.plans, again.created, again.updated, again.disagreements) == (2, [], [], [])
    assert _counts() == first == (2, 8, 12 + 13)
    assert sorted(PriorityArea.objects.values_list("id", flat=True)) == ids  # updated in place


def test_a_new_plan_gets_the_files_decisions(db):
    plans_load_reference()
    decision = PlanDecision.objects.get(plan__slug="2022-2025")
    assert (decision.action, decision.body, decision.decided_on, decision.status_after) == (
        "adopt",
        "Regionfullmäktige",
        datetime.date(2021, 12, 7),
        Plan.Status.ADOPTED,
    )
    assert not PlanDecision.objects.filter(plan__slug="2026-2030").exists()


def test_the_load_keeps_an_adoption_recorded_in_the_browser(db, admin_user):
    plans_load_reference()
    draft = Plan.objects.get(slug="2026-2030")
    decision = DecisionIn(body="Kulturnämnden", decided_on=datetime.date(2025, 11, 20), case_number="24RS4154")
    plan_status_change(actor=None, plan=draft, to=Plan.Status.ADOPTED, decision=decision)
    result = plans_load_reference()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ADOPTED  # the file still says "draft"
    assert list(draft.decisions.values_list("body", "case_number")) == [("Kulturnämnden", "24RS4154")]
    assert result.disagreements == []  # the status is the users', not a disagreement


def test_an_untouched_title_follows_the_file(db, tmp_path):
    plans_load_reference()
    data = json.loads(PLANS_FILE.read_text(encoding="utf-8"))
    data["plans"][0]["focus_areas"][0]["priority_areas"][1]["title_sv"] = "Ny titel från regionen"
    changed = tmp_path / "plans.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = plans_load_reference(path=changed)
    assert result.updated == ["2022-2025 1.2.title_sv"] and result.disagreements == []
    assert PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=1, number=2).title_sv == (
        "Ny titel från regionen"
    )


def test_an_edited_title_is_kept_and_reported_every_time(db, tmp_path):
    plans_load_reference()
    FocusArea.objects.filter(plan__slug="2022-2025", number=1).update(title_sv="Ändrad i databasen")
    for _round in range(2):
        result = plans_load_reference()
        assert len(result.disagreements) == 1
        assert "insatsområde 1" in result.disagreements[0] and "Ändrad i databasen" in result.disagreements[0]
        assert FocusArea.objects.get(plan__slug="2022-2025", number=1).title_sv == "Ändrad i databasen"


def test_an_area_the_file_adds_is_created_and_one_it_lacks_is_reported(db, tmp_path):
    plans_load_reference()
    data = json.loads(PLANS_FILE.read_text(encoding="utf-8"))
    fa = data["plans"][1]["focus_areas"][3]
    fa["priority_areas"].append({"title_sv": "Ett nytt område", "title_en": "A new area"})
    del data["plans"][1]["focus_areas"][0]["priority_areas"][2]
    changed = tmp_path / "plans.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = plans_load_reference(path=changed)
    assert PriorityArea.objects.get(focus_area__plan__slug="2026-2030", focus_area__number=4, number=3).title_en == (
        "A new area"
    )
    assert PriorityArea.objects.filter(focus_area__plan__slug="2026-2030", focus_area__number=1, number=3).exists()
    assert [d for d in result.disagreements if "aktivitetsområde 1.3" in d]


@pytest.mark.parametrize("slug", STRUCTURE)
def test_plan_structure(db, slug):
    plans_load_reference()
    start, end, status, per_focus_area = STRUCTURE[slug]
    plan = Plan.objects.get(slug=slug)
    assert (plan.start_year, plan.end_year, plan.status) == (start, end, status)
    focus_areas = list(plan.focus_areas.order_by("number"))
    assert [fa.number for fa in focus_areas] == [1, 2, 3, 4]
    assert [fa.priority_areas.count() for fa in focus_areas] == per_focus_area
    for fa in focus_areas:
        assert [pa.number for pa in fa.priority_areas.order_by("number")] == list(
            range(1, fa.priority_areas.count() + 1)
        )
        assert fa.title_sv and fa.title_en and fa.title_sv != fa.title_en
        for pa in fa.priority_areas.all():
            assert pa.title_sv and pa.title_en
            assert pa.code == f"{fa.number}.{pa.number}"
    assert "Örebro län" in plan.focus_areas.get(number=2).title_sv


# The Region's own Swedish titles of the 2022–2025 plan, from its web page on the plan
# (/work/shared/seeds/web-page-action-plan-sv.txt): facts, not translations of the English version.
REGION_TITLES_2022 = {
    "1": "Öka förståelsen för civilsamhällets och den sociala ekonomins betydelse i utvecklingen av Örebro län",
    "1.2": "Arbeta för att det ska finnas tillgång till statistik",
    "1.3": "Arbeta för att testa och använda metoder löpande för att värdera samhällsnytta",
    "2.2": "Arbeta för att stärka och utveckla sociala företag",
    "3.2": "Öka erfarenhetsbytet mellan offentliga aktörer",
    "4": "Bidra till ett stärkt erfarenhetsutbyte genom att öka den internationell samverkan kring civilsamhälle "
    "och social ekonomi i Örebro län",
    "4.1": "Arbeta för att utveckla det internationella deltagandet från Örebro län",
    "4.2": "Öka erfarenhetsutbytet i länet av vårt deltagande i internationella sammanhang",
}


@pytest.mark.parametrize(("code", "title"), REGION_TITLES_2022.items())
def test_the_2022_plans_swedish_titles_are_the_regions(db, code, title):
    plans_load_reference()
    if "." in code:
        fa, pa = code.split(".")
        row = PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=fa, number=pa)
    else:
        row = FocusArea.objects.get(plan__slug="2022-2025", number=code)
    assert row.title_sv == title


def test_the_command_reports_a_disagreement_and_keeps_the_database(db):
    import io

    from django.core.management import call_command

    call_command("load_reference_data", stdout=io.StringIO(), stderr=io.StringIO())
    FocusArea.objects.filter(plan__slug="2026-2030", number=2).update(title_en="Edited by hand")
    err = io.StringIO()
    call_command("load_reference_data", stdout=io.StringIO(), stderr=err)
    assert "planen 2026-2030, insatsområde 2" in err.getvalue() and "Edited by hand" in err.getvalue()
    assert FocusArea.objects.get(plan__slug="2026-2030", number=2).title_en == "Edited by hand"
