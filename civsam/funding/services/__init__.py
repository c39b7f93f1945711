"""Every write of the funding app: keyword-only, typed, atomic, permission-checked when given an
actor, and written to the audit log. One module per kind of record."""

from .calls import (
    FundingCallData,
    call_notices_send,
    call_subscription_create,
    call_subscription_delete,
    funding_call_change_status,
    funding_call_create,
    funding_call_update,
)
from .decisions import (
    GrantDecisionData,
    ImportSummary,
    grant_decision_create,
    grant_decision_update,
    grant_decisions_import,
)
from .figures import grant_figures_compute
from .sources import (
    FunderData,
    FundingSourceData,
    funder_create,
    funder_update,
    funders_ensure_public_bodies,
    funding_source_create,
    funding_source_update,
    funding_sources_load_reference,
)

__all__ = [
    "FunderData",
    "FundingCallData",
    "FundingSourceData",
    "GrantDecisionData",
    "ImportSummary",
    "call_notices_send",
    "call_subscription_create",
    "call_subscription_delete",
    "funder_create",
    "funder_update",
    "funders_ensure_public_bodies",
    "funding_call_change_status",
    "funding_call_create",
    "funding_call_update",
    "funding_source_create",
    "funding_source_update",
    "funding_sources_load_reference",
    "grant_decision_create",
    "grant_decision_update",
    "grant_decisions_import",
    "grant_figures_compute",
]
