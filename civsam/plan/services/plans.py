"""The plan's life: the one place its status changes, each step recorded as a decision."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import case_numbers, permissions
from ..models import Plan, PlanDecision


@dataclass(frozen=True)
class DecisionIn:
    body: str
    decided_on: datetime.date
    case_number: str
    note: str = ""


def _decision_errors(plan: Plan, decision: DecisionIn) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not decision.body.strip():
        errors["body"] = [_("Ange vilket organ som fattade beslutet.")]
    if decision.decided_on > timezone.localdate():
        errors["decided_on"] = [_("Ett beslut som ska registreras kan inte ha ett datum i framtiden.")]
    else:
        last = plan.decisions.order_by("-decided_on").values_list("decided_on", flat=True).first()
        if last is not None and decision.decided_on < last:
            errors["decided_on"] = [
                _("Planens förra beslut är från %(date)s; ett senare steg kan inte ha beslutats före det.")
                % {"date": last.isoformat()}
            ]
    problem = case_numbers.problem(decision.case_number, decided_on=decision.decided_on)
    if problem:
        errors["case_number"] = [problem]
    return errors


@transaction.atomic
def plan_status_change(*, actor, plan: Plan, to: str, decision: DecisionIn) -> PlanDecision:
    """Take one step of Plan.WORKFLOW (the only function that sets a plan's status) and record the
    decision behind it: the deciding body, the date and the case number."""
    if actor is not None and not permissions.can_decide_plan(actor, plan):
        raise PermissionDenied(_("Bara regionens administratör kan föra in beslut om planen."))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = plan.status
    action = Plan.WORKFLOW.action(before, to)
    errors = _decision_errors(plan, decision)
    if errors:
        raise ValidationError(errors)
    plan.status = to
    plan.save(update_fields=["status", "updated_at"])
    row = PlanDecision.objects.create(
        plan=plan,
        action=action,
        status_before=before,
        status_after=to,
        body=decision.body.strip(),
        decided_on=decision.decided_on,
        case_number=case_numbers.normalise(decision.case_number),
        note=decision.note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=plan,
        changes={"status": [before, to]},
        note=f"{row.body} {row.decided_on.isoformat()} {row.case_number}",
    )
    return row
