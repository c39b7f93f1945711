"""Writes to the evaluation of a plan period: start it, the coordinator's texts per section
(versioned), publish (final: it locks the figures and the texts), and its PDFs, rendered in the
background like the annual report's (docs/adr/0049-*, 0120)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, rendered_file_request

from .. import permissions, text_format
from ..models import PeriodEvaluation, PeriodEvaluationPdf, PeriodEvaluationText, Plan

PDF_LANGUAGES = ("sv", "en")


def _check(actor, evaluation: PeriodEvaluation | None = None) -> None:
    if actor is not None and not permissions.can_edit_evaluation(actor, evaluation):
        raise PermissionDenied(_("Bara regionens samordnare skriver och publicerar utvärderingen av planperioden."))


def _locked(evaluation: PeriodEvaluation) -> PeriodEvaluation:
    evaluation = PeriodEvaluation.objects.select_for_update().select_related("plan").get(pk=evaluation.pk)
    if evaluation.is_published:
        raise ValidationError(_("Utvärderingen är publicerad och kan inte längre ändras."))
    return evaluation


@transaction.atomic
def evaluation_get_or_create(*, actor, plan: Plan) -> PeriodEvaluation:
    """The plan's evaluation, started as a draft the first time."""
    _check(actor)
    if plan.status == Plan.Status.DRAFT:
        raise ValidationError(_("Ett utkast till plan har ingen period att utvärdera ännu."))
    evaluation, created = PeriodEvaluation.objects.get_or_create(plan=plan)
    if created:
        audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=evaluation, changes={"plan": [None, plan.slug]})
    return evaluation


@transaction.atomic
def evaluation_text_save(
    *, actor, evaluation: PeriodEvaluation, section: str, body_sv: str, body_en: str = ""
) -> PeriodEvaluationText:
    """Save one section's text as a new version; earlier versions are kept, an unchanged text makes none."""
    _check(actor, evaluation)
    evaluation = _locked(evaluation)
    if section not in PeriodEvaluation.Section.values:
        raise ValidationError({"section": _("Utvärderingen har inget sådant avsnitt.")})
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
    latest = evaluation.texts.filter(section=section).order_by("-version").first()
    if latest is not None and (latest.body_sv, latest.body_en) == (body_sv, body_en):
        return latest
    text = PeriodEvaluationText.objects.create(
        evaluation=evaluation,
        section=section,
        version=(latest.version + 1) if latest else 1,
        body_sv=body_sv,
        body_en=body_en,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=evaluation,
        changes={f"text_{section}": [latest.version if latest else None, text.version]},
    )
    return text


@transaction.atomic
def evaluation_publish(*, actor, evaluation: PeriodEvaluation, confirmed: bool) -> PeriodEvaluation:
    """Publish the evaluation: the figures are frozen into the snapshot, each section's current text
    version pinned, and the PDFs queued. Publishing is final, so it must be confirmed."""
    from ..evaluation import evaluation_snapshot_build, texts_current

    _check(actor, evaluation)
    evaluation = _locked(evaluation)
    if not confirmed:
        raise ValidationError({"confirm": _("Bekräfta att utvärderingen ska publiceras. Den kan inte ändras efteråt.")})
    texts = texts_current(evaluation)
    if PeriodEvaluation.Section.SUMMARY not in texts:
        raise ValidationError(_("Skriv sammanfattningen innan utvärderingen publiceras."))
    evaluation.status = PeriodEvaluation.Status.PUBLISHED
    evaluation.snapshot = evaluation_snapshot_build(evaluation.plan)
    evaluation.published_versions = {section: text.version for section, text in texts.items()}
    evaluation.published_at = timezone.now()
    evaluation.published_by = actor if getattr(actor, "is_authenticated", False) else None
    evaluation.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=evaluation,
        changes={"status": [PeriodEvaluation.Status.DRAFT, PeriodEvaluation.Status.PUBLISHED]},
    )
    for language in PDF_LANGUAGES:
        evaluation_pdf_request(actor=None, evaluation=evaluation, language=language)
    return evaluation


def evaluation_pdf_request(
    *, actor, evaluation: PeriodEvaluation, language: str, retry_failed: bool = False
) -> PeriodEvaluationPdf:
    """The PDF of the evaluation as it is now, in one language, queued for the worker if it is not
    rendered yet. Anyone who may read the evaluation may ask for it."""
    from ..evaluation import evaluation_source

    if actor is not None and not permissions.can_view_evaluation(actor, evaluation):
        raise PermissionDenied(_("Du har inte behörighet att se utvärderingen."))
    if language not in PDF_LANGUAGES:
        raise ValidationError({"language": _("Språket ska vara sv eller en.")})
    source = evaluation_source(evaluation)
    return rendered_file_request(
        model=PeriodEvaluationPdf,
        owner={"evaluation": evaluation},
        language=language,
        version=source.version,
        defaults={"snapshot": source.snapshot, "texts": source.texts, "published_at": source.published_at},
        actor=actor,
        retry_failed=retry_failed,
    )
