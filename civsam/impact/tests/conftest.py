"""Fixtures for the social-value platform tests: a second person per scope (for review), and maps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "impact-map-example.json"


@pytest.fixture
def example_map() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def people(users):
    """The shared users plus a second officer in Örebro and a second representative of the own organisation."""
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import Municipality

    officer2 = User.objects.create_user(username="officer2", password="secret-pass-123")
    role_assign(user=officer2, role=Role.MUNICIPAL_OFFICER, municipality=Municipality.objects.get(code="1880"))
    rep2 = User.objects.create_user(username="rep2", password="secret-pass-123")
    role_assign(user=rep2, role=Role.ORGANISATION_REP, organisation=users["own_org"])
    return {**users, "officer2": officer2, "rep2": rep2, "orebro": Municipality.objects.get(code="1880")}


@pytest.fixture
def make_analysis(people, example_map):
    """Create an analysis through the service; by default a draft of Örebro municipality by the officer."""
    from civsam.impact import services

    def make(*, actor=None, status: str = "draft", impact_map=None, reviewer=None, **fields):
        actor = actor or people["officer"]
        if "owner_organisation" not in fields and "owner_municipality" not in fields:
            fields["owner_municipality"] = people["orebro"]
        fields.setdefault("title", "Läxhjälp i Örebro")
        analysis = services.analysis_create(actor=actor, impact_map=impact_map or example_map, **fields)
        if status in ("in_review", "published"):
            analysis = services.analysis_transition(actor=actor, analysis=analysis, to_status="in_review")
        if status == "published":
            analysis = services.analysis_transition(
                actor=reviewer or people["officer2"], analysis=analysis, to_status="published"
            )
        return analysis

    return make
