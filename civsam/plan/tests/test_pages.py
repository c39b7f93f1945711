"""The public plan pages, in Swedish and in English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from civsam.plan.models import FocusArea, Plan, PriorityArea

PAGES = [
    ("plan:plan-list", []),
    ("plan:plan-detail", ["2022-2025"]),
    ("plan:plan-detail", ["2026-2030"]),
    ("plan:focus-area-detail", ["2026-2030", 2]),
    ("plan:priority-area-detail", ["2026-2030", 2, 5]),
    ("plan:priority-area-detail", ["2022-2025", 4, 2]),
]


def _texts(name: str, args: list, language: str) -> list[str]:
    """The titles the page must show, in the given language."""
    field = f"title_{language}"
    if name == "plan:plan-list":
        return [getattr(p, field) for p in Plan.objects.all()]
    plan = Plan.objects.get(slug=args[0])
    if name == "plan:plan-detail":
        areas = PriorityArea.objects.filter(focus_area__plan=plan)
        return [getattr(plan, field), *(getattr(fa, field) for fa in plan.focus_areas.all())] + [
            getattr(pa, field) for pa in areas
        ]
    focus_area = FocusArea.objects.get(plan=plan, number=args[1])
    if name == "plan:focus-area-detail":
        return [getattr(focus_area, field), *(getattr(pa, field) for pa in focus_area.priority_areas.all())]
    return [getattr(focus_area.priority_areas.get(number=args[2]), field)]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_plan_pages_render_in_both_languages(client, reference_data, name, args, language):
    if language != settings.LANGUAGE_CODE:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name, args=args))  # anonymous: the plans are public
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    for text in _texts(name, args, language):
        assert text in html, text
    other = "en" if language == "sv" else "sv"
    with translation.override(other):
        for text in _texts(name, args, other):
            assert text not in html, text


def test_language_is_switched_with_the_language_form(client, reference_data):
    url = reverse("plan:plan-detail", args=["2022-2025"])
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert "Regional action plan for civil society and the social economy 2022–2025" in html
    client.post(reverse("set_language"), {"language": "sv", "next": url})
    html = client.get(url).content.decode()
    assert "Regional handlingsplan för civilsamhälle och social ekonomi 2022–2025" in html


def test_english_from_the_browser_preference(client, reference_data):
    html = client.get(reverse("plan:plan-list"), headers={"Accept-Language": "en-GB,en;q=0.8"}).content.decode()
    assert '<html lang="en">' in html
    assert "Regional action plan for civil society" in html


@pytest.mark.parametrize(
    "path",
    [
        "/handlingsplaner/finns-inte/",
        "/handlingsplaner/2022-2025/insatsomrade-9/",
        "/handlingsplaner/2022-2025/insatsomrade-1/aktivitetsomrade-9/",
        "/handlingsplaner/2026-2030/insatsomrade-4/aktivitetsomrade-3/",
    ],
)
def test_unknown_plan_parts_are_404(client, reference_data, path):
    assert client.get(path).status_code == 404
