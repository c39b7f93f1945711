"""Small impact maps for the tests."""

from __future__ import annotations

from civsam.impact.engine.model import Distribution, GuardSettings, ImpactMap, Input, Outcome, Stakeholder


def outcome(id: str = "o1", **fields) -> Outcome:
    values = {
        "stakeholder": "s1",
        "outcome": f"Utfall {id}",
        "quantity": 10.0,
        "proxy": 100.0,
        "duration": 1,
        "proxy_source": "Testkälla",
    }
    values.update(fields)
    return Outcome(id=id, **values)


def impact_map(
    outcomes=None,
    inputs=None,
    *,
    discount_rate: float = 3.5,
    volunteer_hour_rate: float | None = None,
    distributions=(),
    guards: GuardSettings | None = None,
) -> ImpactMap:
    return ImpactMap(
        name="Testkarta",
        stakeholders=(Stakeholder("s1", "Deltagare"), Stakeholder("s2", "Kommunen")),
        inputs=tuple(inputs if inputs is not None else (Input("i1", "s2", "Bidrag", money=1000.0),)),
        outcomes=tuple(outcomes if outcomes is not None else (outcome(),)),
        discount_rate=discount_rate,
        volunteer_hour_rate=volunteer_hour_rate,
        distributions=tuple(distributions),
        guards=guards or GuardSettings(),
    )


def document(**overrides) -> dict:
    """A valid JSON impact map, as the API takes it."""
    data = {
        "name": "Testkarta",
        "stakeholders": [{"id": "s1", "name": "Deltagare"}, {"id": "s2", "name": "Kommunen"}],
        "inputs": [{"id": "i1", "stakeholder": "s2", "description": "Bidrag", "money": 1000}],
        "outcomes": [
            {
                "id": "o1",
                "stakeholder": "s1",
                "outcome": "Har fått arbete",
                "indicator": "Antal i arbete",
                "quantity": 10,
                "proxy": 100,
                "proxySource": "Testkälla",
                "duration": 3,
                "deadweight": 20,
                "attribution": 10,
                "dropOff": 50,
            }
        ],
    }
    data.update(overrides)
    return data


__all__ = ["Distribution", "Input", "document", "impact_map", "outcome"]
