"""Agreements: the agreement and its parties, goals, contributions, governance, documents,
follow-up reports, and the legal assessment before signing."""

from .agreements import (
    Agreement,
    AgreementDocument,
    AgreementGoal,
    Contribution,
    FollowUpReport,
    GovernanceGroup,
    GovernanceMember,
    Party,
)
from .assessment import LegalAssessment

__all__ = [
    "Agreement",
    "AgreementDocument",
    "AgreementGoal",
    "Contribution",
    "FollowUpReport",
    "GovernanceGroup",
    "GovernanceMember",
    "LegalAssessment",
    "Party",
]
