"""The plan's life: the one place its status changes, each step recorded as a decision; and the
coordinator's versioned texts about the plan and its areas."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import case_numbers, permissions, text_format
from ..models import Plan, PlanDecision, PlanText


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


def plan_text_targets(plan: Plan) -> dict[str, str]:
    """The parts of a plan that may have a text: {"plan": title, "2": focus area, "2.3": priority area}."""
    targets = {"plan": plan.title}
    for fa in plan.focus_areas.all():
        targets[fa.code] = str(fa)
        for pa in fa.priority_areas.all():
            targets[f"{fa.number}.{pa.number}"] = f"{fa.number}.{pa.number} {pa.title}"
    return targets


@transaction.atomic
def plan_text_save(*, actor, plan: Plan, target: str, body_sv: str, body_en: str = "") -> PlanText:
    """Save a new version of the text about the plan or one of its areas; an unchanged text makes
    no new version. `plan` must have its tree prefetched (selectors.plan_with_tree)."""
    if actor is not None and not permissions.can_write_plan_texts(actor, plan):
        raise PermissionDenied(_("Bara regionens samordnare skriver planens texter."))
    if target not in plan_text_targets(plan):
        raise ValidationError(_("Planen har ingen sådan del."))
    body_sv, body_en = body_sv.strip(), body_en.strip()
    errors: dict[str, list[str]] = {}
    if not body_sv:
        errors["body_sv"] = [_("Skriv texten på svenska.")]
    for name, body in (("body_sv", body_sv), ("body_en", body_en)):
        if len(body) > text_format.MAX_LENGTH:
            errors.setdefault(name, []).append(
                _("Texten får vara högst %(n)s tecken.") % {"n": f"{text_format.MAX_LENGTH:,}".replace(",", "\u00a0")}
            )
    if errors:
        raise ValidationError(errors)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one writer per plan at a time
    latest = PlanText.objects.filter(plan=plan, target=target).order_by("-version").first()
    if latest is not None and (latest.body_sv, latest.body_en) == (body_sv, body_en):
        return latest
    text = PlanText.objects.create(
        plan=plan,
        target=target,
        version=(latest.version + 1) if latest else 1,
        body_sv=body_sv,
        body_en=body_en,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=text,
        changes={"version": [latest.version if latest else None, text.version]},
    )
    return text
