"""Fixtures for the follow-up tests: initiatives made through the service."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def plan(reference_data):
    from civsam.plan.models import Plan

    return Plan.objects.get(slug="2022-2025")


@pytest.fixture
def status(reference_data):
    from civsam.plan.models import InitiativeStatus

    return lambda code: InitiativeStatus.objects.get(code=code)


@pytest.fixture
def area(reference_data):
    from civsam.plan.models import PriorityArea

    def get(code: str, plan_slug: str = "2022-2025") -> PriorityArea:
        fa, pa = code.split(".")
        return PriorityArea.objects.get(focus_area__plan__slug=plan_slug, focus_area__number=fa, number=pa)

    return get


@pytest.fixture
def make_initiative(reference_data, status, area):
    from civsam.plan.services import initiative_create

    counter = {"n": 0}

    def make(*, areas=("1.1",), progress=None, status_code="ongoing", actor=None, **fields):
        counter["n"] += 1
        fields.setdefault("title", f"Insats {counter['n']}")
        fields.setdefault("start_date", datetime.date(2023, 1, 1))
        if not any(fields.get(k) for k in ("lead_organisation", "lead_municipality", "lead_name")):
            fields["lead_name"] = "Region Örebro län"
        return initiative_create(
            actor=actor,
            status=status(status_code),
            priority_areas=[area(code) if isinstance(code, str) else code for code in areas],
            progress=progress,
            **fields,
        )

    return make
