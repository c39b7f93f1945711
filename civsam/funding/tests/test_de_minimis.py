"""Grant decisions carry de minimis aid into the registry's shared ledger (ADR 0132)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

pytestmark = pytest.mark.django_db


def test_a_grant_decision_records_and_removes_its_de_minimis_aid(funding, make_decision):
    from civsam.funding.services.de_minimis import grant_decision_de_minimis_set
    from civsam.registry.models import DeMinimisAid

    decision = make_decision(amount_granted=Decimal("3400000"))
    with pytest.raises(PermissionDenied):
        grant_decision_de_minimis_set(
            actor=funding["officer_kumla"], decision=decision, amount_sek=Decimal(1000), sek_per_eur=Decimal(11)
        )
    entry = grant_decision_de_minimis_set(
        actor=funding["officer"],
        decision=decision,
        amount_sek=Decimal("3300000"),
        sek_per_eur=Decimal("11"),
        rate_source="Riksbanken",
    )
    assert entry.amount_eur == Decimal("300000.00") and entry.organisation == decision.recipient
    with pytest.raises(ValidationError):
        grant_decision_de_minimis_set(
            actor=funding["officer"], decision=decision, amount_sek=Decimal("3300011"), sek_per_eur=Decimal("11")
        )
    grant_decision_de_minimis_set(actor=funding["officer"], decision=decision, amount_sek=None)
    assert not DeMinimisAid.objects.exists()
