"""The computed indicators of influence over the plan's own data (ADR 0119): consultation responses
by the respondent's sector, and initiatives that civil society leads or co-leads. Table-driven."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from civsam.core.models import Municipality
from civsam.plan import computations
from civsam.plan.models import Consultation, ConsultationResponse

# Each respondent: (kind, consultation deadline year). kind is an organisation's sector, or
# "municipality" (counted as public), "person" (a private person) or "other" (a named other body).
RESPONDENTS = [
    ("civil_society", 2024),
    ("civil_society", 2024),
    ("social_economy", 2024),
    ("public", 2024),
    ("municipality", 2024),
    ("person", 2024),
    ("other", 2024),
    ("person", 2024),
    ("private", 2024),
    ("civil_society", 2023),
    ("person", 2023),
]

RESPONSE_CASES = [
    # (computation code, year, expected count)
    ("consultation-responses-civil-society", 2024, 2),
    ("consultation-responses-social-economy", 2024, 1),
    ("consultation-responses-public", 2024, 2),  # an organisation of the public sector and a municipality
    ("consultation-responses-private", 2024, 1),  # a company; private persons belong to no sector
    ("consultation-responses-civil-society", 2023, 1),
    ("consultation-responses-public", 2023, 0),
    ("consultation-responses-civil-society", 2025, 0),
]


@pytest.fixture
def responses(plan, make_org):
    consultations = {
        year: Consultation.objects.create(plan=plan, title=f"Remiss {year}", deadline=datetime.date(year, 10, 1))
        for year in (2023, 2024)
    }
    municipality = Municipality.objects.get(code="1880")
    for n, (kind, year) in enumerate(RESPONDENTS):
        fields: dict = {}
        if kind == "municipality":
            fields["municipality"] = municipality
        elif kind == "person":
            fields["private_person"] = True
            fields["respondent_name"] = f"Person {n}"
        elif kind == "other":
            fields["respondent_name"] = "Länsstyrelsen"
        else:
            fields["organisation"] = make_org(name=f"Svarande {n}", sector=kind)
        ConsultationResponse.objects.create(consultation=consultations[year], general_comment="Synpunkt", **fields)


@pytest.mark.parametrize(("code", "year", "expected"), RESPONSE_CASES)
def test_consultation_responses_by_sector(responses, code, year, expected):
    result = computations.get(code).run(year)
    assert result.value == Decimal(expected)
    assert "Remissvar" in result.source


def test_every_sector_has_its_consultation_computation():
    from civsam.registry.models import Organisation

    codes = {c.code for c in computations.registered()}
    for sector in Organisation.Sector.values:
        assert f"consultation-responses-{computations.sector_slug(sector)}" in codes


# Each initiative: (lead's sector or None for the Region by name, partners' sectors, status, start, end)
INITIATIVES = [
    ("civil_society", (), "ongoing", 2023, None),  # led by civil society
    ("social_economy", (), "ongoing", 2024, 2024),  # led by the social economy
    (None, ("civil_society",), "ongoing", 2024, None),  # co-led: a civil-society partner
    (None, ("private", "public"), "ongoing", 2024, None),  # partners, but none of civil society
    ("public", ("civil_society", "social_economy"), "ongoing", 2022, None),  # two partners, counted once
    ("civil_society", (), "cancelled", 2024, None),  # cancelled: not counted
    ("civil_society", (), "ongoing", 2025, None),  # starts after the year
    ("civil_society", (), "completed", 2022, 2023),  # ended before the year
    (None, (), "ongoing", 2024, None),  # the Region alone
]

LED_CASES = [(2024, 4), (2023, 3), (2022, 2), (2025, 4)]


@pytest.fixture
def initiatives(make_initiative, make_org):
    for n, (lead, partners, status_code, start, end) in enumerate(INITIATIVES):
        fields: dict = {"start_date": datetime.date(start, 2, 1), "status_code": status_code}
        if end:
            fields["end_date"] = datetime.date(end, 11, 1)
        if lead:
            fields["lead_organisation"] = make_org(name=f"Ledare {n}", sector=lead)
        initiative = make_initiative(**fields)
        for m, sector in enumerate(partners):
            initiative.partner_organisations.add(make_org(name=f"Partner {n}-{m}", sector=sector))


@pytest.mark.parametrize(("year", "expected"), LED_CASES)
def test_initiatives_led_or_co_led_by_civil_society(initiatives, year, expected):
    result = computations.get("initiatives-led-by-civil-society").run(year)
    assert result.value == Decimal(expected)
    assert result.source
