"""Writes for social-value analyses: drafts, their owners, linked initiatives and impact map, the
workflow's steps and the report PDFs."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log, model_diff, rendered_file_request
from civsam.plan.models import Initiative, PriorityArea
from civsam.plan.selectors.impact_links import initiatives_by_ids
from civsam.registry.models import Organisation

from .. import permissions, results
from ..engine import ImpactMapError
from ..models import AnalysisPdf, SocialValueAnalysis
from .common import UNCHANGED, _given

Status = SocialValueAnalysis.Status

ANALYSIS_FIELDS = (
    "title",
    "summary",
    "related_records",
    "activities",
    "owner_organisation",
    "owner_municipality",
    "owner_region",
)


# --- Analyses ------------------------------------------------------------------------------------


def _validated_map(impact_map: Any) -> dict[str, Any] | None:
    """The map in the engine's own JSON form; its errors become a ValidationError on impact_map."""
    if impact_map is None:
        return None
    try:
        document, _parsed = results.normalise_map(impact_map)
    except ImpactMapError as exc:
        raise ValidationError(
            {"impact_map": [f"{e.path}: {e.message}" if e.path else e.message for e in exc.errors]}
        ) from None
    return document


def _linkable_initiatives(actor, initiatives: Iterable) -> list[Initiative]:
    """The initiatives (records or ids) as records the actor may see; without an actor (a command),
    any that exist. An unknown or invisible one is a ValidationError on initiatives."""
    wanted = {getattr(item, "pk", item) for item in initiatives}
    if not wanted:
        return []
    if actor is None:
        found = list(Initiative.objects.filter(pk__in=wanted))
    else:
        found = list(initiatives_by_ids(user=actor, ids=wanted))
    missing = sorted(wanted - {item.pk for item in found})
    if missing:
        raise ValidationError({"initiatives": [_("Okända insatser: %(ids)s.") % {"ids": ", ".join(map(str, missing))}]})
    return found


def _check_owner(actor, analysis: SocialValueAnalysis) -> None:
    owners = [analysis.owner_organisation_id is not None, analysis.owner_municipality_id is not None]
    if sum(owners) + bool(analysis.owner_region) != 1:
        raise ValidationError(_("Ange en ägare: en organisation, en kommun eller regionen."))
    if actor is not None and not permissions.acts_for_analysis_owner(actor, analysis):
        raise PermissionDenied(_("Du får inte göra analyser för den ägaren."))


@transaction.atomic
def analysis_create(
    *,
    actor,
    title: str,
    owner_organisation: Organisation | None = None,
    owner_municipality: Municipality | None = None,
    owner_region: bool = False,
    summary: str = "",
    related_records: str = "",
    activities: str = "",
    priority_areas: Iterable[PriorityArea] = (),
    initiatives: Iterable[Initiative | int] = (),
    impact_map: dict[str, Any] | None = None,
) -> SocialValueAnalysis:
    """A new draft. The actor becomes its author; the map, if given, must pass the engine's validation."""
    analysis = SocialValueAnalysis(
        title=title,
        summary=summary,
        related_records=related_records,
        activities=activities,
        owner_organisation=owner_organisation,
        owner_municipality=owner_municipality,
        owner_region=owner_region,
        status=Status.DRAFT,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _check_owner(actor, analysis)
    linked = _linkable_initiatives(actor, initiatives)
    analysis.impact_map = _validated_map(impact_map)
    analysis.full_clean(exclude=["impact_map", "results"])
    analysis.save()
    if priority_areas:
        analysis.priority_areas.set(priority_areas)
    if linked:
        analysis.initiatives.set(linked)
    changes = {"initiatives": [None, sorted(item.pk for item in linked)]} if linked else None
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=analysis, changes=changes)
    return analysis


