"""The annual follow-up report: its data snapshot, and the view of a snapshot the template renders.

`snapshot_build` reads the database once and returns plain JSON (numbers as strings, titles in
both languages). Everything the report shows comes from that snapshot, so a published report,
whose snapshot is stored, shows the same numbers whenever it is rendered (docs/adr/0010-*).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language

from . import extensions, indicator_status
from .models import Initiative, InitiativeStatus, ParticipantCount, Plan, ReportText
from .selectors import InitiativeFilter, initiatives_by_frame, plan_indicators, plan_progress
from .selectors.followup import initiatives_filter

SNAPSHOT_VERSION = 1
SUPPRESS_BELOW = 5  # person-based counts under 5 are not published (DESIGN: GDPR)


def _num(value: Decimal | float | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.1f}"
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral() else str(value.normalize())


def snapshot_build(plan: Plan, year: int) -> dict[str, Any]:
    flt = InitiativeFilter(year=year)
    tree = plan_progress(plan.slug, flt)
    focus_areas = []
    for fa_row in tree.focus_areas:
        fa = fa_row.focus_area
        focus_areas.append(
            {
                "number": fa.number,
                "title_sv": fa.title_sv,
                "title_en": fa.title_en,
                "progress": _num(fa_row.value),
                "leaves": fa_row.leaves,
                "priority_areas": [
                    {
                        "code": row.area.code,
                        "title_sv": row.area.title_sv,
                        "title_en": row.area.title_en,
                        "progress": _num(row.value),
                        "initiatives": len(row.initiatives),
                        "leaves": row.leaves,
                    }
                    for row in fa_row.areas
                ],
            }
        )
    in_year = list(
        initiatives_filter(Initiative.objects.all(), InitiativeFilter(plan=plan, year=year))
        .select_related("status", "lead_organisation", "lead_municipality")
        .prefetch_related("priority_areas__focus_area", "municipalities", "principles", "roles")
        .order_by("title", "id")
    )
    completed, ongoing = [], []
    municipality_counts: Counter[str] = Counter()
    principle_counts: Counter[tuple] = Counter()
    role_counts: Counter[tuple] = Counter()
    for initiative in in_year:
        codes = sorted(pa.code for pa in initiative.priority_areas.all() if pa.focus_area.plan_id == plan.pk)
        item = {
            "id": initiative.pk,
            "title": initiative.title,
            "lead": initiative.lead_display,
            "areas": codes,
            "progress": initiative.progress,
            "status_sv": initiative.status.name_sv,
            "status_en": initiative.status.name_en,
            "verified": initiative.is_verified,
        }
        kind = initiative.status.kind
        finished_this_year = kind == InitiativeStatus.Kind.COMPLETED and (
            initiative.end_date is None or initiative.end_date.year <= year
        )
        if finished_this_year:
            completed.append(item)
        elif kind != InitiativeStatus.Kind.CANCELLED:
            ongoing.append(item)
        for municipality in initiative.municipalities.all():
            municipality_counts[municipality.name] += 1
        for principle in initiative.principles.all():
            principle_counts[(principle.sort_order, principle.name_sv, principle.name_en)] += 1
        for role in initiative.roles.all():
            role_counts[(role.sort_order, role.name_sv, role.name_en)] += 1
    from civsam.core.models import Municipality

    municipalities = [
        {"code": m.code, "name": m.name, "initiatives": municipality_counts.get(m.name, 0)}
        for m in Municipality.objects.order_by("name")
    ]
    indicators = []
    for series in plan_indicators(plan):
        ind = series.indicator
        point = series.point(year)
        indicators.append(
            {
                "code": ind.code,
                "name_sv": ind.name_sv,
                "name_en": ind.name_en or ind.name_sv,
                "unit": ind.unit,
                "direction": ind.direction,
                "decimals": ind.decimals,
                "level": ind.priority_area.code
                if ind.priority_area_id
                else (str(ind.focus_area.number) if ind.focus_area_id else ""),
                "baseline_year": ind.baseline_year,
                "baseline_value": _num(ind.baseline_value),
                "status": point.status if point else indicator_status.NO_TARGET,
                "series": [
                    {"year": p.year, "target": _num(p.target), "actual": _num(p.actual), "source": p.source}
                    for p in series.points
                    if p.year <= year
                ],
            }
        )
    participants = (
        ParticipantCount.objects.filter(year=year, initiative__in=[i.pk for i in in_year])
        .values("gender", "age_band")
        .annotate(total=Sum("count"))
        .order_by("gender", "age_band")
    )
    return {
        "version": SNAPSHOT_VERSION,
        "built_at": timezone.now().isoformat(timespec="seconds"),
        "year": year,
        "plan": {
            "id": plan.pk,
            "slug": plan.slug,
            "title_sv": plan.title_sv,
            "title_en": plan.title_en,
            "goal_sv": plan.goal_sv,
            "goal_en": plan.goal_en,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "progress": _num(tree.value),
        "focus_areas": focus_areas,
        "indicators": indicators,
        "completed": completed,
        "ongoing": ongoing,
        "municipalities": municipalities,
        "principles": [
            {"name_sv": sv, "name_en": en, "initiatives": n} for (_o, sv, en), n in sorted(principle_counts.items())
        ],
        "roles": [{"name_sv": sv, "name_en": en, "initiatives": n} for (_o, sv, en), n in sorted(role_counts.items())],
        "participants": [
            {
                "gender": row["gender"],
                "age_band": row["age_band"],
                # Cells under 5 are suppressed, never published.
                "count": row["total"] if row["total"] >= SUPPRESS_BELOW else None,
            }
            for row in participants
        ],
        # The initiatives by the strategies and Agenda 2030 goals they serve (ADR 0122).
        "frame": _frame_sections(in_year),
        # What other apps add (civsam.plan.extensions), e.g. the co-financing per source and year.
        "sections": {section.key: section.build(plan, year) for section in extensions.report_sections()},
    }


def _frame_sections(initiatives: list[Initiative]) -> list[dict[str, Any]]:
    """The year's initiatives grouped kind by kind and tag by tag; an initiative serves a tag when it
    or one of its areas names it."""
    return [
        {
            "kind": section.kind,
            "tags": [
                {
                    "code": item.tag.code,
                    "number": item.tag.number,
                    "name_sv": item.tag.name_sv,
                    "name_en": item.tag.name_en,
                    "initiatives": [{"id": i.pk, "title": i.title, "lead": i.lead_display} for i in item.initiatives],
                }
                for item in section.tags
            ],
        }
        for section in initiatives_by_frame(initiatives)
    ]


def localised(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with `title`, `name`, ... picked for the active language, for the template."""
    english = (get_language() or "sv").startswith("en")
    suffix = "_en" if english else "_sv"

    def pick(node: Any) -> Any:
        if isinstance(node, dict):
            out = {key: pick(value) for key, value in node.items()}
            for key, value in node.items():
                if key.endswith(suffix):
                    base = key[: -len(suffix)]
                    other = node.get(base + "_sv")
                    out[base] = value or other
            return out
        if isinstance(node, list):
            return [pick(item) for item in node]
        return node

    return pick(snapshot)


def built_at(snapshot: dict[str, Any]) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(snapshot["built_at"])
    except (KeyError, ValueError):
        return None


@dataclasses.dataclass(frozen=True)
class ReportSource:
    """What a rendering of the report shows: the figures, the coordinator's text, the publication."""

    snapshot: dict[str, Any]
    text: ReportText | None
    published_at: datetime.datetime | None

    @property
    def version(self) -> str:
        """The data version: a hash of everything shown, so equal data gives an equal version."""
        figures = {k: v for k, v in self.snapshot.items() if k != "built_at" or self.published_at}
        payload = {
            "figures": figures,
            "text": [self.text.pk, self.text.version] if self.text else None,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def report_source(report) -> ReportSource:
    """A published report's stored figures and pinned text; a draft's figures built afresh."""
    if report.status == report.Status.PUBLISHED and report.snapshot:
        return ReportSource(report.snapshot, report.published_text, report.published_at)
    return ReportSource(snapshot_build(report.plan, report.year), report.texts.first(), None)
