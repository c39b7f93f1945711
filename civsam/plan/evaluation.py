"""The evaluation of a whole plan period: its data snapshot and the source a rendering shows.

Like the annual report (report.py), everything the evaluation shows comes from one JSON snapshot,
built by `evaluation_snapshot_build` and stored at publication, so the published evaluation shows
the same figures whenever and wherever it is rendered (page, PDF, API). It gathers:

- the yearly follow-up reports of the period (published ones with their overall progress);
- every indicator of the plan with its whole series against its targets over the period;
- the initiatives of the period by status and focus area;
- the consultations on this plan and on the plan that follows it (the evaluation is the next
  plan's input), with the dispositions of the responses the public may read.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections import Counter
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from . import indicator_status, permissions
from .models import (
    Consultation,
    ConsultationResponse,
    FollowUpReport,
    Initiative,
    InitiativeStatus,
    PeriodEvaluation,
    PeriodEvaluationText,
    Plan,
)
from .report import _num
from .selectors import plan_indicators

SNAPSHOT_VERSION = 1
SECTIONS = PeriodEvaluation.Section.values


def _period_initiatives(plan: Plan):
    start, end = datetime.date(plan.start_year, 1, 1), datetime.date(plan.end_year, 12, 31)
    return Initiative.objects.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))


def _initiatives(plan: Plan) -> dict[str, Any]:
    """Initiatives active in the period, counted per focus area and status (an initiative serving
    two focus areas counts in both; the total counts it once)."""
    period = _period_initiatives(plan)
    links = (
        Initiative.priority_areas.through.objects.filter(
            priorityarea__focus_area__plan=plan, initiative__in=period.values("pk")
        )
        .values("priorityarea__focus_area__number", "initiative__status_id")
        .annotate(n=Count("initiative", distinct=True))
    )
    cells = {(row["priorityarea__focus_area__number"], row["initiative__status_id"]): row["n"] for row in links}
    in_plan = period.filter(
        pk__in=Initiative.priority_areas.through.objects.filter(priorityarea__focus_area__plan=plan).values(
            "initiative"
        )
    )
    totals = Counter(status_id for status_id in in_plan.values_list("status_id", flat=True))
    statuses = list(InitiativeStatus.objects.order_by("sort_order", "pk"))
    used = [s for s in statuses if totals.get(s.pk) or any(k[1] == s.pk for k in cells)]
    rows = [
        {
            "number": fa.number,
            "title_sv": fa.title_sv,
            "title_en": fa.title_en,
            "counts": [cells.get((fa.number, s.pk), 0) for s in used],
            "total": sum(cells.get((fa.number, s.pk), 0) for s in used),
        }
        for fa in plan.focus_areas.order_by("number")
    ]
    return {
        "statuses": [{"name_sv": s.name_sv, "name_en": s.name_en or s.name_sv} for s in used],
        "rows": rows,
        "totals": [totals.get(s.pk, 0) for s in used],
        "total": sum(totals.values()),
    }


def _consultations(plan: Plan) -> list[dict[str, Any]]:
    following = Plan.objects.filter(start_year=plan.end_year + 1).values("pk")
    consultations = (
        Consultation.objects.filter(Q(plan=plan) | Q(plan__in=following))
        .select_related("plan")
        .order_by("deadline", "pk")
    )
    labels = dict(ConsultationResponse.Disposition.choices)
    out = []
    for consultation in consultations:
        responses = list(
            consultation.responses.select_related("organisation", "municipality", "consultation").order_by("pk")
        )
        dispositions = Counter(r.disposition or "" for r in responses)
        # The dispositions are public with the compiled report (ADR 0109), once it is published.
        published = consultation.report_published_at is not None
        public = [r for r in responses if permissions.is_response_public(r)] if published else []
        out.append(
            {
                "title": consultation.title,
                "plan_title_sv": consultation.plan.title_sv,
                "plan_title_en": consultation.plan.title_en,
                "own_plan": consultation.plan_id == plan.pk,
                "deadline": consultation.deadline.isoformat(),
                "closed": consultation.status == Consultation.Status.CLOSED,
                "report_published": published,
                "responses": len(responses),
                "dispositions": [
                    {"code": code, "label_sv": str(label), "count": dispositions.get(code, 0)}
                    for code, label in labels.items()
                ],
                "undecided": dispositions.get("", 0),
                # Only what anyone may read: after closing, not withheld, a private person unnamed.
                "public_dispositions": [
                    {
                        "respondent": r.public_respondent,
                        "disposition": r.disposition,
                        "reason": r.disposition_reason,
                        "change": r.disposition_change,
                    }
                    for r in public
                    if r.disposition
                ],
            }
        )
    return out


def evaluation_snapshot_build(plan: Plan) -> dict[str, Any]:
    years = range(plan.start_year, plan.end_year + 1)
    reports = []
    for report in FollowUpReport.objects.filter(plan=plan).order_by("year"):
        published = report.status == FollowUpReport.Status.PUBLISHED and report.snapshot
        reports.append(
            {
                "year": report.year,
                "published": bool(published),
                "published_on": (
                    timezone.localdate(report.published_at).isoformat() if published and report.published_at else None
                ),
                "progress": report.snapshot.get("progress") if published else None,
                "completed": len(report.snapshot.get("completed", [])) if published else None,
                "ongoing": len(report.snapshot.get("ongoing", [])) if published else None,
            }
        )
    indicators = []
    status_counts: Counter[str] = Counter()
    for series in plan_indicators(plan):
        ind = series.indicator
        points = [p for p in series.points if p.year in years]
        last = next((p for p in reversed(points) if p.actual is not None or p.target is not None), None)
        status = last.status if last else indicator_status.NO_TARGET
        status_counts[status] += 1
        indicators.append(
            {
                "code": ind.code,
                "name_sv": ind.name_sv,
                "name_en": ind.name_en or ind.name_sv,
                "unit": ind.unit,
                "decimals": ind.decimals,
                "direction": ind.direction,
                "computed": ind.kind == ind.Kind.COMPUTED,
                "baseline_year": ind.baseline_year,
                "baseline_value": _num(ind.baseline_value),
                "status": status,
                "series": [{"year": p.year, "target": _num(p.target), "actual": _num(p.actual)} for p in points],
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "built_at": timezone.now().isoformat(timespec="seconds"),
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
        "reports": reports,
        "indicators": indicators,
        "indicator_statuses": dict(sorted(status_counts.items())),
        "initiatives": _initiatives(plan),
        "consultations": _consultations(plan),
    }


def texts_current(evaluation: PeriodEvaluation) -> dict[str, PeriodEvaluationText]:
    """The newest version of each section's text."""
    current: dict[str, PeriodEvaluationText] = {}
    for text in evaluation.texts.order_by("section", "-version"):
        current.setdefault(text.section, text)
    return current


