"""The pure parts of agreements: valuing contributions and the legal-assessment checklist."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.agreements import assessment, contributions
from civsam.agreements.assessment import Checklist


@pytest.mark.parametrize(
    ("kind", "quantity", "rate", "value"),
    [
        ("money", Decimal("150000"), None, Decimal("150000.00")),
        ("premises", Decimal("48000.5"), None, Decimal("48000.50")),
        ("staff_hours", Decimal("200"), Decimal("450"), Decimal("90000.00")),
        ("volunteer_hours", Decimal("1000"), Decimal("232.5"), Decimal("232500.00")),
        ("volunteer_hours", Decimal("0.333"), Decimal("100"), Decimal("33.30")),
    ],
)
def test_value_sek(kind, quantity, rate, value):
    assert contributions.value_sek(kind, quantity, rate) == value


@pytest.mark.parametrize(
    ("kind", "quantity", "rate", "field"),
    [
        ("staff_hours", Decimal("10"), None, "rate"),
        ("volunteer_hours", Decimal("10"), Decimal("0"), "rate"),
        ("money", Decimal("10"), Decimal("5"), "rate"),
        ("money", Decimal("-1"), None, "quantity"),
        ("gifts", Decimal("1"), None, "kind"),
    ],
)
def test_value_sek_refuses(kind, quantity, rate, field):
    with pytest.raises(contributions.ContributionError) as exc:
        contributions.value_sek(kind, quantity, rate)
    assert exc.value.field == field


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]),
            st.integers(2024, 2027),
            st.sampled_from(sorted(contributions.KINDS)),
            st.decimals(min_value=0, max_value=10**7, places=2),
        ),
        max_size=30,
    )
)
def test_totals_add_up(rows):
    lines = [contributions.Line(p, y, k, v, Decimal(0)) for p, y, k, v in rows]
    totals = contributions.totals_by_party_and_year(lines)
    assert sum((t.value_sek for t in totals.values()), Decimal(0)) == sum((v for *_, v in rows), Decimal(0))
    for t in totals.values():
        assert t.money_sek + t.in_kind_sek == t.value_sek


COMPLETE = Checklist(procurement="partnership", state_aid="no_economic_activity", general_interest=True, memo="Skäl.")


@pytest.mark.parametrize(
    ("changes", "gaps"),
    [
        ({}, []),
        ({"procurement": ""}, ["procurement"]),
        ({"procurement": "public_contract"}, ["procurement_contract"]),
        ({"state_aid": ""}, ["state_aid"]),
        ({"state_aid": "de_minimis"}, ["aid_details"]),
        (
            {
                "state_aid": "de_minimis",
                "aid_recipient": True,
                "aid_amount_sek": Decimal(1),
                "sek_per_eur": Decimal(11),
            },
            [],
        ),
        (
            {
                "state_aid": "sgei_de_minimis",
                "aid_recipient": True,
                "aid_amount_sek": Decimal(1),
                "sek_per_eur": Decimal(11),
                "within_ceiling": False,
            },
            ["ceiling"],
        ),
        ({"general_interest": False, "memo": "  "}, ["general_interest", "memo"]),
    ],
)
def test_checklist_gaps(changes, gaps):
    from dataclasses import replace

    assert assessment.missing(replace(COMPLETE, **changes)) == gaps
