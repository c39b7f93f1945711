"""Writes to consultations (remiss): open, close, and respond section by section with attachments."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log
from civsam.registry.models import Organisation

from .. import permissions
from ..models import (
    Consultation,
    ConsultationResponse,
    FocusArea,
    Plan,
    PriorityArea,
    ResponseAttachment,
    ResponseSection,
)
from .plans import DecisionIn, plan_status_change

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".docx", ".odt", ".txt", ".xlsx")


@dataclass(frozen=True)
class SectionIn:
    """A comment on one chapter of the draft (ResponseSection.Chapter), one focus area or one priority area."""

    text: str
    focus_area: FocusArea | None = None
    priority_area: PriorityArea | None = None
    chapter: str = ""


@transaction.atomic
def consultation_open(
    *,
    actor,
    plan: Plan,
    title: str,
    deadline: datetime.date,
    description: str = "",
    decision: DecisionIn | None = None,
) -> Consultation:
    """Publish a plan version for consultation. A draft goes on consultation by a decision
    (plan_status_change), so opening the first round on a draft needs the decision's details."""
    if actor is not None and not permissions.can_open_consultation(actor, plan):
        raise PermissionDenied(_("Bara regionens samordnare kan skicka planen på remiss."))
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("Sista svarsdag kan inte ha passerat.")})
    on_consultation = plan.status == Plan.Status.CONSULTATION  # a second round: the plan stays on consultation
    if not on_consultation and not Plan.WORKFLOW.allows(plan.status, Plan.Status.CONSULTATION):
        raise ValidationError(_("Bara ett utkast till plan kan skickas på remiss."))
    if not on_consultation:
        if decision is None:
            raise ValidationError(_("Ange beslutet om att skicka planen på remiss: organ, datum och diarienummer."))
        plan_status_change(actor=actor, plan=plan, to=Plan.Status.CONSULTATION, decision=decision)
    consultation = Consultation.objects.create(
        plan=plan,
        title=title,
        description=description,
        deadline=deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor, action=AuditEntry.Action.CREATE, obj=consultation, changes={"deadline": [None, str(deadline)]}
    )
    return consultation


@transaction.atomic
def consultation_set_status(*, actor, consultation: Consultation, status: str) -> Consultation:
    """The one place a consultation's status changes (Consultation.WORKFLOW): close or reopen."""
    if actor is not None and not permissions.can_manage_consultation(actor, consultation):
        raise PermissionDenied(_("Bara regionens samordnare kan ändra remissen."))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not Consultation.WORKFLOW.allows(consultation.status, status):
        raise ValidationError(_("Remissen kan inte få den statusen nu."))
    old, consultation.status = consultation.status, status
    consultation.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=consultation, changes={"status": [old, status]})
    return consultation


