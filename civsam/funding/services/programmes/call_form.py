"""A call's form: adding, changing, removing and moving its questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from ... import answers, permissions, rules
from ...models import Application, CallField, FundingCall
from .common import BUILT_IN_FACTS, _check

# --- A call's form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallFieldData:
    key: str
    label: str
    kind: str
    required: bool = False
    help_text: str = ""
    choices: tuple[str, ...] = ()


def _answers_exist(call: FundingCall) -> bool:
    """Once an application has been sent in, its answers are kept by key and kind."""
    return call.applications.exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN]).exists()


def _rule_fields(call: FundingCall) -> frozenset[str]:
    if call.programme is None:
        return frozenset()
    return rules.fields_read(rules.parse(call.programme.rules))


def _field_state(field: CallField) -> dict[str, Any]:
    return {
        "key": field.key,
        "label": field.label,
        "kind": field.kind,
        "required": field.required,
        "help_text": field.help_text,
        "choices": list(field.choices),
    }


def _apply_field(field: CallField, data: CallFieldData) -> None:
    errors = {}
    if data.kind in (answers.CHOICE, answers.MULTICHOICE) and len(data.choices) < 2:
        errors["choices"] = _("Ange minst två alternativ, ett per rad.")
    if data.key in BUILT_IN_FACTS:
        errors["key"] = _("Nyckeln är upptagen av ansökans egna uppgifter.")
    if errors:
        raise ValidationError(errors)
    field.key, field.label, field.kind = data.key, data.label, data.kind
    field.required, field.help_text = data.required, data.help_text
    field.choices = list(data.choices) if data.kind in (answers.CHOICE, answers.MULTICHOICE) else []
    field.full_clean(exclude=["call"])
    field.save()


def _locked_field(field: CallField) -> CallField:
    return (
        CallField.objects.select_for_update().select_related("call__source__funder", "call__programme").get(pk=field.pk)
    )


@transaction.atomic
def call_field_add(*, actor, call: FundingCall, data: CallFieldData) -> CallField:
    call = FundingCall.objects.select_for_update().select_related("source__funder", "programme").get(pk=call.pk)
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, call))
    if call.form_fields.filter(key=data.key).exists():
        raise ValidationError({"key": _("Formuläret har redan en fråga med den nyckeln.")})
    position = (call.form_fields.aggregate(last=Max("position"))["last"] or 0) + 1
    field = CallField(call=call, position=position)
    _apply_field(field, data)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=field, changes=model_diff({}, _field_state(field)))
    return field


@transaction.atomic
def call_field_update(*, actor, field: CallField, data: CallFieldData) -> CallField:
    field = _locked_field(field)
    call = field.call
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, call))
    if (data.key != field.key or data.kind != field.kind) and (field.key in _rule_fields(call) or _answers_exist(call)):
        raise ValidationError(
            {
                "kind": _(
                    "Frågans nyckel och typ kan inte ändras: villkoren läser den, eller ansökningar har svarat på den."
                )
            }
        )
    if data.key != field.key and call.form_fields.filter(key=data.key).exists():
        raise ValidationError({"key": _("Formuläret har redan en fråga med den nyckeln.")})
    before = _field_state(field)
    _apply_field(field, data)
    changes = model_diff(before, _field_state(field))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=field, changes=changes)
    return field


@transaction.atomic
def call_field_delete(*, actor, field: CallField) -> None:
    field = _locked_field(field)
    call = field.call
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, call))
    if field.key in _rule_fields(call):
        raise ValidationError(_("Frågan kan inte tas bort: programmets villkor läser svaret på den."))
    if _answers_exist(call):
        raise ValidationError(_("Frågan kan inte tas bort: ansökningar har redan svarat på den."))
    audit_log(actor=actor, action=AuditEntry.Action.DELETE, obj=field, changes=model_diff(_field_state(field), {}))
    field.delete()


@transaction.atomic
def call_field_move(*, actor, field: CallField, up: bool) -> None:
    """Swap the field with the one before (up) or after it."""
    call = FundingCall.objects.select_for_update().select_related("source__funder").get(pk=field.call_id)
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, call))
    fields = list(call.form_fields.all())
    for position, item in enumerate(fields):
        item.position = position
    index = next(i for i, item in enumerate(fields) if item.pk == field.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(fields):
        fields[index].position, fields[other].position = fields[other].position, fields[index].position
    CallField.objects.bulk_update(fields, ["position"])
