"""Reads of agreements: the public list with its filters, one agreement with its parts, and the
county overview (by priority area, municipality, party, sector and year; contributions summed per
party and year)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from civsam.registry.models import Organisation

from . import contributions
from .models import Agreement, Contribution, GovernanceGroup, Party


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    municipality: int | None = None
    priority_area: int | None = None
    organisation: int | None = None
    sector: str = ""
    year: int | None = None
    status: str = ""


def in_force_q(year: int) -> Q:
    """Signed, begun by the year's end, not ended (or run out) before it began."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Q(status__in=Agreement.SIGNED, starts_on__lte=last)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    )


def filtered(qs: QuerySet[Agreement], filters: Filters) -> QuerySet[Agreement]:
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.municipality:
        qs = qs.filter(municipality_id=filters.municipality)
    if filters.priority_area:
        qs = qs.filter(priority_areas=filters.priority_area)
    if filters.organisation:
        qs = qs.filter(parties__organisation_id=filters.organisation, parties__status=Party.Status.ACCEPTED)
    if filters.sector:
        qs = qs.filter(parties__organisation__sector=filters.sector, parties__status=Party.Status.ACCEPTED)
    if filters.year:
        qs = qs.filter(in_force_q(filters.year))
    return qs.distinct()


def accepted_parties() -> Prefetch:
    return Prefetch(
        "parties",
        queryset=Party.objects.filter(status=Party.Status.ACCEPTED).select_related("organisation"),
        to_attr="accepted_parties",
    )


def agreement_list(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return qs.select_related("owner", "municipality").prefetch_related(accepted_parties(), "priority_areas__focus_area")


def agreement_detail(pk: int, qs: QuerySet[Agreement]) -> Agreement:
    return (
        qs.select_related("owner", "municipality", "assessment__aid_recipient__organisation")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organisation").order_by("role", "organisation__name_key"),
            ),
            "priority_areas__focus_area",
            "goals__priority_area__focus_area",
            Prefetch("groups", queryset=GovernanceGroup.objects.prefetch_related("members__party__organisation")),
            "documents",
            "reports",
        )
        .get(pk=pk)
    )


def agreement_contributions(agreement: Agreement) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(party__agreement=agreement)
        .select_related("party__organisation")
        .order_by("year", "party__organisation__name_key", "kind", "id")
    )


def contributions_by_agreement(agreements: Iterable[Agreement]) -> dict[int, list[Contribution]]:
    """The contributions of a page of agreements in one query, in agreement_contributions' order."""
    by_agreement: dict[int, list[Contribution]] = {a.pk: [] for a in agreements}
    rows = (
        Contribution.objects.filter(party__agreement__in=list(by_agreement))
        .select_related("party__organisation")
        .order_by("year", "party__organisation__name_key", "kind", "id")
    )
    for row in rows:
        by_agreement[row.party.agreement_id].append(row)
    return by_agreement


@dataclass
class PartyYear:
    organisation: str
    sector: str
    year: int
    totals: contributions.Totals


def contribution_totals(agreements: QuerySet[Agreement]) -> list[PartyYear]:
    """Contributions summed per party (organisation) and year over the given agreements."""
    rows = Contribution.objects.filter(party__agreement__in=agreements).values_list(
        "party__organisation__name", "party__organisation__sector", "year", "kind", "value_sek", "quantity"
    )
    sectors: dict[str, str] = {}
    lines = []
    for name, sector, year, kind, value, quantity in rows:
        sectors[name] = str(Organisation.Sector(sector).label) if sector in Organisation.Sector.values else sector
        hours = quantity if kind in contributions.IN_HOURS else Decimal(0)
        lines.append(contributions.Line(name, year, kind, value, hours))
    totals = contributions.totals_by_party_and_year(lines)
    return [
        PartyYear(name, sectors[name], year, t)
        for (name, year), t in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0]))
    ]


@dataclass
class Overview:
    total: int = 0
    by_kind: Counter = field(default_factory=Counter)
    by_area: Counter = field(default_factory=Counter)
    by_municipality: Counter = field(default_factory=Counter)
    by_sector: Counter = field(default_factory=Counter)  # parties per sector
    by_party: Counter = field(default_factory=Counter)
    by_year: dict[int, int] = field(default_factory=dict)  # agreements in force per year
    iops_by_year: dict[int, int] = field(default_factory=dict)


def overview(agreements: QuerySet[Agreement], *, years: list[int]) -> Overview:
    """Counts over the given (signed, public) agreements, in a few queries."""
    result = Overview()
    rows = list(
        agreements.select_related("municipality").prefetch_related(accepted_parties(), "priority_areas__focus_area")
    )
    result.total = len(rows)
    per_year: dict[int, int] = defaultdict(int)
    iops: dict[int, int] = defaultdict(int)
    for a in rows:
        result.by_kind[a.get_kind_display()] += 1
        result.by_municipality[a.municipality.name if a.municipality_id else ""] += 1
        for area in a.priority_areas.all():
            result.by_area[str(area)] += 1
        for party in a.accepted_parties:
            result.by_sector[party.organisation.get_sector_display()] += 1
            result.by_party[party.organisation.name] += 1
        for year in years:
            if a.active_in(year):
                per_year[year] += 1
                if a.kind == Agreement.Kind.IOP:
                    iops[year] += 1
    # Lists of (label, count), largest first: a template reads a Counter's attributes as missing keys.
    for name in ("by_kind", "by_area", "by_municipality", "by_sector", "by_party"):
        setattr(result, name, getattr(result, name).most_common())
    result.by_year = {y: per_year.get(y, 0) for y in years}
    result.iops_by_year = {y: iops.get(y, 0) for y in years}
    return result


def agreements_of_organisation(organisation, qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return (
        qs.filter(parties__organisation=organisation, parties__status=Party.Status.ACCEPTED)
        .distinct()
        .select_related("owner")
        .order_by("-starts_on", "title")
    )


def volunteer_hour_rate():
    """The newest hourly value of volunteer work in the social-value proxy library (impact), or None."""
    from civsam.impact.models import FinancialProxy

    return (
        FinancialProxy.objects.filter(category=FinancialProxy.Category.VOLUNTEERING, unit="timme")
        .order_by("-price_year", "id")
        .first()
    )


@dataclass(frozen=True)
class Training:
    event: object
    respondents_before: int
    respondents_after: int
    mean_before: float | None
    mean_after: float | None
    change: float | None


def trainings(area_ids: list[int], *, limit: int = 20) -> list[Training]:
    """Published events tagged with the priority areas that have a knowledge survey, newest first,
    with the survey's change before → after over all respondents (cells under five suppressed by
    the meetings app's survey statistics)."""
    from civsam.meetings.models import Event, Survey
    from civsam.meetings.selectors import knowledge_change
    from civsam.meetings.survey_stats import ALL

    if not area_ids:
        return []
    events = (
        Event.objects.filter(is_public=True, priority_areas__in=area_ids, surveys__kind=Survey.Kind.KNOWLEDGE)
        .distinct()
        .order_by("-starts_at")[:limit]
    )
    result = []
    for event in events:
        overall = next((g for g in knowledge_change(event) if g.group == ALL), None)
        if overall is None:
            result.append(Training(event, 0, 0, None, None, None))
        else:
            result.append(
                Training(
                    event, overall.n_before, overall.n_after, overall.mean_before, overall.mean_after, overall.change
                )
            )
    return result
