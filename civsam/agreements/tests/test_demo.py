"""The demo agreements load once, signed, and count in the plan's indicator."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_demo_agreements(reference_data):
    from civsam.agreements.demo import demo_agreements_load
    from civsam.agreements.models import Agreement
    from civsam.plan.computations import get
    from civsam.registry.models import DeMinimisAid

    today = datetime.date(2026, 6, 1)
    assert demo_agreements_load(today=today) == 3
    assert demo_agreements_load(today=today) == 0
    assert set(Agreement.objects.values_list("status", flat=True)) == {"active"}
    assert get("active-iops").run(2025).value == Decimal(2)
    # The shelter's SGEI de minimis aid is in the ledger: SEK 1 800 000 at 11.20.
    entry = DeMinimisAid.objects.get()
    assert (entry.regime, entry.amount_eur) == ("sgei", Decimal("160714.29"))
