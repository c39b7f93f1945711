"""The plan app's models: the plan tree, its follow-up (initiatives, indicators) and the annual report."""

from .consultation import Consultation, ConsultationResponse, ResponseAttachment, ResponseSection
from .decisions import PlanDecision, PlanText
from .document import PlanContact, PlanDocument
from .evaluation import PeriodEvaluation, PeriodEvaluationPdf, PeriodEvaluationText
from .followup import (
    Initiative,
    InitiativeFunding,
    InitiativeLink,
    InitiativeOutput,
    InitiativeStatus,
    Milestone,
    ParticipantCount,
)
from .frame import FrameTag
from .indicator_history import IndicatorValueRevision
from .indicators import Indicator, IndicatorTarget, IndicatorValue
from .reports import FollowUpReport, ReportPdf, ReportText
from .tree import FocusArea, Plan, PriorityArea, RollUp

__all__ = [
    "Consultation",
    "ConsultationResponse",
    "FocusArea",
    "FollowUpReport",
    "FrameTag",
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "IndicatorValueRevision",
    "Initiative",
    "InitiativeFunding",
    "InitiativeLink",
    "InitiativeOutput",
    "InitiativeStatus",
    "Milestone",
    "ParticipantCount",
    "PeriodEvaluation",
    "PeriodEvaluationPdf",
    "PeriodEvaluationText",
    "Plan",
    "PlanContact",
    "PlanDecision",
    "PlanDocument",
    "PlanText",
    "PriorityArea",
    "ReportPdf",
    "ReportText",
    "ResponseAttachment",
    "ResponseSection",
    "RollUp",
]
