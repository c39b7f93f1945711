"""Who may do what with social-value analyses and the proxy library.

Acting for an owner ("permission on the owner"):
- an analysis owned by an organisation: its representatives, officers of its home municipality
  (as in the register, where they may change the organisation) and region administrators;
- an analysis owned by a municipality: its officers and region administrators;
- an analysis owned by the Region itself: region administrators.

Those people create and edit drafts and submit them. Review is by a second person with permission
on the owner: never the author, nor whoever submitted the analysis. Published analyses are public;
drafts and analyses under review are seen only by those who may edit or review them.

The proxy library is public; region administrators and municipal officers maintain it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts.scopes import scope_for

from .models import FinancialProxy, SocialValueAnalysis

Status = SocialValueAnalysis.Status


def _same_user(user, other_id: int | None) -> bool:
    return other_id is not None and getattr(user, "pk", None) == other_id


def can_act_for_organisation(user, organisation) -> bool:
    scope = scope_for(user)
    return (
        scope.region_admin
        or organisation.pk in scope.organisation_ids
        or organisation.municipality_id in scope.municipality_ids
    )


def can_act_for_municipality(user, municipality) -> bool:
    scope = scope_for(user)
    return scope.region_admin or municipality.pk in scope.municipality_ids


def can_act_for_region(user) -> bool:
    return scope_for(user).region_admin


def can_act_for_owner(user, analysis: SocialValueAnalysis) -> bool:
    if analysis.owner_region:
        return can_act_for_region(user)
    if analysis.owner_organisation_id is not None:
        return can_act_for_organisation(user, analysis.owner_organisation)
    if analysis.owner_municipality_id is not None:
        return can_act_for_municipality(user, analysis.owner_municipality)
    return False


def can_create(user) -> bool:
    """Create an analysis for some owner: anyone who acts for a municipality or an organisation."""
    scope = scope_for(user)
    return scope.region_admin or bool(scope.municipality_ids) or bool(scope.organisation_ids)


def can_view(user, analysis: SocialValueAnalysis) -> bool:
    return analysis.status == Status.PUBLISHED or can_act_for_owner(user, analysis)


def can_edit(user, analysis: SocialValueAnalysis) -> bool:
    return analysis.status == Status.DRAFT and can_act_for_owner(user, analysis)


def can_submit(user, analysis: SocialValueAnalysis) -> bool:
    return can_edit(user, analysis) and analysis.impact_map is not None


def can_review(user, analysis: SocialValueAnalysis) -> bool:
    """Approve or return: a second person with permission on the owner, never the author nor whoever submitted it."""
    return analysis.status == Status.IN_REVIEW and not is_own_work(user, analysis) and can_act_for_owner(user, analysis)


def is_own_work(user, analysis: SocialValueAnalysis) -> bool:
    return _same_user(user, analysis.author_id) or _same_user(user, analysis.submitted_by_id)


def can_view_people(user, analysis: SocialValueAnalysis) -> bool:
    """Author and reviewer names are personal data: shown to those who work on the analysis, not to the public."""
    return can_act_for_owner(user, analysis)


def analyses_visible_to(user) -> QuerySet[SocialValueAnalysis]:
    scope = scope_for(user)
    qs = SocialValueAnalysis.objects.all()
    if scope.region_admin:
        return qs
    condition = Q(status=Status.PUBLISHED)
    if scope.organisation_ids:
        condition |= Q(owner_organisation_id__in=scope.organisation_ids)
    if scope.municipality_ids:
        condition |= Q(owner_municipality_id__in=scope.municipality_ids)
        condition |= Q(owner_organisation__municipality_id__in=scope.municipality_ids)
    return qs.filter(condition)


def analyses_workable_by(user) -> QuerySet[SocialValueAnalysis]:
    """Unpublished analyses the user may edit or review: "mine" on the list page."""
    scope = scope_for(user)
    qs = SocialValueAnalysis.objects.exclude(status=Status.PUBLISHED)
    if scope.region_admin:
        return qs
    condition = Q(pk__in=[])
    if scope.organisation_ids:
        condition |= Q(owner_organisation_id__in=scope.organisation_ids)
    if scope.municipality_ids:
        condition |= Q(owner_municipality_id__in=scope.municipality_ids)
        condition |= Q(owner_organisation__municipality_id__in=scope.municipality_ids)
    return qs.filter(condition)


# --- The proxy library ---------------------------------------------------------------------------


def proxies_visible_to(user) -> QuerySet[FinancialProxy]:
    return FinancialProxy.objects.all()


def can_create_proxy(user) -> bool:
    return scope_for(user).is_staff_like


def can_change_proxy(user, proxy: FinancialProxy) -> bool:
    return scope_for(user).is_staff_like
