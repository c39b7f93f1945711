"""Every write in the plan app. Keyword-only functions named <thing>_<verb>; each is atomic, checks
permissions when given an actor, and writes the audit log."""

from .consultations import (
    SecrecyIn,
    SectionIn,
    consultation_open,
    consultation_report_publish,
    consultation_respond,
    consultation_response_assess_secrecy,
    consultation_response_dispose,
    consultation_set_status,
)
from .document import (
    plan_contact_add,
    plan_contact_remove,
    plan_contact_update,
    plan_document_link,
    plan_document_remove,
    plan_document_upload,
)
from .evaluation import evaluation_get_or_create, evaluation_pdf_request, evaluation_publish, evaluation_text_save
from .frame import FRAME_FILE, FrameLoadResult, area_frame_tags_set, frame_tags_load_reference
from .indicators import (
    indicator_create,
    indicator_delete,
    indicator_target_set,
    indicator_update,
    indicator_value_clear,
    indicator_value_set,
    indicators_recompute,
)
from .initiative_parts import FundingIn, LinkIn, MilestoneIn, OutputIn
from .initiatives import (
    UNCHANGED,
    InitiativeChanged,
    initiative_create,
    initiative_delete,
    initiative_update,
    initiative_verify,
)
from .plans import DecisionIn, plan_status_change, plan_text_save, plan_text_targets
from .reference import PLANS_FILE, initiative_statuses_load_defaults, plans_load_reference
from .reports import (
    report_get_or_create,
    report_pdf_request,
    report_publish,
    report_status_set,
    report_text_save,
    report_withdraw,
)

__all__ = [
    "FRAME_FILE",
    "PLANS_FILE",
    "UNCHANGED",
    "DecisionIn",
    "FrameLoadResult",
    "FundingIn",
    "InitiativeChanged",
    "LinkIn",
    "MilestoneIn",
    "OutputIn",
    "SecrecyIn",
    "SectionIn",
    "area_frame_tags_set",
    "consultation_open",
    "consultation_report_publish",
    "consultation_respond",
    "consultation_response_assess_secrecy",
    "consultation_response_dispose",
    "consultation_set_status",
    "evaluation_get_or_create",
    "evaluation_pdf_request",
    "evaluation_publish",
    "evaluation_text_save",
    "frame_tags_load_reference",
    "indicator_create",
    "indicator_delete",
    "indicator_target_set",
    "indicator_update",
    "indicator_value_clear",
    "indicator_value_set",
    "indicators_recompute",
    "initiative_create",
    "initiative_delete",
    "initiative_statuses_load_defaults",
    "initiative_update",
    "initiative_verify",
    "plan_contact_add",
    "plan_contact_remove",
    "plan_contact_update",
    "plan_document_link",
    "plan_document_remove",
    "plan_document_upload",
    "plan_status_change",
    "plan_text_save",
    "plan_text_targets",
    "plans_load_reference",
    "report_get_or_create",
    "report_pdf_request",
    "report_publish",
    "report_status_set",
    "report_text_save",
    "report_withdraw",
]
