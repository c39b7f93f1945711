"""The decision on an application: outcome, amount and reasons, under the call's budget, which it
can never pass, even with many officers deciding at once: the call's row is locked while the
committed sum is read and the decision written (the conference budget's pattern, ADR 0020, with
the shared rule in civsam.core.budget). A grant is entered in the public register and planned
into instalments and follow-up reports; the decision letter is rendered in the background."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from civsam.core import budget
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff, rendered_file_request

from .. import grants, permissions, rules
from ..models import (
    Application,
    ApplicationDecision,
    DecisionLetter,
    FundingCall,
    Instalment,
    ReportRequirement,
)
from .applications import locked, notify, status_set
from .decisions import GrantDecisionData, grant_decision_create


def committed(call: FundingCall) -> Decimal:
    """What the call has granted: the sum of its decisions' amounts."""
    total = ApplicationDecision.objects.filter(application__call=call).aggregate(total=Sum("amount_granted"))["total"]
    return total or budget.ZERO


@dataclass(frozen=True)
class DecisionData:
    outcome: str
    amount_granted: Decimal
    reasons: str
    decision_maker: str
    decision_maker_name: str
    decision_date: datetime.date
    year_from: int
    year_to: int
    conditions: str = ""


OUTCOME_STATUS = {
    ApplicationDecision.Outcome.APPROVED: Application.Status.APPROVED,
    ApplicationDecision.Outcome.PARTLY_APPROVED: Application.Status.PARTLY_APPROVED,
    ApplicationDecision.Outcome.REJECTED: Application.Status.REJECTED,
}


def _validate(application: Application, data: DecisionData) -> None:
    errors: dict[str, str] = {}
    applied = application.amount_applied or Decimal(0)
    amount = data.amount_granted
    if data.outcome not in OUTCOME_STATUS:
        errors["outcome"] = _("Välj beviljas, beviljas delvis eller avslås.")
    elif data.outcome == ApplicationDecision.Outcome.REJECTED:
        if amount != 0:
            errors["amount_granted"] = _("Ett avslag beviljar inget belopp.")
    elif data.outcome == ApplicationDecision.Outcome.APPROVED:
        if amount != applied:
            errors["amount_granted"] = _("Att bevilja är att bevilja det sökta beloppet, %(applied)s kronor.") % {
                "applied": rules.kronor(applied)
            }
    elif not 0 < amount < applied:
        errors["amount_granted"] = _("Delvis beviljat är ett belopp mellan 0 och det sökta, %(applied)s kronor.") % {
            "applied": rules.kronor(applied)
        }
    if not data.reasons.strip():
        errors["reasons"] = _("Skriv beslutets motivering.")
    if not data.decision_maker_name.strip():
        errors["decision_maker_name"] = _("Ange nämnden eller delegaten som fattade beslutet.")
    if data.decision_maker not in ApplicationDecision.Maker.values:
        errors["decision_maker"] = _("Välj nämnd eller delegation.")
    programme = application.call.programme
    years = data.year_to - data.year_from + 1
    if data.year_to < data.year_from:
        errors["year_to"] = _("Bidraget kan inte sluta före det börjar.")
    elif programme is not None and years not in programme.durations:
        errors["year_to"] = _("Programmet ger bidrag för %(years)s år.") % {
            "years": _(" eller ").join(str(y) for y in programme.durations)
        }
    elif years > application.years:
        errors["year_to"] = _("Ansökan gäller %(years)s år.") % {"years": application.years}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_decide(*, actor, application: Application, data: DecisionData) -> ApplicationDecision:
    """Decide on an application in review. A grant must fit in what remains of the call's budget,
    read under a lock on the call's row so that decisions taken at the same moment see one another."""
    call = FundingCall.objects.select_for_update().get(pk=application.call_id)
    application = locked(application)
    if actor is not None and not permissions.can_handle_application(actor, application):
        raise PermissionDenied
    if application.status != Application.Status.IN_REVIEW:
        raise ValidationError(_("Beslut fattas om ansökningar under bedömning."))
    _validate(application, data)
    if data.amount_granted > 0:
        if call.budget is None:
            raise ValidationError(_("Utlysningen har ingen budget; lägg in den innan bidrag beviljas."))
        try:
            budget.check(allocated=call.budget, spent=committed(call), change=data.amount_granted)
        except budget.OverCommitment as exc:
            raise ValidationError(
                {
                    "amount_granted": _(
                        "Beloppet ryms inte i utlysningens budget: %(remaining)s kronor återstår av %(budget)s."
                    )
                    % {"remaining": rules.kronor(exc.remaining), "budget": rules.kronor(call.budget)}
                },
                code="over_budget",
            ) from exc
    decision = ApplicationDecision(
        application=application,
        outcome=data.outcome,
        amount_granted=data.amount_granted,
        year_from=data.year_from,
        year_to=data.year_to,
        reasons=data.reasons.strip(),
        conditions=data.conditions.strip(),
        decision_maker=data.decision_maker,
        decision_maker_name=data.decision_maker_name.strip(),
        decision_date=data.decision_date,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    decision.full_clean(exclude=["application", "grant_decision"])
    decision.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=decision,
        changes=model_diff(
            {},
            {
                "outcome": decision.outcome,
                "amount_granted": decision.amount_granted,
                "years": f"{decision.year_from}–{decision.year_to}",
                "decision_maker": f"{decision.decision_maker}: {decision.decision_maker_name}",
                "decision_date": decision.decision_date,
            },
        ),
        note=f"application {application.pk}",
    )
    status_set(application, OUTCOME_STATUS[data.outcome], actor=actor, note=application.case_number)
    if decision.is_grant:
        _register(application, decision)
        _plan(application, decision)
    letter_request(actor=None, decision=decision)
    _tell(application, decision)
    return decision


