"""Reads for the follow-up: filtered initiatives of a plan (the progress tree is in progress_tree.py)."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from ..models import FrameTag, Indicator, Initiative, InitiativeStatus, Plan, PriorityArea
from .frame import serving_q

MAX_DEPTH = 25  # sub-initiatives deeper than this are not followed (a guard, not a limit anyone meets)


@dataclass(frozen=True)
class InitiativeFilter:
    plan: Plan | None = None
    focus_area: int | None = None  # number within the plan
    priority_area_id: int | None = None
    status: str | None = None  # status code
    status_kind: str | None = None
    municipality: str | None = None  # municipality code
    organisation_id: int | None = None
    year: int | None = None
    ids: tuple[int, ...] | None = None
    frame_tag: str | None = None  # a FrameTag code: the initiatives that serve it (ADR 0122)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.focus_area,
                self.priority_area_id,
                self.status,
                self.status_kind,
                self.municipality,
                self.organisation_id,
                self.year,
                self.frame_tag,
            )
        )


def initiatives_filter(qs: QuerySet[Initiative], flt: InitiativeFilter) -> QuerySet[Initiative]:
    """Apply a filter; multi-valued conditions go through id subqueries so that rows stay distinct."""
    if flt.plan is not None or flt.focus_area is not None:
        areas = PriorityArea.objects.all()
        if flt.plan is not None:
            areas = areas.filter(focus_area__plan=flt.plan)
        if flt.focus_area is not None:
            areas = areas.filter(focus_area__number=flt.focus_area)
        qs = qs.filter(
            pk__in=Initiative.priority_areas.through.objects.filter(priorityarea__in=areas).values("initiative")
        )
    if flt.priority_area_id is not None:
        qs = qs.filter(
            pk__in=Initiative.priority_areas.through.objects.filter(priorityarea_id=flt.priority_area_id).values(
                "initiative"
            )
        )
    if flt.status:
        qs = qs.filter(status__code=flt.status)
    if flt.status_kind:
        qs = qs.filter(status__kind=flt.status_kind)
    if flt.municipality:
        covered = Initiative.municipalities.through.objects.filter(municipality__code=flt.municipality)
        qs = qs.filter(
            Q(pk__in=covered.values("initiative"))
            | Q(lead_municipality__code=flt.municipality)
            | Q(lead_organisation__municipality__code=flt.municipality)
        )
    if flt.organisation_id:
        partners = Initiative.partner_organisations.through.objects.filter(organisation_id=flt.organisation_id)
        qs = qs.filter(Q(lead_organisation_id=flt.organisation_id) | Q(pk__in=partners.values("initiative")))
    if flt.year:
        end_of_year = datetime.date(flt.year, 12, 31)
        start_of_year = datetime.date(flt.year, 1, 1)
        qs = qs.filter(start_date__lte=end_of_year).filter(Q(end_date__isnull=True) | Q(end_date__gte=start_of_year))
    if flt.ids is not None:
        qs = qs.filter(pk__in=flt.ids)
    if flt.frame_tag:
        qs = qs.filter(serving_q(FrameTag.objects.filter(code=flt.frame_tag).values("pk")))
    return qs


def initiative_list(flt: InitiativeFilter) -> QuerySet[Initiative]:
    """Initiatives with what a list row shows, in a fixed number of queries."""
    return (
        initiatives_filter(Initiative.objects.all(), flt)
        .select_related("status", "lead_organisation", "lead_municipality")
        .prefetch_related(
            Prefetch("priority_areas", queryset=PriorityArea.objects.select_related("focus_area__plan")),
            "municipalities",
            "frame_tags",
        )
        .order_by("title", "id")
    )


def initiative_detail(pk: int) -> Initiative | None:
    """An initiative with everything its page shows (the meetings app adds its meetings by template tag)."""
    return (
        Initiative.objects.select_related("status", "lead_organisation", "lead_municipality", "parent", "verified_by")
        .prefetch_related(
            Prefetch("priority_areas", queryset=PriorityArea.objects.select_related("focus_area__plan")),
            "partner_organisations",
            "principles",
            "roles",
            "frame_tags",
            "municipalities",
            "milestones",
            "funding",
            "outputs",
            "participants",
            "links",
            Prefetch("children", queryset=Initiative.objects.select_related("status").order_by("title")),
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets", "values")),
        )
        .filter(pk=pk)
        .first()
    )


def initiative_version(initiative: Initiative) -> str:
    """A strong validator of the initiative as stored and as shown (docs/adr/0048-*).

    updated_at changes with every write through the services (they always save the row, also for a
    change of only the related sets, milestones, funding, outputs or links); the rest is what the
    initiative shows from other rows, which changes without touching it: a renamed lead
    organisation, a status's new code, a priority area's new title. Language-independent, so that a
    form and an API client reading in different languages agree. Uses the related sets as loaded
    (initiative_list's prefetches make it free for a page of initiatives).
    """
    status = initiative.status
    shown = [
        initiative.pk,
        initiative.updated_at.isoformat(),
        initiative.verified_at.isoformat() if initiative.verified_at else None,
        [status.code, status.kind],
        initiative.lead_organisation.name if initiative.lead_organisation_id else None,
        initiative.lead_municipality.code if initiative.lead_municipality_id else None,
        initiative.lead_municipality.name if initiative.lead_municipality_id else None,
        [[pa.pk, pa.code, pa.title_sv, pa.focus_area.plan.slug] for pa in initiative.priority_areas.all()],
        sorted(o.pk for o in initiative.partner_organisations.all()),
        sorted(p.code for p in initiative.principles.all()),
        sorted(r.code for r in initiative.roles.all()),
        sorted(t.code for t in initiative.frame_tags.all()),
        sorted(m.code for m in initiative.municipalities.all()),
    ]
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:32]


def initiative_statuses() -> list[InitiativeStatus]:
    return list(InitiativeStatus.objects.all())
