"""Fixtures of the agreements tests: a municipality as an actor, an association, and a draft IOP."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def world(users, make_org):
    """Örebro kommun (public, no orgnr) run by the Örebro officer; the rep's association (own_org,
    Örebro); Kumla's association (other_org) whose people are the Kumla officer's."""
    from civsam.core.models import LegalForm

    kommun = make_org(
        name="Örebro kommun", legal_form=LegalForm.objects.get(code="82"), sector="public", municipality="1880"
    )
    return {**users, "kommun": kommun}


@pytest.fixture
def make_agreement(world):
    from civsam.agreements import services

    def make(**fields):
        fields.setdefault("actor", world["officer"])
        fields.setdefault("title", "Mötesplats Vivalla")
        fields.setdefault("kind", "iop")
        fields.setdefault("owner", world["kommun"])
        fields.setdefault("challenge", "Ensamhet bland äldre i stadsdelen.")
        fields.setdefault("starts_on", datetime.date(2026, 1, 1))
        return services.agreement_create(**fields)

    return make


@pytest.fixture
def complete_assessment():
    from civsam.agreements import services

    def complete(agreement, actor, **changes):
        data = {
            "procurement": "partnership",
            "state_aid": "no_economic_activity",
            "general_interest": True,
            "memo": "Ingen tjänst köps; föreningens verksamhet är inte ekonomisk.",
        }
        data.update(changes)
        return services.assessment_save(actor=actor, agreement=agreement, **data)

    return complete
