"""Meetings models: networks, events and registrations, the conference, surveys."""

from .conference import (
    BudgetCommitment,
    BudgetLine,
    BudgetYear,
    Conference,
    Partner,
    PlanningGroupMember,
    RegistrationType,
    Session,
    Speaker,
    TargetGroupQuota,
)
from .events import Event, EventOutput, EventQuestion, EventSeats, Invitation, Registration, TargetGroup
from .networks import Network, NetworkMembership, NetworkRepresentative
from .surveys import Survey, SurveyQuestion, SurveyResponse

__all__ = [
    "BudgetCommitment",
    "BudgetLine",
    "BudgetYear",
    "Conference",
    "Event",
    "EventOutput",
    "EventQuestion",
    "EventSeats",
    "Invitation",
    "Network",
    "NetworkMembership",
    "NetworkRepresentative",
    "Partner",
    "PlanningGroupMember",
    "Registration",
    "RegistrationType",
    "Session",
    "Speaker",
    "Survey",
    "SurveyQuestion",
    "SurveyResponse",
    "TargetGroup",
    "TargetGroupQuota",
]
