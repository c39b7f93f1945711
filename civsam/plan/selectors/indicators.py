"""Indicators with their targets and values, and their status for a year (indicator_status.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from .. import indicator_status
from ..models import FocusArea, Indicator, IndicatorValue, IndicatorValueRevision, Initiative, Plan, PriorityArea


@dataclass(frozen=True)
class YearPoint:
    year: int
    target: Decimal | None
    actual: Decimal | None
    source: str
    comment: str
    status: str

    @property
    def status_label(self) -> str:
        return str(indicator_status.LABELS[self.status])

    def covered_percent(self, indicator: Indicator) -> Decimal | None:
        """How much of the way from the baseline to the target the value has come, in per cent."""
        if self.target is None or self.actual is None:
            return None
        share = indicator_status.covered_share(
            higher_is_better=indicator.direction == Indicator.Direction.HIGHER,
            baseline=indicator.baseline_value,
            target=self.target,
            actual=self.actual,
        )
        return (share * 100).quantize(Decimal(1))


@dataclass(frozen=True)
class IndicatorSeries:
    indicator: Indicator
    points: list[YearPoint]

    def point(self, year: int) -> YearPoint | None:
        return next((p for p in self.points if p.year == year), None)

    @property
    def latest(self) -> YearPoint | None:
        with_value = [p for p in self.points if p.actual is not None]
        return with_value[-1] if with_value else None

    @property
    def level_label(self) -> str:
        ind = self.indicator
        if ind.initiative_id:
            return ind.initiative.title
        if ind.priority_area_id:
            return f"{ind.priority_area.code} {ind.priority_area.title}"
        if ind.focus_area_id:
            return str(ind.focus_area)
        return str(ind.plan.goal)


def indicators_qs() -> QuerySet[Indicator]:
    return Indicator.objects.select_related(
        "plan",
        "focus_area",
        "priority_area__focus_area",
        "initiative",
    ).prefetch_related("targets", Prefetch("values", queryset=IndicatorValue.objects.order_by("year")))


def series_for(indicator: Indicator) -> IndicatorSeries:
    """Every year that has a target or a value; targets and values must be prefetched."""
    targets = {t.year: t.value for t in indicator.targets.all()}
    values = {v.year: v for v in indicator.values.all()}
    higher = indicator.direction == Indicator.Direction.HIGHER
    points = []
    for year in sorted(set(targets) | set(values)):
        value = values.get(year)
        actual = value.value if value else None
        points.append(
            YearPoint(
                year,
                targets.get(year),
                actual,
                value.source if value else "",
                value.comment if value else "",
                indicator_status.indicator_status(
                    higher_is_better=higher, baseline=indicator.baseline_value, target=targets.get(year), actual=actual
                ),
            )
        )
    return IndicatorSeries(indicator, points)


def plan_indicators(
    plan: Plan, *, focus_area: FocusArea | None = None, priority_area: PriorityArea | None = None
) -> list[IndicatorSeries]:
    qs = indicators_qs().filter(plan=plan)
    if focus_area is not None:
        qs = qs.filter(focus_area=focus_area)
    if priority_area is not None:
        qs = qs.filter(priority_area=priority_area)
    return [series_for(ind) for ind in qs.order_by("focus_area__number", "priority_area__number", "code")]


def indicator_by_code(code: str) -> Indicator | None:
    return indicators_qs().filter(code=code).first()


def value_history(indicator: Indicator) -> list[IndicatorValueRevision]:
    """The values that were replaced, newest year first and, within a year, the latest replaced first."""
    return list(IndicatorValueRevision.objects.filter(indicator=indicator).order_by("-year", "-replaced_at", "-id"))


def initiatives_serving_plan(plan: Plan) -> QuerySet[Initiative]:
    """The initiatives an indicator of the plan may be attached to."""
    return Initiative.objects.filter(priority_areas__focus_area__plan=plan).distinct().order_by("title", "id")
