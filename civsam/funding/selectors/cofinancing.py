"""Reads of the plan's co-financing: an initiative's funding lines and the sums per source and year
(ADR 0092), each one query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from civsam.plan.models import Initiative

from ..models import InitiativeFundingLine


@dataclass(frozen=True)
class CoFinancingRow:
    source_id: int
    source: str
    funder: str
    year: int
    amount: Decimal


def initiative_funding_lines(initiative) -> QuerySet[InitiativeFundingLine]:
    return (
        InitiativeFundingLine.objects.filter(initiative=initiative)
        .select_related("source__funder")
        .order_by("year", "source__name", "kind", "id")
    )


def co_financing_by_source_and_year(*, plan=None, year: int | None = None) -> list[CoFinancingRow]:
    """The amounts of every funding line summed per source and year, over one plan's initiatives
    (or all); one GROUP BY query whatever the number of initiatives."""
    qs = InitiativeFundingLine.objects.all()
    if plan is not None:
        # A subquery, not a join: an initiative serving several areas of the plan counts once.
        serving = Initiative.objects.filter(priority_areas__focus_area__plan=plan).values("pk")
        qs = qs.filter(initiative_id__in=serving)
    if year is not None:
        qs = qs.filter(year=year)
    rows = (
        qs.values("source_id", "source__name", "source__funder__name", "year")
        .annotate(total=Sum("amount"))
        .order_by("source__name", "source_id", "year")
    )
    return [
        CoFinancingRow(
            source_id=row["source_id"],
            source=row["source__name"],
            funder=row["source__funder__name"],
            year=row["year"],
            amount=Decimal(row["total"]).quantize(Decimal("0.01")),
        )
        for row in rows
    ]