@transaction.atomic
def consultation_respond(
    *,
    actor,
    consultation: Consultation,
    sections: Sequence[SectionIn],
    organisation: Organisation | None = None,
    municipality: Municipality | None = None,
    respondent_name: str = "",
    private_person: bool = False,
    general_comment: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> ConsultationResponse:
    """Submit or replace a respondent's answer before the deadline; sections replace earlier ones.

    The respondent is an organisation the actor acts for, a municipality they work for, the actor
    as a private person, or (entered by the coordinator) another body named in respondent_name."""
    if private_person and not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Logga in för att svara som privatperson."))
    if actor is not None and not permissions.can_respond_to_consultation(
        actor, organisation=organisation, municipality=municipality
    ):
        raise PermissionDenied(_("Du får inte svara för den remissinstansen."))
    if (
        actor is not None
        and not (organisation or municipality or private_person)
        and not permissions.can_respond_for_other_body(actor)
    ):
        raise PermissionDenied(_("Svar för andra remissinstanser förs in av regionens samordnare."))
    if sum(bool(x) for x in (organisation, municipality, private_person)) > 1:
        # One response per respondent: a second body named would take that body's place.
        raise ValidationError(
            _("Ett svar lämnas för en remissinstans: en organisation, en kommun eller du själv som privatperson.")
        )
    consultation = Consultation.objects.select_for_update().select_related("plan").get(pk=consultation.pk)
    errors: dict[str, list[str]] = {}
    if consultation.status != Consultation.Status.OPEN or consultation.deadline < timezone.localdate():
        raise ValidationError(
            _("Remissen är stängd för svar (sista svarsdag var %(d)s).") % {"d": consultation.deadline}
        )
    sections = [s for s in sections if s.text.strip()]
    if not sections and not general_comment.strip():
        errors.setdefault("__all__", []).append(_("Skriv synpunkter på minst ett avsnitt."))
    for section in sections:
        if section.chapter:
            if section.chapter not in ResponseSection.Chapter.values or section.focus_area or section.priority_area:
                errors.setdefault("__all__", []).append(_("Ett avsnitt finns inte i planen på remiss."))
            continue
        area_plan = section.priority_area.focus_area.plan_id if section.priority_area else section.focus_area.plan_id
        if area_plan != consultation.plan_id:
            errors.setdefault("__all__", []).append(_("Ett avsnitt hör inte till planen på remiss."))
    for upload in attachments:
        if upload.size > MAX_ATTACHMENT_BYTES:
            errors.setdefault("attachments", []).append(_("%(name)s är större än 10 MB.") % {"name": upload.name})
        if not upload.name.lower().endswith(ATTACHMENT_TYPES):
            errors.setdefault("attachments", []).append(
                _("%(name)s: bara PDF, Word, OpenDocument, text och Excel tas emot.") % {"name": upload.name}
            )
    if errors:
        raise ValidationError(errors)
    lookup = (
        {"organisation": organisation}
        if organisation
        else {"municipality": municipality}
        if municipality
        else {"private_person": True, "submitted_by": actor}
        if private_person
        else None
    )
    response = None
    if lookup:
        response = ConsultationResponse.objects.filter(consultation=consultation, **lookup).first()
    created = response is None
    if created:
        response = ConsultationResponse(
            consultation=consultation,
            organisation=organisation,
            municipality=municipality,
            respondent_name="" if private_person else respondent_name,
            private_person=private_person,
        )
    response.general_comment = general_comment
    response.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    response.save()
    response.sections.all().delete()
    ResponseSection.objects.bulk_create(
        ResponseSection(
            response=response,
            chapter=s.chapter,
            focus_area=s.focus_area,
            priority_area=s.priority_area,
            text=s.text.strip(),
        )
        for s in sections
    )
    for upload in attachments:
        ResponseAttachment.objects.create(response=response, file=upload, name=upload.name[:200], size=upload.size)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=response,
        changes={"sections": [None, len(sections)], "attachments": [None, len(attachments)]},
    )
    return response


# --- After the deadline: dispositions, secrecy, the published compilation ---------------------------