def _register(application: Application, decision: ApplicationDecision) -> None:
    """Enter the grant in the public register (its amounts paid follow the payments)."""
    programme = application.call.programme
    grant = grant_decision_create(
        actor=None,
        data=GrantDecisionData(
            funder=application.call.source.funder,
            recipient=application.organisation,
            case_number=application.case_number,
            amount_granted=decision.amount_granted,
            amount_applied=application.amount_applied,
            year_from=decision.year_from,
            year_to=decision.year_to,
            decision_date=decision.decision_date,
            source=application.call.source,
            programme=programme.name if programme else "",
            grant_form=programme.grant_form if programme else "project",
            purpose=application.title,
            is_demo=application.is_demo,
        ),
    )
    decision.grant_decision = grant
    decision.save(update_fields=["grant_decision"])


def _plan(application: Application, decision: ApplicationDecision) -> None:
    """The grant's instalments (one per year) and the reports it owes (one per year)."""
    years = list(range(decision.year_from, decision.year_to + 1))
    plan = grants.instalment_plan(decision.amount_granted, years=years, first_due=decision.decision_date)
    Instalment.objects.bulk_create(
        Instalment(application=application, number=number, amount=amount, due_date=due)
        for number, (due, amount) in enumerate(plan, 1)
    )
    programme = application.call.programme
    month_day = programme.report_due if programme else "03-31"
    dues = grants.report_due_dates(decision.year_from, decision.year_to, month_day=month_day)
    ReportRequirement.objects.bulk_create(
        ReportRequirement(
            application=application,
            title=_("Återrapport för %(year)s") % {"year": year},
            due_date=due,
        )
        for year, due in zip(years, dues, strict=True)
    )


def _tell(application: Application, decision: ApplicationDecision) -> None:
    with translation.override("sv"):
        lines = [
            _("Beslut om ansökan %(case)s från %(organisation)s:")
            % {"case": application.case_number, "organisation": application.organisation.name},
            "",
            str(decision.get_outcome_display()),
        ]
        if decision.is_grant:
            lines.append(_("Beviljat belopp: %(amount)s kronor") % {"amount": rules.kronor(decision.amount_granted)})
        lines += ["", _("Beslutsbrevet med motivering och hur man överklagar finns i Civsam.")]
        notify(
            application,
            subject=_("Beslut om ansökan %(case)s") % {"case": application.case_number},
            lines=lines,
        )


def letter_version(decision: ApplicationDecision) -> str:
    """The letter's data version: the decision as decided (it is not changed afterwards)."""
    payload = [decision.pk, decision.outcome, str(decision.amount_granted), decision.decision_date.isoformat()]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def letter_request(*, actor, decision: ApplicationDecision, retry_failed: bool = False) -> DecisionLetter:
    """The letter's PDF, queued for the worker (after commit) unless made or being made."""
    if actor is not None and not permissions.can_view_application(actor, decision.application):
        raise PermissionDenied
    return rendered_file_request(
        model=DecisionLetter,
        owner={"decision": decision},
        language="sv",
        version=letter_version(decision),
        actor=actor,
        retry_failed=retry_failed,
    )
