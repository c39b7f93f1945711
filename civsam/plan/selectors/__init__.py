"""Reads in the plan app, with the joins done up front."""

from .consultations import (
    PublicResponse,
    SectionSummary,
    consultation_get,
    consultation_list_public,
    consultation_summary,
    public_responses,
    public_view,
)
from .followup import (
    InitiativeFilter,
    initiative_detail,
    initiative_list,
    initiative_statuses,
    initiative_version,
    initiatives_filter,
)
from .indicators import (
    IndicatorSeries,
    YearPoint,
    indicator_by_code,
    indicators_qs,
    initiatives_serving_plan,
    plan_indicators,
    series_for,
    value_history,
)
from .progress_tree import AreaRow, FocusRow, InitiativeRow, InitiativeSummary, PlanProgress, plan_progress
from .tree import focus_area_get, plan_decisions, plan_in_force, plan_list, plan_with_tree, priority_area_get

__all__ = [
    "AreaRow",
    "FocusRow",
    "IndicatorSeries",
    "InitiativeFilter",
    "InitiativeRow",
    "InitiativeSummary",
    "PlanProgress",
    "PublicResponse",
    "SectionSummary",
    "YearPoint",
    "consultation_get",
    "consultation_list_public",
    "consultation_summary",
    "focus_area_get",
    "indicator_by_code",
    "indicators_qs",
    "initiative_detail",
    "initiative_list",
    "initiative_statuses",
    "initiative_version",
    "initiatives_filter",
    "initiatives_serving_plan",
    "plan_decisions",
    "plan_in_force",
    "plan_indicators",
    "plan_list",
    "plan_progress",
    "plan_with_tree",
    "priority_area_get",
    "public_responses",
    "public_view",
    "series_for",
    "value_history",
]
