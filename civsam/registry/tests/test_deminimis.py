"""The de minimis ledger's arithmetic (registry.deminimis, pure) and its service (ADR 0132)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.registry import deminimis
from civsam.registry.deminimis import GENERAL, SGEI, Entry

D = datetime.date
RATE = Decimal("11.00")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 6, 15), D(2023, 6, 15)),
        (D(2024, 2, 29), D(2021, 2, 28)),  # no 29 February three years before
        (D(2026, 1, 1), D(2023, 1, 1)),
    ],
)
def test_three_years_before(day, expected):
    assert deminimis.three_years_before(day) == expected


@pytest.mark.parametrize(
    ("amount_sek", "rate", "eur"),
    [
        (Decimal("110000"), Decimal("11"), Decimal("10000.00")),
        (Decimal("1000"), Decimal("11.4567"), Decimal("87.29")),
        (Decimal("0"), Decimal("10"), Decimal("0.00")),
    ],
)
def test_to_eur(amount_sek, rate, eur):
    assert deminimis.to_eur(amount_sek, rate) == eur


def test_a_rate_must_be_positive():
    with pytest.raises(ValueError):
        deminimis.to_eur(Decimal(1), Decimal(0))


# (entries as (date, SEK, regime), day, regime, expected EUR in the window)
WINDOW_CASES = [
    # Exactly three years before is outside the window; the day after is inside.
    ([(D(2023, 6, 15), 110000, GENERAL)], D(2026, 6, 15), GENERAL, Decimal("0")),
    ([(D(2023, 6, 16), 110000, GENERAL)], D(2026, 6, 15), GENERAL, Decimal("10000.00")),
    # Aid granted after the day asked about does not count yet.
    ([(D(2026, 6, 16), 110000, GENERAL)], D(2026, 6, 15), GENERAL, Decimal("0")),
    # SGEI aid does not count against the general ceiling; general aid counts against the SGEI one.
    ([(D(2025, 1, 1), 110000, SGEI), (D(2025, 1, 1), 220000, GENERAL)], D(2026, 1, 1), GENERAL, Decimal("20000.00")),
    ([(D(2025, 1, 1), 110000, SGEI), (D(2025, 1, 1), 220000, GENERAL)], D(2026, 1, 1), SGEI, Decimal("30000.00")),
]


@pytest.mark.parametrize(("rows", "day", "regime", "expected"), WINDOW_CASES)
def test_rolling_total(rows, day, regime, expected):
    entries = [Entry(d, Decimal(sek), RATE, r) for d, sek, r in rows]
    assert deminimis.rolling_total_eur(entries, day, regime=regime) == expected


@pytest.mark.parametrize(
    ("before_eur", "new_eur", "regime", "within"),
    [
        (290000, 10000, GENERAL, True),  # exactly the ceiling is allowed
        (290000, 10001, GENERAL, False),
        (290000, 100000, SGEI, True),  # the SGEI ceiling is 750 000
        (700000, 50001, SGEI, False),
    ],
)
def test_check_against_the_ceiling(before_eur, new_eur, regime, within):
    day = D(2026, 3, 1)
    old = [Entry(D(2025, 3, 1), Decimal(before_eur), Decimal(1), GENERAL)]
    verdict = deminimis.check(old, Entry(day, Decimal(new_eur), Decimal(1), regime))
    assert verdict.within is within
    assert verdict.ceiling_eur == deminimis.CEILINGS[regime]
    assert verdict.after_eur == Decimal(before_eur + new_eur)


amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=D(2018, 1, 1), max_value=D(2030, 12, 31))
rates = st.decimals(min_value=Decimal("5"), max_value=Decimal("15"), places=4)


# The machine running the suite may be busy: generation speed is not what these tests are about.
PATIENT = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PATIENT
@given(st.lists(st.tuples(days, amounts, rates, st.sampled_from([GENERAL, SGEI])), max_size=12), days)
def test_rolling_total_is_the_sum_of_what_is_in_the_window(rows, day):
    entries = [Entry(*row) for row in rows]
    inside = [e for e in entries if deminimis.three_years_before(day) < e.granted_on <= day]
    assert deminimis.rolling_total_eur(entries, day, regime=SGEI) == sum((e.amount_eur for e in inside), Decimal(0))
    general = deminimis.rolling_total_eur(entries, day, regime=GENERAL)
    assert 0 <= general <= deminimis.rolling_total_eur(entries, day, regime=SGEI)


@PATIENT
@given(st.lists(st.tuples(days, amounts, rates), max_size=10), days, amounts, rates)
def test_within_means_at_most_the_ceiling(rows, day, amount, rate):
    entries = [Entry(d, a, r, GENERAL) for d, a, r in rows]
    verdict = deminimis.check(entries, Entry(day, amount, rate, GENERAL))
    assert verdict.within == (verdict.after_eur <= Decimal(300000))
    assert verdict.headroom_eur >= 0


@pytest.mark.django_db
def test_the_service_records_and_refuses_over_the_ceiling(users):
    from civsam.registry.models import DeMinimisAid
    from civsam.registry.services import de_minimis_aid_record, de_minimis_aid_remove

    org = users["own_org"]
    common = {
        "actor": users["officer"],
        "organisation": org,
        "sek_per_eur": Decimal("11"),
        "rate_source": "Riksbanken",
        "grantor": "Örebro kommun",
    }
    de_minimis_aid_record(source="grant-decision:1", granted_on=D(2025, 5, 1), amount_sek=Decimal("2200000"), **common)
    # Recording the same source again replaces it instead of counting twice.
    de_minimis_aid_record(source="grant-decision:1", granted_on=D(2025, 5, 1), amount_sek=Decimal("2200000"), **common)
    assert DeMinimisAid.objects.filter(organisation=org).count() == 1
    with pytest.raises(ValidationError, match="över taket"):
        de_minimis_aid_record(source="agreement:9", granted_on=D(2026, 1, 1), amount_sek=Decimal("1200000"), **common)
    assert DeMinimisAid.objects.filter(organisation=org).count() == 1
    de_minimis_aid_record(source="agreement:9", granted_on=D(2026, 1, 1), amount_sek=Decimal("1100000"), **common)
    assert de_minimis_aid_remove(actor=users["officer"], source="agreement:9") == 1