def texts_published(evaluation: PeriodEvaluation) -> dict[str, PeriodEvaluationText]:
    """The version of each section's text that was current when the evaluation was published."""
    pinned = evaluation.published_versions or {}
    rows = evaluation.texts.filter(
        Q(*[Q(section=s, version=v) for s, v in pinned.items()], _connector=Q.OR) if pinned else Q(pk__in=[])
    )
    return {text.section: text for text in rows}


def _plain(texts: dict[str, PeriodEvaluationText]) -> dict[str, dict[str, Any]]:
    return {s: {"version": t.version, "sv": t.body_sv, "en": t.body_en} for s, t in sorted(texts.items())}


@dataclasses.dataclass(frozen=True)
class EvaluationSource:
    """What a rendering of the evaluation shows: the figures, the texts per section, the publication."""

    snapshot: dict[str, Any]
    texts: dict[str, dict[str, Any]]  # section → {"version", "sv", "en"}
    published_at: datetime.datetime | None

    @property
    def version(self) -> str:
        """A hash of everything shown, so equal content gives an equal version (and one PDF)."""
        figures = {k: v for k, v in self.snapshot.items() if k != "built_at" or self.published_at}
        payload = {
            "figures": figures,
            "texts": self.texts,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def evaluation_source(evaluation: PeriodEvaluation) -> EvaluationSource:
    """A published evaluation's stored figures and pinned texts; a draft's built afresh."""
    if evaluation.is_published and evaluation.snapshot:
        return EvaluationSource(evaluation.snapshot, _plain(texts_published(evaluation)), evaluation.published_at)
    return EvaluationSource(evaluation_snapshot_build(evaluation.plan), _plain(texts_current(evaluation)), None)
