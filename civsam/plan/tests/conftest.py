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


@pytest.fixture
def report_world(plan, make_initiative, users):
    """A draft report for 2024 over two initiatives and one indicator with targets and values."""
    from decimal import Decimal

    from civsam.plan import services

    make_initiative(
        areas=("1.1",),
        progress=100,
        status_code="completed",
        title="Klar insats",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 6, 1),
    )
    make_initiative(areas=("1.2",), progress=40, title="Pågår", start_date=datetime.date(2023, 5, 1))
    indicator = services.indicator_create(
        actor=None,
        plan=plan,
        code="nat",
        name_sv="Nätverksträffar",
        name_en="Network meetings",
        unit="antal",
        baseline_year=2021,
        baseline_value=Decimal(4),
        targets=[(2023, Decimal(8)), (2024, Decimal(12))],
    )
    services.indicator_value_set(actor=None, indicator=indicator, year=2023, value=Decimal(6))
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(12))
    return services.report_get_or_create(actor=users["admin"], plan=plan, year=2024)


@pytest.fixture
def indicator(plan):
    """A manual indicator on the goal, with a baseline."""
    from decimal import Decimal

    from civsam.plan import services

    return services.indicator_create(
        actor=None,
        plan=plan,
        code="iop",
        name_sv="Antal IOP",
        unit="antal",
        baseline_year=2021,
        baseline_value=Decimal(2),
    )


@pytest.fixture
def frame_tags(reference_data):
    """The strategies and Agenda 2030 goals, loaded as in production; by code."""
    from civsam.plan.models import FrameTag
    from civsam.plan.services import frame_tags_load_reference

    frame_tags_load_reference()
    return {tag.code: tag for tag in FrameTag.objects.all()}
