"""A programme itself and its yearly budgets, and what a programme's call takes from it: its budget
checked and its form and criteria."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from ... import permissions, rules, schedule
from ...models import CallCriterion, CallField, FundingCall, Programme, ProgrammeBudget
from .common import _check

# --- Programmes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeData:
    name: str
    description: str
    committee: str
    appeal_route: str
    appeal_court: str
    report_due: str
    durations: tuple[int, ...]
    rules: list[Any]


PROGRAMME_FIELDS = ("name", "description", "committee", "appeal_route", "appeal_court", "report_due", "rules")


def _programme_state(programme: Programme) -> dict[str, Any]:
    state = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    state["rules"] = json.dumps(programme.rules, ensure_ascii=False, sort_keys=True)
    state["durations"] = list(programme.durations)
    return state


@transaction.atomic
def programme_update(*, actor, programme: Programme, data: ProgrammeData) -> Programme:
    programme = Programme.objects.select_for_update().select_related("source__funder").get(pk=programme.pk)
    if actor is not None:
        _check(permissions.can_edit_programme(actor, programme))
    errors: dict[str, str] = {}
    try:
        rules.parse(data.rules)
    except rules.RuleError as exc:
        errors["rules"] = _("Villkoren kan inte läsas: %(error)s") % {"error": exc}
    if not data.durations or any(not 1 <= years <= 10 for years in data.durations):
        errors["durations"] = _("Ange bidragstider mellan 1 och 10 år.")
    if not schedule.valid_month_day(data.report_due):
        errors["report_due"] = _("Ange månad och dag som MM-DD, till exempel 03-31.")
    if errors:
        raise ValidationError(errors)
    before = _programme_state(programme)
    for name in PROGRAMME_FIELDS:
        setattr(programme, name, getattr(data, name))
    programme.durations = sorted(set(data.durations))
    programme.full_clean()
    programme.save()
    changes = model_diff(before, _programme_state(programme))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=programme, changes=changes)
    return programme


def _calls_budget(programme: Programme, year: int, *, excluding: int | None = None) -> Decimal:
    qs = FundingCall.objects.filter(programme=programme, budget_year=year, budget__isnull=False)
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(total=Sum("budget"))["total"] or Decimal(0)


@transaction.atomic
def programme_budget_set(*, actor, programme: Programme, year: int, amount: Decimal) -> ProgrammeBudget:
    """Set what a programme may grant in a year. Never below what its calls of that year hold."""
    if actor is not None:
        _check(permissions.can_edit_programme(actor, programme))
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Budgeten kan inte vara negativ.")})
    row = ProgrammeBudget.objects.select_for_update().filter(programme=programme, year=year).first()
    held = _calls_budget(programme, year)
    if amount < held:
        raise ValidationError(
            {
                "amount": _("Årets utlysningar har redan %(held)s kronor av budgeten; budgeten kan inte vara lägre.")
                % {"held": rules.kronor(held)}
            }
        )
    before = row.amount if row else None
    if row is None:
        row = ProgrammeBudget(programme=programme, year=year, amount=amount)
    row.amount = amount
    row.full_clean()
    row.save()
    if before != amount:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
            obj=programme,
            changes={f"budget {year}": [None if before is None else str(before), str(amount)]},
        )
    return row


def call_budget_check(
    call: FundingCall, *, programme: Programme | None, budget: Decimal | None, year: int | None
) -> None:
    """A call's budget fits its programme's budget for the year, beside the year's other calls,
    and is not below what the call has granted. Locks the programme's budget row for the year."""
    if budget is None:
        return
    if programme is None:
        raise ValidationError({"programme": _("En utlysning med budget hör till ett bidragsprogram.")})
    if year is None:
        raise ValidationError({"budget_year": _("Ange vilket års budget utlysningen tar sina pengar från.")})
    row = ProgrammeBudget.objects.select_for_update().filter(programme=programme, year=year).first()
    if row is None:
        raise ValidationError(
            {"budget_year": _("Programmet har ingen budget för %(year)s. Lägg in årets budget först.") % {"year": year}}
        )
    room = row.amount - _calls_budget(programme, year, excluding=call.pk)
    if budget > room:
        raise ValidationError(
            {
                "budget": _("Det finns %(room)s kronor kvar av programmets budget för %(year)s att fördela.")
                % {"room": rules.kronor(room), "year": year}
            }
        )
    if call.pk:
        from ..grants import committed

        granted = committed(call)
        if budget < granted:
            raise ValidationError(
                {
                    "budget": _("Utlysningen har redan beviljat %(granted)s kronor; budgeten kan inte vara lägre.")
                    % {"granted": rules.kronor(granted)}
                }
            )


def call_form_from_programme(call: FundingCall) -> None:
    """Give a programme's call the programme's form and criteria, if it has none of its own yet."""
    programme = call.programme
    if programme is None:
        return
    if not call.form_fields.exists():
        CallField.objects.bulk_create(
            CallField(
                call=call,
                key=item["key"],
                label=item["label"],
                kind=item["kind"],
                required=item.get("required", False),
                help_text=item.get("help_text", ""),
                choices=item.get("choices", []),
                position=index,
            )
            for index, item in enumerate(programme.form_template)
        )
    if not call.criteria.exists():
        CallCriterion.objects.bulk_create(
            CallCriterion(
                call=call,
                title=item["title"],
                description=item.get("description", ""),
                max_score=item.get("max_score", 5),
                weight=Decimal(str(item.get("weight", 1))),
                position=index,
            )
            for index, item in enumerate(programme.criteria_template)
        )
