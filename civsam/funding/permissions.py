"""Who may do what with funding sources, calls, subscriptions and the grant register.

Built on the one permission seam (civsam.accounts.permissions):
- a funder is kept by region administrators and, for a municipality's own funder, by that
  municipality's officers; its sources, calls, decisions and imports follow the funder;
- the register, the sources and the published calls are public (offentlighetsprincipen);
- an organisation's call subscriptions are managed by those who act for it;
- reviewers get no rights here until they review grant applications.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts import permissions as seam

from .models import CallSubscription, Funder, FundingCall, FundingSource, GrantDecision


def _funders_q(user, *, via: str = "") -> Q | None:
    """Funders the user keeps (at `via`, the path to a Funder); None means every funder."""
    municipal = seam.municipalities_actable_q(user, via=f"{via}__municipality" if via else "municipality")
    return municipal  # None for region administrators; the officers' municipalities otherwise


def can_manage_funder(user, funder: Funder) -> bool:
    if seam.acts_for_region(user):
        return True
    return funder.municipality_id is not None and seam.acts_for_municipality(user, funder.municipality_id)


def funders_manageable_by(user) -> QuerySet[Funder]:
    if not seam.acts_for_some_municipality(user):
        return Funder.objects.none()
    return seam.narrow(Funder.objects.all(), _funders_q(user))


def can_create_funder(user) -> bool:
    """New funders (a foundation, a state agency) are added for the whole county: the Region."""
    return seam.acts_for_region(user)


def can_edit_funder(user, funder: Funder) -> bool:
    return seam.acts_for_region(user)


# --- Funding sources ----------------------------------------------------------------------------


def can_create_funding_source(user) -> bool:
    return seam.acts_for_some_municipality(user)


def can_edit_funding_source(user, source: FundingSource) -> bool:
    return can_manage_funder(user, source.funder)


def funding_sources_visible_to(user) -> QuerySet[FundingSource]:
    """Active sources for everyone; inactive ones also for whoever keeps them."""
    qs = FundingSource.objects.all()
    if seam.acts_for_region(user):
        return qs
    condition = Q(is_active=True)
    if seam.acts_for_some_municipality(user):
        condition |= _funders_q(user, via="funder")
    return qs.filter(condition)


def can_view_funding_source(user, source: FundingSource) -> bool:
    return source.is_active or can_edit_funding_source(user, source)


# --- Calls --------------------------------------------------------------------------------------


def can_edit_funding_call(user, call: FundingCall) -> bool:
    return can_manage_funder(user, call.source.funder)


def funding_calls_visible_to(user) -> QuerySet[FundingCall]:
    """Published and closed calls of active sources for everyone; drafts and cancelled calls for
    whoever keeps the source."""
    qs = FundingCall.objects.all()
    if seam.acts_for_region(user):
        return qs
    condition = Q(status__in=[FundingCall.Status.PUBLISHED, FundingCall.Status.CLOSED], source__is_active=True)
    if seam.acts_for_some_municipality(user):
        condition |= _funders_q(user, via="source__funder")
    return qs.filter(condition)


def can_view_funding_call(user, call: FundingCall) -> bool:
    if call.status in (FundingCall.Status.PUBLISHED, FundingCall.Status.CLOSED) and call.source.is_active:
        return True
    return can_edit_funding_call(user, call)


# --- Subscriptions ------------------------------------------------------------------------------


def can_manage_call_subscriptions(user, organisation) -> bool:
    """Those who act for an organisation decide which addresses hear about its calls."""
    return seam.acts_for_organisation(user, organisation)


def call_subscriptions_visible_to(user) -> QuerySet[CallSubscription]:
    return seam.narrow(CallSubscription.objects.all(), seam.organisations_actable_q(user, via="organisation"))


# --- The grant register -------------------------------------------------------------------------


def grant_decisions_visible_to(user) -> QuerySet[GrantDecision]:
    """The register is public: every decision, to everyone (offentlighetsprincipen)."""
    return GrantDecision.objects.all()


def can_import_grant_decisions(user, funder: Funder) -> bool:
    return can_manage_funder(user, funder)


def can_import_some_grant_decisions(user) -> bool:
    """For showing the import page: the user keeps at least one funder."""
    return seam.acts_for_some_municipality(user)


def can_edit_grant_decision(user, decision: GrantDecision) -> bool:
    return can_manage_funder(user, decision.funder)


def can_compute_grant_figures(user) -> bool:
    """Recomputing the county's figures is the Region's (a job does it every night too)."""
    return seam.acts_for_region(user)
