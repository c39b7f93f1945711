"""A call's review criteria: adding, changing and removing them before scoring starts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from ... import permissions
from ...models import CallCriterion, FundingCall
from .common import _check

# --- A call's criteria --------------------------------------------------------------------------


@dataclass(frozen=True)
class CallCriterionData:
    title: str
    description: str = ""
    max_score: int = 5
    weight: Decimal = Decimal(1)


def _criterion_state(criterion: CallCriterion) -> dict[str, Any]:
    return {
        "title": criterion.title,
        "description": criterion.description,
        "max_score": criterion.max_score,
        "weight": str(criterion.weight),
    }


def _scored(call: FundingCall) -> bool:
    return call.criteria.filter(scores__isnull=False).exists()


@transaction.atomic
def call_criterion_add(*, actor, call: FundingCall, data: CallCriterionData) -> CallCriterion:
    call = FundingCall.objects.select_for_update().select_related("source__funder").get(pk=call.pk)
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, call))
    if _scored(call):
        raise ValidationError(_("Bedömningen har börjat: kriterierna kan inte ändras."))
    position = (call.criteria.aggregate(last=Max("position"))["last"] or 0) + 1
    criterion = CallCriterion(
        call=call,
        title=data.title,
        description=data.description,
        max_score=data.max_score,
        weight=data.weight,
        position=position,
    )
    criterion.full_clean()
    criterion.save()
    audit_log(
        actor=actor, action=AuditEntry.Action.CREATE, obj=criterion, changes=model_diff({}, _criterion_state(criterion))
    )
    return criterion


@transaction.atomic
def call_criterion_update(*, actor, criterion: CallCriterion, data: CallCriterionData) -> CallCriterion:
    criterion = CallCriterion.objects.select_for_update().select_related("call__source__funder").get(pk=criterion.pk)
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, criterion.call))
    if _scored(criterion.call) and (data.max_score != criterion.max_score or data.weight != criterion.weight):
        raise ValidationError(_("Bedömningen har börjat: poängskala och vikt kan inte ändras."))
    before = _criterion_state(criterion)
    criterion.title, criterion.description = data.title, data.description
    criterion.max_score, criterion.weight = data.max_score, data.weight
    criterion.full_clean()
    criterion.save()
    changes = model_diff(before, _criterion_state(criterion))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=criterion, changes=changes)
    return criterion


@transaction.atomic
def call_criterion_delete(*, actor, criterion: CallCriterion) -> None:
    criterion = CallCriterion.objects.select_for_update().select_related("call__source__funder").get(pk=criterion.pk)
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, criterion.call))
    if criterion.scores.exists():
        raise ValidationError(_("Kriteriet har redan poäng från bedömare och kan inte tas bort."))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=criterion,
        changes=model_diff(_criterion_state(criterion), {}),
    )
    criterion.delete()
