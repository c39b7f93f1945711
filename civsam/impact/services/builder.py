"""Writes for building an analysis's impact map on its page, a row at a time (mapedit.py).

Each change is checked by the engine exactly as an uploaded workbook is (results.normalise_map),
its errors named by the row's field, and stored through analysis_update, which checks that the
actor may edit the draft and writes the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import mapedit, permissions, results
from ..engine import ImpactMapError
from ..models import SocialValueAnalysis
from .analyses import analysis_update


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _checked(document: dict[str, Any], kind: str | None = None, index: int | None = None) -> dict[str, Any]:
    """The map in the engine's form, or a ValidationError: on the row's fields (snake_case, as the
    page's forms name them) where the engine names one of them, else on the whole change."""
    try:
        stored, _document = results.normalise_map(document)
    except ImpactMapError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            field = mapedit.field_of(error.path, kind, index) if kind is not None and index is not None else None
            errors.setdefault(_snake(field) if field else "__all__", []).append(error.message)
        raise ValidationError(errors) from None
    return stored


def _note(kind: str, removed: bool, row_id: str) -> str:
    notes = {
        "stakeholder": (_("Intressent %(id)s sparad"), _("Intressent %(id)s borttagen")),
        "input": (_("Insats %(id)s sparad"), _("Insats %(id)s borttagen")),
        "outcome": (_("Utfall %(id)s sparat"), _("Utfall %(id)s borttaget")),
    }
    return notes[kind][removed] % {"id": row_id}


def _locked(actor, analysis: SocialValueAnalysis) -> SocialValueAnalysis:
    """The analysis locked for the change; refused before anything is checked if the actor may not edit it."""
    analysis = SocialValueAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if actor is not None and not permissions.can_edit_analysis(actor, analysis):
        if analysis.status != SocialValueAnalysis.Status.DRAFT:
            raise ValidationError(_("Bara utkast kan ändras."))
        raise PermissionDenied(_("Du får inte ändra analysen."))
    return analysis


@transaction.atomic
def analysis_map_start(
    *, actor, analysis: SocialValueAnalysis, stakeholder: str, outcome: dict[str, Any]
) -> SocialValueAnalysis:
    """A first impact map for a draft that has none: one stakeholder and one outcome for it."""
    analysis = _locked(actor, analysis)
    if analysis.impact_map is not None:
        raise ValidationError(_("Analysen har redan en effektkarta."))
    document = mapedit.start(name=analysis.title, stakeholder=stakeholder, outcome=outcome)
    errors: dict[str, list[str]] = {}
    try:
        stored = _checked(document, "outcome", 0)
    except ValidationError as exc:
        errors = exc.message_dict
    # The stakeholder's own errors are on the start form's stakeholder field.
    if not stakeholder.strip():
        errors.setdefault("stakeholder", []).append(_("Ange intressentens namn."))
    if errors:
        raise ValidationError(errors)
    return analysis_update(actor=actor, analysis=analysis, impact_map=stored, note=_("Effektkartan påbörjad"))


@transaction.atomic
def analysis_map_item_save(
    *,
    actor,
    analysis: SocialValueAnalysis,
    kind: str,
    values: dict[str, Any],
    item_id: str | None = None,
    managed: Iterable[str] | None = None,
) -> SocialValueAnalysis:
    """Add a row of the kind (item_id None) or replace the row with that id; values in the map's
    camelCase names, `managed` the keys the caller's form shows (others in the row are kept). A
    map must exist (analysis_map_start)."""
    analysis = _locked(actor, analysis)
    if analysis.impact_map is None:
        raise ValidationError(_("Börja med den första intressenten och det första utfallet."))
    try:
        document, index = mapedit.put(analysis.impact_map, kind, values, item_id, managed)
    except mapedit.MapEditError as exc:
        raise ValidationError(str(exc)) from None
    stored = _checked(document, kind, index)
    row_id = stored[mapedit.KINDS[kind][0]][index]["id"]
    note = _note(kind, False, row_id)
    return analysis_update(actor=actor, analysis=analysis, impact_map=stored, note=note)


@transaction.atomic
def analysis_map_item_remove(*, actor, analysis: SocialValueAnalysis, kind: str, item_id: str) -> SocialValueAnalysis:
    """Remove a row; a stakeholder still named by inputs or outcomes, or the last stakeholder or
    outcome, is refused."""
    analysis = _locked(actor, analysis)
    try:
        document = mapedit.remove(analysis.impact_map or {}, kind, item_id)
    except mapedit.MapEditError as exc:
        raise ValidationError(str(exc)) from None
    stored = _checked(document)
    note = _note(kind, True, item_id)
    return analysis_update(actor=actor, analysis=analysis, impact_map=stored, note=note)