@transaction.atomic
def consultation_response_dispose(
    *, actor, response: ConsultationResponse, disposition: str, reason: str, change: str = ""
) -> ConsultationResponse:
    """The coordinator's disposition of one response: taken in, partly or not, with the reason and
    the change it led to in the plan."""
    response = ConsultationResponse.objects.select_for_update().select_related("consultation").get(pk=response.pk)
    if actor is not None and not permissions.can_manage_consultation(actor, response.consultation):
        raise PermissionDenied(_("Bara regionens samordnare tar ställning till remissvaren."))
    errors: dict[str, list[str]] = {}
    if disposition not in ConsultationResponse.Disposition.values:
        errors["disposition"] = [_("Välj om svaret tillgodoses, delvis tillgodoses eller inte tillgodoses.")]
    if not reason.strip():
        errors["disposition_reason"] = [_("Motivera ställningstagandet.")]
    if disposition in (ConsultationResponse.Disposition.TAKEN_IN, ConsultationResponse.Disposition.PARTLY) and not (
        change.strip()
    ):
        errors["disposition_change"] = [_("Beskriv ändringen i planen som svaret ledde till.")]
    if errors:
        raise ValidationError(errors)
    before = [response.disposition, response.disposition_reason, response.disposition_change]
    response.disposition = disposition
    response.disposition_reason = reason.strip()
    response.disposition_change = change.strip()
    response.disposed_at = timezone.now()
    response.save(update_fields=["disposition", "disposition_reason", "disposition_change", "disposed_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=response,
        changes={"disposition": [before[0], disposition]},
    )
    return response


@dataclass(frozen=True)
class SecrecyIn:
    """The secrecy assessment of a response: a reason withholds that part; blank makes it public."""

    whole: str = ""
    general_comment: str = ""
    sections: dict[int, str] | None = None  # section id → reason
    attachments: dict[int, str] | None = None  # attachment id → reason


@transaction.atomic
def consultation_response_assess_secrecy(
    *, actor, response: ConsultationResponse, assessment: SecrecyIn
) -> ConsultationResponse:
    """Record which parts of a response are withheld from the public, each with its reason (for
    example a ground in offentlighets- och sekretesslagen, 2009:400). Parts not named stay as they are."""
    response = ConsultationResponse.objects.select_for_update().select_related("consultation").get(pk=response.pk)
    if actor is not None and not permissions.can_manage_consultation(actor, response.consultation):
        raise PermissionDenied(_("Bara regionens samordnare gör sekretessprövningen."))
    sections = {s.pk: s for s in response.sections.all()}
    attachments = {a.pk: a for a in response.attachments.all()}
    unknown = (set(assessment.sections or {}) - set(sections)) | (set(assessment.attachments or {}) - set(attachments))
    if unknown:
        raise ValidationError(_("Ett avsnitt eller en bilaga hör inte till svaret."))
    changes: dict[str, list[bool]] = {}
    own_parts = (
        ("confidential_reason", assessment.whole),
        ("general_comment_confidential_reason", assessment.general_comment),
    )
    for name, value in own_parts:
        if getattr(response, name) != value.strip():
            changes[name] = [bool(getattr(response, name)), bool(value.strip())]
            setattr(response, name, value.strip())
    response.save(update_fields=["confidential_reason", "general_comment_confidential_reason", "updated_at"])
    parts = ((sections, assessment.sections, "section"), (attachments, assessment.attachments, "attachment"))
    for rows, reasons, label in parts:
        for pk, reason in (reasons or {}).items():
            row = rows[pk]
            if row.confidential_reason != reason.strip():
                changes[f"{label}-{pk}"] = [bool(row.confidential_reason), bool(reason.strip())]
                row.confidential_reason = reason.strip()
                row.save(update_fields=["confidential_reason"])
    # The audit log records what was withheld, not the reasons' wording.
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=response, changes=changes, note="sekretessprövning")
    return response


@transaction.atomic
def consultation_report_publish(*, actor, consultation: Consultation) -> Consultation:
    """Publish the compiled consultation report: the consultation is closed and every response has
    the coordinator's disposition. What the secrecy assessment marked stays out of the public report."""
    if actor is not None and not permissions.can_manage_consultation(actor, consultation):
        raise PermissionDenied(_("Bara regionens samordnare publicerar remissammanställningen."))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(_("Stäng remissen innan sammanställningen publiceras."))
    waiting = consultation.responses.filter(disposition="").count()
    if waiting:
        raise ValidationError(
            _("%(n)s remissvar saknar ställningstagande; ta ställning till alla svar först.") % {"n": waiting}
        )
    consultation.report_published_at = timezone.now()
    consultation.save(update_fields=["report_published_at", "updated_at"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=consultation, changes={"report_published": [False, True]}
    )
    return consultation