@transaction.atomic
def analysis_update(
    *,
    actor,
    analysis: SocialValueAnalysis,
    title: str = UNCHANGED,
    summary: str = UNCHANGED,
    related_records: str = UNCHANGED,
    activities: str = UNCHANGED,
    owner_organisation: Organisation | None = UNCHANGED,
    owner_municipality: Municipality | None = UNCHANGED,
    owner_region: bool = UNCHANGED,
    priority_areas: Iterable[PriorityArea] = UNCHANGED,
    initiatives: Iterable[Initiative | int] = UNCHANGED,
    impact_map: dict[str, Any] | None = UNCHANGED,
    note: str = "",
) -> SocialValueAnalysis:
    """Change a draft: the given metadata, priority areas, linked initiatives and/or the impact map;
    what is left out stays as it is. Only drafts may change.

    Initiatives the analysis already links to stay linkable even if the actor may no longer see them."""
    fields = _given(
        title=title,
        summary=summary,
        related_records=related_records,
        activities=activities,
        owner_organisation=owner_organisation,
        owner_municipality=owner_municipality,
        owner_region=owner_region,
    )
    analysis = SocialValueAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if actor is not None and not permissions.can_edit_analysis(actor, analysis):
        if analysis.status != Status.DRAFT:
            raise ValidationError(_("Bara utkast kan ändras."))
        raise PermissionDenied(_("Du får inte ändra analysen."))
    before = model_to_dict(analysis, fields=ANALYSIS_FIELDS)
    before["priority_areas"] = sorted(analysis.priority_areas.values_list("pk", flat=True))
    before["initiatives"] = sorted(analysis.initiatives.values_list("pk", flat=True))
    linked = None
    if initiatives is not UNCHANGED:
        wanted = {getattr(item, "pk", item) for item in initiatives}
        kept = wanted & set(before["initiatives"])
        linked = _linkable_initiatives(actor, wanted - kept) + list(analysis.initiatives.filter(pk__in=kept))
    for name, value in fields.items():
        setattr(analysis, name, value)
    # Moving an analysis to another owner needs permission on the new owner as well.
    _check_owner(actor, analysis)
    map_changed = impact_map is not UNCHANGED and impact_map != analysis.impact_map
    if impact_map is not UNCHANGED:
        analysis.impact_map = _validated_map(impact_map)
    analysis.full_clean(exclude=["impact_map", "results"])
    analysis.save()
    after = model_to_dict(analysis, fields=ANALYSIS_FIELDS)
    if priority_areas is not UNCHANGED:
        analysis.priority_areas.set(priority_areas)
    after["priority_areas"] = sorted(analysis.priority_areas.values_list("pk", flat=True))
    if linked is not None:
        analysis.initiatives.set(linked)
    after["initiatives"] = sorted(analysis.initiatives.values_list("pk", flat=True))
    changes = model_diff(before, after)
    if map_changed:
        # The map itself is too large for the log; the log says that it changed.
        changes["impact_map"] = [None, _("ändrad")]
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=analysis, changes=changes, note=note)
    return analysis


@transaction.atomic
def analysis_transition(
    *,
    actor,
    analysis: SocialValueAnalysis,
    to_status: str,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> SocialValueAnalysis:
    """The only way an analysis changes status, along SocialValueAnalysis.WORKFLOW: draft → in_review
    (submit), in_review → published (approve, by a second person or a reviewer) and in_review → draft
    (return, with a comment).

    Publishing stores a snapshot of every computed figure, so the report stays as it was approved.
    """
    now = now or timezone.now()
    analysis = SocialValueAnalysis.objects.select_for_update().get(pk=analysis.pk)
    before = analysis.status
    action = SocialValueAnalysis.WORKFLOW.action(before, to_status)
    comment = (comment or "").strip()
    if action == "submit":
        if actor is not None and not permissions.can_edit_analysis(actor, analysis):
            raise PermissionDenied(_("Du får inte skicka analysen för granskning."))
        if analysis.impact_map is None:
            raise ValidationError(_("Analysen saknar effektkarta. Ladda upp en innan den skickas för granskning."))
        analysis.submitted_at = now
        analysis.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    else:
        if actor is not None and not permissions.can_review_analysis(actor, analysis):
            if permissions.is_own_analysis(actor, analysis):
                raise PermissionDenied(_("Du kan inte granska en analys som du själv har skrivit eller skickat in."))
            raise PermissionDenied(_("Du får inte granska analysen."))
        analysis.reviewer = actor if getattr(actor, "is_authenticated", False) else None
        analysis.review_comment = comment
        if action == "return":
            if not comment:
                raise ValidationError(_("Skriv en kommentar om vad som behöver ändras."))
        else:
            analysis.results = results.compute(analysis.impact_map)
            analysis.published_at = now
    analysis.status = to_status
    analysis.full_clean(exclude=["impact_map", "results"])
    analysis.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=analysis,
        changes={"status": [before, to_status]},
        note=f"{action}: {comment}" if comment else action,
    )
    if to_status == Status.PUBLISHED:
        # The published report's PDF is rendered once per language, by the worker, after commit.
        for language in PDF_LANGUAGES:
            analysis_pdf_request(actor=None, analysis=analysis, language=language)
    return analysis


PDF_LANGUAGES = ("sv", "en")


def analysis_pdf_version(analysis: SocialValueAnalysis) -> str:
    """The data version of the analysis's report: changes whenever the analysis is saved or changes
    status, and for a published analysis names its stored figures."""
    payload = [
        analysis.pk,
        analysis.status,
        analysis.updated_at.isoformat() if analysis.updated_at else None,
        analysis.published_at.isoformat() if analysis.published_at else None,
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def analysis_pdf_request(
    *, actor, analysis: SocialValueAnalysis, language: str, retry_failed: bool = False
) -> AnalysisPdf:
    """The report PDF of the analysis as it is now: its stored row, queued for the worker (after
    commit) unless it is rendered or being rendered. Whoever may see the analysis may ask for it."""
    if actor is not None and not permissions.can_view_analysis(actor, analysis):
        raise PermissionDenied(_("Du får inte se analysen."))
    if language not in PDF_LANGUAGES:
        raise ValidationError({"language": _("Språket ska vara sv eller en.")})
    return rendered_file_request(
        model=AnalysisPdf,
        owner={"analysis": analysis},
        language=language,
        version=analysis_pdf_version(analysis),
        actor=actor,
        retry_failed=retry_failed,
    )
