"""Drafts: creating and saving an application, its answers checked against the call's form, and why
it cannot be sent in yet (problems)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log, model_diff
from civsam.registry.models import Organisation

from ... import answers, eligibility, permissions, rules, schedule, selectors
from ...models import Application, FundingCall, FundingSource
from ..programmes import built_in_labels
from .common import _check, _user, locked

# --- Drafts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationData:
    """What the applicant writes. `answers` are by field key in their stored shape (answers.py)."""

    title: str
    amount_applied: Decimal | None = None
    years: int = 1
    answers: Mapping[str, Any] = field(default_factory=dict)
    contact_email: str = ""


def _state(application: Application) -> dict[str, Any]:
    return {
        "title": application.title,
        "amount_applied": application.amount_applied,
        "years": application.years,
        "answers": application.answers,
        "contact_email": application.contact_email,
    }


def county_codes() -> tuple[str, ...]:
    return tuple(
        Municipality.objects.filter(county_code=settings.CIVSAM["COUNTY_CODE"])
        .order_by("code")
        .values_list("code", flat=True)
    )


def field_specs(call: FundingCall) -> list[answers.FieldSpec]:
    codes = county_codes()
    return [f.spec(codes) for f in call.form_fields.all()]


def _clean_answers(call: FundingCall, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers in their stored shape, each checked against its field; unknown keys refused."""
    specs = {spec.key: spec for spec in field_specs(call)}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, value in raw.items():
        spec = specs.get(key)
        if spec is None:
            errors[key] = _("Formuläret har ingen fråga med nyckeln %(key)s.") % {"key": key}
            continue
        try:
            stored = answers.parse_json(spec, value)
        except answers.AnswerError as exc:
            errors[key] = f"{spec.label}: {exc}"
            continue
        if stored is not None:
            cleaned[key] = stored
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply(application: Application, data: ApplicationData) -> None:
    programme = application.call.programme
    errors = {}
    if programme is not None and data.years not in programme.durations:
        errors["years"] = _("Bidraget kan sökas för %(years)s år.") % {
            "years": _(" eller ").join(str(y) for y in programme.durations)
        }
    if data.amount_applied is not None and data.amount_applied <= 0:
        errors["amount_applied"] = _("Ange ett belopp större än noll.")
    if errors:
        raise ValidationError(errors)
    application.title = data.title.strip()
    application.amount_applied = data.amount_applied
    application.years = data.years
    application.answers = _clean_answers(application.call, data.answers)
    application.contact_email = data.contact_email.strip()
    application.full_clean(exclude=["call", "organisation", "created_by", "carried_from"])


def call_open_for_applications(call: FundingCall, *, today: datetime.date) -> bool:
    return call.takes_applications and schedule.is_open(call.status, selectors.call_window(call, today), today)


@transaction.atomic
def application_create(
    *,
    actor,
    call: FundingCall,
    organisation: Organisation,
    data: ApplicationData,
    carry_from: Application | None = None,
    today: datetime.date | None = None,
    is_demo: bool = False,
) -> Application:
    """A draft application from the organisation to the call. With `carry_from` (the same
    organisation's earlier application in the same programme), its answers that still fit the
    form are taken up where `data` leaves them empty."""
    today = today or timezone.localdate()
    if actor is not None:
        _check(
            permissions.can_apply_for(actor, organisation),
            _("Du kan bara söka för en organisation som du företräder."),
        )
    if not call_open_for_applications(call, today=today) and not is_demo:
        raise ValidationError(_("Utlysningen tar inte emot ansökningar nu."))
    application = Application(
        call=call, organisation=organisation, created_by=_user(actor), is_demo=is_demo, contact_email=""
    )
    merged = dict(data.answers)
    if carry_from is not None:
        if carry_from.organisation_id != organisation.pk or carry_from.call.programme_id != call.programme_id:
            raise ValidationError(_("Svaren kan bara hämtas från organisationens tidigare ansökan i samma program."))
        for key, value in answers.carried_over(field_specs(call), carry_from.answers).items():
            merged.setdefault(key, value)
        application.carried_from = carry_from
        data = ApplicationData(
            title=data.title or carry_from.title,
            amount_applied=data.amount_applied if data.amount_applied is not None else carry_from.amount_applied,
            years=data.years,
            answers=merged,
            contact_email=data.contact_email or carry_from.contact_email,
        )
    else:
        data = ApplicationData(
            title=data.title,
            amount_applied=data.amount_applied,
            years=data.years,
            answers=merged,
            contact_email=data.contact_email,
        )
    _apply(application, data)
    application.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=application,
        changes=model_diff({}, {"call": call.pk, "organisation": organisation.pk, **_state(application)}),
        note=f"carried from {carry_from.pk}" if carry_from else "",
    )
    return application


@transaction.atomic
def application_update(*, actor, application: Application, data: ApplicationData) -> Application:
    """Save the applicant's answers (a draft may be incomplete; sending in checks the rest)."""
    application = locked(application)
    if actor is not None:
        _check(permissions.acts_for_applicant(actor, application))
    if not application.is_editable:
        raise ValidationError(_("Ansökan är inskickad och kan inte ändras nu."))
    before = _state(application)
    _apply(application, data)
    application.save()
    changes = model_diff(before, _state(application))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=application, changes=changes)
    return application


# --- Eligibility --------------------------------------------------------------------------------


def labels_for(call: FundingCall) -> dict[str, str]:
    return {**built_in_labels(), **{f.key: f.label for f in call.form_fields.all()}}


def problems(application: Application) -> list[str]:
    """Why the application cannot be sent in as it is, in Swedish: missing answers, the source's
    rules on who may apply, and the programme's rules. Empty when it can."""
    call = application.call
    found: list[str] = []
    if not application.title.strip():
        found.append(_("Ansökan behöver en rubrik."))
    if application.amount_applied is None:
        found.append(_("Ange sökt belopp."))
    specs = field_specs(call)
    found += [
        _("Svara på frågan: %(label)s") % {"label": spec.label} for spec in answers.missing(specs, application.answers)
    ]
    organisation = selectors.organisation_for_eligibility(pk=application.organisation_id)
    source = selectors.with_rules(FundingSource.objects.filter(pk=call.source_id)).get()
    if organisation is not None:
        found += eligibility.reasons_not_eligible(selectors.applicant_for(organisation), selectors.rules_for(source))
    if call.programme is not None:
        facts = answers.facts(
            specs, application.answers, amount_applied=application.amount_applied, years=application.years
        )
        found += rules.reasons(rules.parse(call.programme.rules), facts, labels_for(call))
    return found
