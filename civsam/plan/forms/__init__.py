"""Forms of the plan app, one module per subject; everything is importable from here."""

from .consultations import ConsultationOpenForm, ConsultationResponseForm, DispositionForm, SecrecyForm
from .decisions import ACTION_LABELS, PlanDecisionForm, PlanTextForm
from .document import (
    EvaluationPublishForm,
    EvaluationTextForm,
    PlanContactForm,
    PlanDocumentLinkForm,
    PlanDocumentUploadForm,
)
from .frame import AreaFrameForm
from .indicators import IndicatorForm, IndicatorTargetForm, IndicatorValueForm
from .initiative_short import InitiativeShortForm, plan_in_force
from .initiatives import (
    FollowUpFilterForm,
    FundingFormSet,
    ImportForm,
    InitiativeForm,
    LinkFormSet,
    MilestoneFormSet,
    OutputFormSet,
    formset_initial,
    funding_from,
    links_from,
    milestones_from,
    outputs_from,
)
from .reports import ReportTextForm, ReportYearForm

__all__ = [
    "ACTION_LABELS",
    "AreaFrameForm",
    "ConsultationOpenForm",
    "ConsultationResponseForm",
    "DispositionForm",
    "EvaluationPublishForm",
    "EvaluationTextForm",
    "FollowUpFilterForm",
    "FundingFormSet",
    "ImportForm",
    "IndicatorForm",
    "IndicatorTargetForm",
    "IndicatorValueForm",
    "InitiativeForm",
    "InitiativeShortForm",
    "LinkFormSet",
    "MilestoneFormSet",
    "OutputFormSet",
    "PlanContactForm",
    "PlanDecisionForm",
    "PlanDocumentLinkForm",
    "PlanDocumentUploadForm",
    "PlanTextForm",
    "ReportTextForm",
    "ReportYearForm",
    "SecrecyForm",
    "formset_initial",
    "funding_from",
    "links_from",
    "milestones_from",
    "outputs_from",
    "plan_in_force",
]
