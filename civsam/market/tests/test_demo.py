"""The market's demo data: realistic content, loaded once."""

from __future__ import annotations

import datetime

import pytest

from civsam.market.demo import demo_market_load
from civsam.market.models import Offer, Procurement, SpendShare
from civsam.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_market(make_org):
    for n in range(8):
        make_org(name=f"Demoföreningen {n}")
    Organisation.objects.update(is_demo=True)
    counts = demo_market_load(today=datetime.date(2026, 6, 1))
    assert counts == {"offers": 6, "procurements": 3, "spend_years": 3}
    assert Procurement.objects.exclude(reservation="").count() == 1
    assert Offer.objects.filter(organisation__work_integrating=True, work_integration=True).count() == 4
    assert set(SpendShare.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    # The generated file's reserved supplier is the reserved contract's: its layer is not empty.
    assert SpendShare.objects.filter(layer="reserved", year=2025, amount__gt=0).exists()
    assert demo_market_load(today=datetime.date(2026, 6, 1)) == {"offers": 0, "procurements": 0, "spend_years": 0}
