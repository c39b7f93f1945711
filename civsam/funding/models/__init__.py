from .applications import Application, ApplicationAttachment, ApplicationDecision, DecisionLetter
from .cofinancing import InitiativeFundingLine
from .decisions import GrantDecision, GrantDecisionYear, GrantFigure, GrantForm, GrantImportRun
from .followup import FollowUpReport, Recovery, ReportRequirement
from .payments import Instalment, PaymentAccount, PaymentBatch
from .programmes import CallCriterion, CallField, CaseSeries, Programme, ProgrammeBudget
from .reviews import ReviewAssignment, ReviewScore
from .sources import CallSubscription, Funder, FundingCall, FundingSource

__all__ = [
    "Application",
    "ApplicationAttachment",
    "ApplicationDecision",
    "CallCriterion",
    "CallField",
    "CallSubscription",
    "CaseSeries",
    "DecisionLetter",
    "FollowUpReport",
    "Funder",
    "FundingCall",
    "FundingSource",
    "GrantDecision",
    "GrantDecisionYear",
    "GrantFigure",
    "GrantForm",
    "GrantImportRun",
    "InitiativeFundingLine",
    "Instalment",
    "PaymentAccount",
    "PaymentBatch",
    "Programme",
    "ProgrammeBudget",
    "Recovery",
    "ReportRequirement",
    "ReviewAssignment",
    "ReviewScore",
]
