"""After the meeting: minutes, outputs, and the surveys (knowledge before/after, evaluation)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import notifications, permissions, selectors
from ..models import Event, EventOutput, Registration, Survey, SurveyQuestion, SurveyResponse

DEFAULT_KNOWLEDGE_QUESTIONS = (
    "Hur väl känner du till civilsamhällets organisationer och verksamhet i länet?",
    "Hur väl känner du till hur offentlig sektor och civilsamhälle kan samverka?",
    "Hur väl känner du till vilka resultat samverkan med civilsamhället kan leda till?",
)
DEFAULT_EVALUATION_QUESTIONS = (
    ("Hur nöjd är du med mötet som helhet?", SurveyQuestion.Kind.SCALE),
    ("Vad tar du med dig från mötet?", SurveyQuestion.Kind.TEXT),
)


def _require_manager(actor, event: Event) -> None:
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte ändra det här evenemanget."))


@transaction.atomic
def minutes_save(*, actor, event: Event, minutes: str) -> Event:
    _require_manager(actor, event)
    before = event.minutes
    event.minutes = minutes.strip()
    event.save(update_fields=["minutes", "updated_at"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=event, changes={"minutes": [len(before), len(event.minutes)]}
    )
    return event


@transaction.atomic
def output_add(
    *, actor, event: Event, title: str, kind: str = "other", description: str = "", url: str = ""
) -> EventOutput:
    _require_manager(actor, event)
    output = EventOutput(event=event, title=title, kind=kind, description=description, url=url)
    output.full_clean()
    output.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=output, note=f"event {event.pk}")
    return output


@transaction.atomic
def survey_create(
    *, actor, event: Event, kind: str, title: str = "", questions: Sequence[tuple[str, str]] | None = None
) -> Survey:
    """Create the event's knowledge survey or evaluation, with the standard questions unless given."""
    _require_manager(actor, event)
    if Survey.objects.filter(event=event, kind=kind).exists():
        raise ValidationError(_("Evenemanget har redan en sådan enkät."))
    if questions is None:
        if kind == Survey.Kind.KNOWLEDGE:
            questions = [(text, SurveyQuestion.Kind.SCALE) for text in DEFAULT_KNOWLEDGE_QUESTIONS]
        else:
            questions = list(DEFAULT_EVALUATION_QUESTIONS)
    if kind == Survey.Kind.KNOWLEDGE and any(k != SurveyQuestion.Kind.SCALE for _t, k in questions):
        raise ValidationError(_("En kunskapsenkät har bara frågor på skalan 1–5."))
    default_title = _("Kunskapsenkät") if kind == Survey.Kind.KNOWLEDGE else _("Utvärdering")
    survey = Survey(event=event, kind=kind, title=title or f"{default_title}: {event.title}")
    survey.full_clean()
    survey.save()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, text=text, kind=qkind, position=n) for n, (text, qkind) in enumerate(questions)
    )
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=survey, note=f"event {event.pk}")
    return survey


@transaction.atomic
def survey_send(*, actor, survey: Survey, phase: str, now: datetime | None = None) -> int:
    """Send the survey link by e-mail (after commit). Returns the number of recipients."""
    _require_manager(actor, survey.event)
    if phase not in SurveyResponse.Phase.values:
        raise ValidationError(_("Okänt tillfälle."))
    if survey.kind == Survey.Kind.EVALUATION and phase != SurveyResponse.Phase.AFTER:
        raise ValidationError(_("Utvärderingen skickas efter mötet."))
    recipients = list(selectors.survey_recipients(survey, phase))
    if not recipients:
        raise ValidationError(_("Det finns ingen att skicka enkäten till."))
    now = now or timezone.now()
    field = "sent_before_at" if phase == SurveyResponse.Phase.BEFORE else "sent_after_at"
    setattr(survey, field, now)
    survey.save(update_fields=[field, "updated_at"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=survey, changes={field: [None, now.isoformat()]})
    transaction.on_commit(lambda: notifications.send_survey(survey, phase, recipients))
    return len(recipients)


def survey_respond(*, survey: Survey, cancel_token: str, phase: str, answers: dict[str, object]) -> SurveyResponse:
    """Store one response; each participant answers each phase once."""
    registration = survey.event.registrations.filter(cancel_token=cancel_token).first()
    if registration is None:
        raise Registration.DoesNotExist(_("Ingen anmälan hittades för länken."))
    if phase not in SurveyResponse.Phase.values or (
        survey.kind == Survey.Kind.EVALUATION and phase != SurveyResponse.Phase.AFTER
    ):
        raise ValidationError(_("Okänt tillfälle."))
    cleaned: dict[str, object] = {}
    errors = []
    for question in survey.questions.all():
        value = answers.get(str(question.pk))
        if question.kind == SurveyQuestion.Kind.SCALE:
            try:
                number = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                number = -1
            if number is None:
                continue
            if not 1 <= number <= 5:
                errors.append(_("Svara med en siffra från 1 till 5 på ”%(q)s”.") % {"q": question.text})
                continue
            cleaned[str(question.pk)] = number
        elif value:
            cleaned[str(question.pk)] = str(value).strip()[:2000]
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("Svara på minst en fråga."))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, registration=registration, phase=phase, answers=cleaned
            )
    except IntegrityError as exc:
        raise ValidationError(_("Du har redan svarat på enkäten.")) from exc
    audit_log(actor=None, action=AuditEntry.Action.CREATE, obj=response, note=f"survey {survey.pk}")
    return response
