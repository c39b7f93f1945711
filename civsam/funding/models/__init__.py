from .decisions import GrantDecision, GrantFigure, GrantForm, GrantImportRun
from .sources import CallSubscription, Funder, FundingCall, FundingSource

__all__ = [
    "CallSubscription",
    "Funder",
    "FundingCall",
    "FundingSource",
    "GrantDecision",
    "GrantFigure",
    "GrantForm",
    "GrantImportRun",
]
