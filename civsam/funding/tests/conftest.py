"""Fixtures of the funding tests: the reference funders and sources, decisions, files."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest


@pytest.fixture
def funding(users):
    """The reference funders and sources, loaded as at start-up, and the users of every role."""
    from civsam.funding.models import Funder, FundingSource
    from civsam.funding.services import funding_sources_load_reference

    funding_sources_load_reference()
    return {
        **users,
        "region": Funder.objects.get(reference_key="region"),
        "orebro": Funder.objects.get(municipality__code="1880"),
        "kumla": Funder.objects.get(municipality__code="1881"),
        "arvsfonden": Funder.objects.get(reference_key="arvsfonden"),
        "orebro_source": FundingSource.objects.get(reference_key="foreningsbidrag-1880"),
        "kumla_source": FundingSource.objects.get(reference_key="foreningsbidrag-1881"),
        "innovation": FundingSource.objects.get(reference_key="utvecklingsmedel-social-innovation"),
    }


@pytest.fixture
def make_decision(funding):
    """A decision through the service; keyword arguments override the defaults."""
    from civsam.funding.services import GrantDecisionData, grant_decision_create

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields.setdefault("funder", funding["orebro"])
        fields.setdefault("recipient", funding["own_org"])
        fields.setdefault("case_number", f"KS 2025/{counter['n']}")
        fields.setdefault("amount_granted", Decimal("10000"))
        fields.setdefault("year_from", 2025)
        fields.setdefault("year_to", fields["year_from"])
        fields.setdefault("decision_date", datetime.date(fields["year_from"] - 1, 12, 1))
        return grant_decision_create(actor=None, data=GrantDecisionData(**fields))

    return make


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";") -> bytes:
    return ("\n".join(delimiter.join(row) for row in rows) + "\n").encode("utf-8")


HEADER = [
    "diarienummer",
    "organisationsnummer",
    "mottagare",
    "program",
    "bidragsform",
    "sökt belopp",
    "beviljat belopp",
    "utbetalt belopp",
    "år",
    "beslutsdatum",
    "ändamål",
]
