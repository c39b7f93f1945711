"""Who may do what with social-value analyses and the proxy library, built on the permission seam
(civsam.accounts.permissions).

Acting for an owner ("the owner's side"):
- an analysis owned by an organisation: its representatives, officers of its home municipality
  (as in the register, where they may change the organisation) and region administrators;
- an analysis owned by a municipality: its officers and region administrators;
- an analysis owned by the Region itself: region administrators.

Those people create and edit drafts and submit them. Review (approve or return) is by a second
person: someone on the owner's side, or a reviewer (the `reviewer` role), who reviews analyses of
any owner; never the author, nor whoever submitted the analysis. A reviewer reads and assesses but
neither creates nor edits for owners they do not act for. Published analyses are public; drafts are
seen by the owner's side, analyses in review also by reviewers.

The proxy library is public; region administrators and municipal officers maintain it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from civsam.accounts.permissions import (
    acts_for_municipality,
    acts_for_organisation,
    acts_for_region,
    acts_for_some_organisation,
    is_reviewer,
    is_staff,
    municipalities_actable_by,
    municipalities_actable_q,
    narrow,
    organisations_actable_q,
    represented_organisation_ids,
)
from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from .models import FinancialProxy, SocialValueAnalysis

Status = SocialValueAnalysis.Status


def _same_user(user, other_id: int | None) -> bool:
    return other_id is not None and getattr(user, "pk", None) == other_id


# --- The owner's side ----------------------------------------------------------------------------


def can_make_analyses_for(user, *, organisation=None, municipality=None, region: bool = False) -> bool:
    """May the user make analyses for this owner (one of an organisation, a municipality or the Region)."""
    if region:
        return acts_for_region(user)
    if organisation is not None:
        return acts_for_organisation(user, organisation)
    if municipality is not None:
        return acts_for_municipality(user, municipality)
    return False


def acts_for_analysis_owner(user, analysis: SocialValueAnalysis) -> bool:
    return can_make_analyses_for(
        user,
        organisation=analysis.owner_organisation if analysis.owner_organisation_id is not None else None,
        municipality=analysis.owner_municipality_id,
        region=analysis.owner_region,
    )


def _owner_q(user) -> Q | None:
    """Analyses whose owner the user acts for; None means every analysis (region administrators)."""
    organisations = organisations_actable_q(user, via="owner_organisation")
    municipalities = municipalities_actable_q(user, via="owner_municipality")
    if organisations is None or municipalities is None:
        return None
    return organisations | municipalities


@dataclass(frozen=True)
class AnalysisOwners:
    """The owners a user may pick from a list on the analysis form. Other organisations that the
    user acts for (as a municipal officer) are named by organisation number instead."""

    region: bool
    municipalities: QuerySet[Municipality]
    organisations: QuerySet[Organisation]


def analysis_owners_for(user) -> AnalysisOwners:
    return AnalysisOwners(
        region=acts_for_region(user),
        municipalities=municipalities_actable_by(user).order_by("name_key"),
        organisations=Organisation.objects.filter(pk__in=represented_organisation_ids(user)).order_by("name_key"),
    )


# --- Analyses ------------------------------------------------------------------------------------


def reviews_every_owner(user) -> bool:
    """Reviewers (and region administrators) review analyses whoever owns them."""
    return is_reviewer(user)


def is_own_analysis(user, analysis: SocialValueAnalysis) -> bool:
    """The user wrote the analysis or sent it for review (and may have rewritten it)."""
    return _same_user(user, analysis.author_id) or _same_user(user, analysis.submitted_by_id)


def can_create_analysis(user) -> bool:
    """Create an analysis for some owner: anyone who acts for a municipality or an organisation."""
    return acts_for_some_organisation(user)


def can_view_analysis(user, analysis: SocialValueAnalysis) -> bool:
    if analysis.status == Status.PUBLISHED:
        return True
    if analysis.status == Status.IN_REVIEW and reviews_every_owner(user):
        return True
    return acts_for_analysis_owner(user, analysis)


def can_edit_analysis(user, analysis: SocialValueAnalysis) -> bool:
    return analysis.status == Status.DRAFT and acts_for_analysis_owner(user, analysis)


def can_submit_analysis(user, analysis: SocialValueAnalysis) -> bool:
    return can_edit_analysis(user, analysis) and analysis.impact_map is not None


def can_review_analysis(user, analysis: SocialValueAnalysis) -> bool:
    """Approve or return: a reviewer, or a second person on the owner's side; never the author nor
    whoever submitted it."""
    return (
        analysis.status == Status.IN_REVIEW
        and not is_own_analysis(user, analysis)
        and (reviews_every_owner(user) or acts_for_analysis_owner(user, analysis))
    )


def can_view_analysis_people(user, analysis: SocialValueAnalysis) -> bool:
    """Author and reviewer names are personal data: shown to those who work on the analysis (the
    owner's side, and reviewers while it is in review), not to the public."""
    if analysis.status == Status.IN_REVIEW and reviews_every_owner(user):
        return True
    return acts_for_analysis_owner(user, analysis)


def analyses_visible_to(user) -> QuerySet[SocialValueAnalysis]:
    """Published analyses, those of owners the user acts for and, for reviewers, those in review."""
    owner = _owner_q(user)
    if owner is None:
        return SocialValueAnalysis.objects.all()
    condition = Q(status=Status.PUBLISHED) | owner
    if reviews_every_owner(user):
        condition |= Q(status=Status.IN_REVIEW)
    return SocialValueAnalysis.objects.filter(condition)


def analyses_workable_by(user) -> QuerySet[SocialValueAnalysis]:
    """Unpublished analyses the user may see, to edit or to review: "mine" on the list page."""
    return analyses_visible_to(user).exclude(status=Status.PUBLISHED)


def analyses_reviewable_by(user) -> QuerySet[SocialValueAnalysis]:
    """Analyses in review that the user may approve or return: "to review" on the list page."""
    qs = SocialValueAnalysis.objects.filter(status=Status.IN_REVIEW)
    if not reviews_every_owner(user):
        qs = narrow(qs, _owner_q(user))
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return qs.none()
    return qs.exclude(author_id=user_id).exclude(submitted_by_id=user_id)


# --- The proxy library ---------------------------------------------------------------------------


def proxies_visible_to(user) -> QuerySet[FinancialProxy]:
    return FinancialProxy.objects.all()


def can_create_proxy(user) -> bool:
    return is_staff(user)


def can_change_proxy(user, proxy: FinancialProxy) -> bool:
    return is_staff(user)
