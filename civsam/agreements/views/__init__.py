"""Agreement pages: the public list, overview and page, exports, and the pages that run an agreement."""

from .manage import (
    agreement_create_view,
    agreement_edit_view,
    agreement_manage_view,
    assessment_view,
    party_answer_view,
)
from .public import (
    agreement_detail,
    agreement_document,
    agreement_list,
    agreements_export,
    contributions_export,
    overview,
)

__all__ = [
    "agreement_create_view",
    "agreement_detail",
    "agreement_document",
    "agreement_edit_view",
    "agreement_list",
    "agreement_manage_view",
    "agreements_export",
    "assessment_view",
    "contributions_export",
    "overview",
    "party_answer_view",
]
