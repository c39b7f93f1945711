"""Reads for the proxy library and the analyses, with the joins done up front."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from civsam.plan.models import Initiative, PriorityArea

from . import permissions, results
from .models import FinancialProxy, SocialValueAnalysis

Status = SocialValueAnalysis.Status


def proxy_search(*, user, q: str = "", category: str = "") -> QuerySet[FinancialProxy]:
    qs = permissions.proxies_visible_to(user)
    q = q.strip()
    if q:
        for word in q.split()[:10]:
            qs = qs.filter(
                Q(name__icontains=word) | Q(description__icontains=word) | Q(source__icontains=word) | Q(unit=word)
            )
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("category", "name", "-price_year", "id")


def _with_relations(qs: QuerySet[SocialValueAnalysis]) -> QuerySet[SocialValueAnalysis]:
    return qs.select_related(
        "owner_organisation__municipality", "owner_municipality", "author", "reviewer"
    ).prefetch_related(
        Prefetch(
            "priority_areas",
            queryset=PriorityArea.objects.select_related("focus_area__plan").order_by(
                "-focus_area__plan__start_year", "focus_area__number", "number"
            ),
        ),
        Prefetch("initiatives", queryset=Initiative.objects.order_by("title", "id")),
    )


def analyses_with_relations() -> QuerySet[SocialValueAnalysis]:
    """Every analysis, with what its pages show joined: for the loaders, which check permission."""
    return _with_relations(SocialValueAnalysis.objects.all())


def analyses_published() -> QuerySet[SocialValueAnalysis]:
    return _with_relations(SocialValueAnalysis.objects.filter(status=Status.PUBLISHED)).order_by("-published_at", "-id")


def analyses_published_for_initiative(initiative: Initiative) -> QuerySet[SocialValueAnalysis]:
    """The published analyses linked to an initiative, newest first: the list on the initiative page."""
    return (
        SocialValueAnalysis.objects.filter(status=Status.PUBLISHED, initiatives=initiative)
        .select_related("owner_organisation", "owner_municipality")
        .order_by("-published_at", "-id")
    )


def analyses_mine(*, user) -> QuerySet[SocialValueAnalysis]:
    """Drafts and analyses under review that the user may see: to edit, or waiting for review."""
    return _with_relations(permissions.analyses_workable_by(user)).order_by("-updated_at", "-id")


def analyses_to_review(*, user) -> QuerySet[SocialValueAnalysis]:
    """Analyses in review that the user may approve or return, the longest waiting first."""
    return _with_relations(permissions.analyses_reviewable_by(user)).order_by("submitted_at", "id")


def analyses_visible(*, user) -> QuerySet[SocialValueAnalysis]:
    """Published analyses and the caller's own, newest first: what the API lists."""
    return _with_relations(permissions.analyses_visible_to(user)).order_by("-updated_at", "-id")


def analysis_get(*, pk: int) -> SocialValueAnalysis | None:
    return _with_relations(SocialValueAnalysis.objects.filter(pk=pk)).first()


def analysis_results(analysis: SocialValueAnalysis) -> dict[str, Any] | None:
    """The figures of an analysis: the snapshot taken at publication, or for an unpublished one
    computed now from its map (None while it has no map)."""
    if analysis.status == Status.PUBLISHED and analysis.results is not None:
        return analysis.results
    if analysis.impact_map is None:
        return None
    return results.compute(analysis.impact_map)
