"""The shipped action plans: loading is idempotent and the structure matches the adopted documents."""

from __future__ import annotations

import pytest

from civsam.plan.models import FocusArea, Plan, PriorityArea
from civsam.plan.services import plans_load_reference

# Priority activity areas per focus area, as in the plan documents.
STRUCTURE = {
    "2022-2025": (2022, 2025, Plan.Status.ADOPTED, [3, 4, 3, 2]),
    "2026-2030": (2026, 2030, Plan.Status.DRAFT, [3, 5, 3, 2]),
}


def _counts() -> tuple[int, int, int]:
    return Plan.objects.count(), FocusArea.objects.count(), PriorityArea.objects.count()


def test_loading_twice_gives_the_same_rows(db):
    assert plans_load_reference() == 2
    first = _counts()
    ids = sorted(PriorityArea.objects.values_list("id", flat=True))
    assert plans_load_reference() == 2
    assert _counts() == first == (2, 8, 12 + 13)
    assert sorted(PriorityArea.objects.values_list("id", flat=True)) == ids  # updated in place


def test_loading_restores_edited_titles(db):
    plans_load_reference()
    FocusArea.objects.filter(plan__slug="2022-2025", number=1).update(title_sv="Ändrad")
    plans_load_reference()
    assert FocusArea.objects.get(plan__slug="2022-2025", number=1).title_sv.startswith("Bidra till en ökad förståelse")


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
