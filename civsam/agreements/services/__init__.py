"""Every write to agreements: atomic, permission-checked when given a user, audit-logged."""

from .agreement import AgreementChanges, agreement_create, agreement_transition, agreement_update, ledger_source
from .assessment import assessment_gaps, assessment_save, ceiling_verdict, gap_messages
from .parties import party_add, party_answer, party_remove
from .parts import (
    contribution_add,
    contribution_delete,
    document_add,
    goal_add,
    group_add,
    group_member_add,
    report_save,
)

__all__ = [
    "AgreementChanges",
    "agreement_create",
    "agreement_transition",
    "agreement_update",
    "assessment_gaps",
    "assessment_save",
    "ceiling_verdict",
    "contribution_add",
    "contribution_delete",
    "document_add",
    "gap_messages",
    "goal_add",
    "group_add",
    "group_member_add",
    "ledger_source",
    "party_add",
    "party_answer",
    "party_remove",
    "report_save",
]
