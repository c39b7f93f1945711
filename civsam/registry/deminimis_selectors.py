"""Reads of the de minimis ledger (ADR 0132): an organisation's entries and the verdict on new aid."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import QuerySet

from . import deminimis
from .models import DeMinimisAid, Organisation


def de_minimis_entries(organisation: Organisation, *, exclude_source: str = "") -> QuerySet[DeMinimisAid]:
    qs = DeMinimisAid.objects.filter(organisation=organisation).order_by("-granted_on", "id")
    return qs.exclude(source=exclude_source) if exclude_source else qs


def de_minimis_verdict(
    organisation: Organisation,
    *,
    granted_on: datetime.date,
    amount_sek: Decimal,
    sek_per_eur: Decimal,
    regime: str,
    exclude_source: str = "",
) -> deminimis.Verdict:
    """Would this aid keep the organisation within the ceiling? Entries from `exclude_source` (the
    same grant or agreement recorded before) are left out, so that re-recording does not count twice."""
    since = deminimis.three_years_before(granted_on)
    rows = de_minimis_entries(organisation, exclude_source=exclude_source).filter(
        granted_on__gt=since, granted_on__lte=granted_on
    )
    new = deminimis.Entry(granted_on, Decimal(amount_sek), Decimal(sek_per_eur), regime)
    return deminimis.check([row.as_entry() for row in rows], new)
