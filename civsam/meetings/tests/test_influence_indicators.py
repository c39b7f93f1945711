"""The computed indicators of influence over the meetings app's data (ADR 0119): seats and
memberships in councils and networks by the member organisation's sector, and the new
collaborations meetings report. Table-driven; the rows are written as the data stand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from civsam.meetings.models import EventOutput, Network, NetworkMembership, NetworkRepresentative
from civsam.plan import computations

D = datetime.date

# Each membership: (sector, status, joined, ended, [(representative's start, end), ...])
MEMBERSHIPS = [
    ("civil_society", "active", D(2022, 3, 1), None, [(D(2022, 3, 1), None), (D(2024, 1, 1), D(2024, 6, 30))]),
    ("civil_society", "ended", D(2021, 1, 1), D(2023, 5, 1), [(D(2021, 1, 1), D(2023, 5, 1))]),
    ("social_economy", "active", D(2024, 9, 1), None, [(D(2024, 9, 1), None)]),
    ("public", "active", D(2020, 1, 1), None, [(D(2020, 1, 1), None), (D(2020, 1, 1), D(2022, 12, 31))]),
    ("civil_society", "requested", None, None, []),  # asked, not a member: neither counted
    ("private", "active", D(2025, 2, 1), None, [(D(2025, 2, 1), None)]),
]

CASES = [
    # (computation code, year, expected)
    ("network-seats-civil-society", 2022, 2),
    ("network-seats-civil-society", 2023, 2),
    ("network-seats-civil-society", 2024, 2),  # the first seat, and the second one for half the year
    ("network-seats-civil-society", 2025, 1),
    ("network-seats-social-economy", 2023, 0),
    ("network-seats-social-economy", 2024, 1),
    ("network-seats-public", 2022, 2),
    ("network-seats-public", 2023, 1),
    ("network-seats-private", 2025, 1),
    ("network-memberships-civil-society", 2023, 2),
    ("network-memberships-civil-society", 2024, 1),
    ("network-memberships-social-economy", 2024, 1),
    ("network-memberships-public", 2024, 1),
    ("network-memberships-private", 2024, 0),
    ("network-memberships-private", 2025, 1),
]


@pytest.fixture
def networks(make_org):
    council = Network.objects.create(name="Länets föreningsråd", slug="foreningsradet", kind="association_council")
    for n, (sector, status, joined, ended, representatives) in enumerate(MEMBERSHIPS):
        membership = NetworkMembership.objects.create(
            network=council,
            organisation=make_org(name=f"Medlem {n}", sector=sector),
            status=status,
            joined_on=joined,
            ended_on=ended,
        )
        for m, (start, end) in enumerate(representatives):
            NetworkRepresentative.objects.create(
                membership=membership, name=f"Representant {n}-{m}", starts_on=start, ends_on=end
            )


@pytest.mark.parametrize(("code", "year", "expected"), CASES)
def test_seats_and_memberships_by_sector(networks, code, year, expected):
    result = computations.get(code).run(year)
    assert result.value == Decimal(expected)
    assert result.source


# Each output: (year of the meeting, kind, linked to the initiative)
OUTPUTS = [
    (2024, "collaboration", True),
    (2024, "collaboration", False),
    (2024, "decision", True),
    (2023, "collaboration", False),
]

COLLABORATION_CASES = [(2024, False, 2), (2024, True, 1), (2023, False, 1), (2023, True, 0), (2025, False, 0)]


@pytest.fixture
def outputs(make_event, make_initiative):
    initiative = make_initiative()
    for n, (year, kind, linked) in enumerate(OUTPUTS):
        start = timezone.make_aware(datetime.datetime(year, 5, 10, 13, 0))
        event = make_event(title=f"Möte {n}", starts_at=start, ends_at=start + datetime.timedelta(hours=2))
        if linked:
            event.initiatives.add(initiative)
        EventOutput.objects.create(event=event, kind=kind, title=f"Resultat {n}")
    return initiative


@pytest.mark.parametrize(("year", "per_initiative", "expected"), COLLABORATION_CASES)
def test_new_collaborations_reported_from_meetings(outputs, year, per_initiative, expected):
    computation = computations.get("new-collaborations")
    result = computation.run(year, initiative_id=outputs.pk if per_initiative else None)
    assert result.value == Decimal(expected)
