"""Writes to the annual follow-up report: the coordinator's text (versioned), publish, withdraw, and
its PDFs, rendered in the background (docs/adr/0049-*)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, rendered_file_request

from .. import permissions
from ..models import FollowUpReport, Plan, ReportPdf, ReportText

PDF_LANGUAGES = ("sv", "en")


def _check(actor, report: FollowUpReport | None = None) -> None:
    if actor is not None and not permissions.can_edit_report(actor, report):
        raise PermissionDenied(_("Bara regionens samordnare kan skriva och publicera uppföljningsrapporten."))


@transaction.atomic
def report_get_or_create(*, actor, plan: Plan, year: int) -> FollowUpReport:
    _check(actor)
    if not plan.start_year - 1 <= year <= plan.end_year + 1:
        raise ValidationError(
            {
                "year": _("Året ska ligga inom planens period, %(start)s–%(end)s.")
                % {"start": plan.start_year, "end": plan.end_year}
            }
        )
    report, created = FollowUpReport.objects.get_or_create(plan=plan, year=year)
    if created:
        audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=report, changes={"year": [None, year]})
    return report


@transaction.atomic
def report_text_save(*, actor, report: FollowUpReport, body_sv: str, body_en: str = "") -> ReportText:
    """Save the coordinator's section as a new version; earlier versions are kept."""
    _check(actor, report)
    report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
    if report.status == FollowUpReport.Status.PUBLISHED:
        raise ValidationError(_("Rapporten är publicerad. Återkalla publiceringen för att ändra texten."))
    if not body_sv.strip():
        raise ValidationError({"body_sv": _("Skriv texten på svenska.")})
    latest = report.texts.aggregate(v=Max("version"))["v"] or 0
    text = ReportText.objects.create(
        report=report,
        version=latest + 1,
        body_sv=body_sv,
        body_en=body_en,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=report, changes={"text_version": [latest, latest + 1]})
    return text


@transaction.atomic
def report_status_set(*, actor, report: FollowUpReport, status: str) -> FollowUpReport:
    """The one place the report's status changes (FollowUpReport.WORKFLOW). Publishing freezes the
    figures: the snapshot is built now and stored with the report and its text version, and the PDFs
    are queued. Withdrawing returns the report to a draft, whose figures are built afresh."""
    from ..report import snapshot_build

    _check(actor, report)
    report = FollowUpReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
    if not FollowUpReport.WORKFLOW.allows(report.status, status):
        published = report.status == FollowUpReport.Status.PUBLISHED
        raise ValidationError(_("Rapporten är redan publicerad.") if published else _("Rapporten är inte publicerad."))
    before = report.status
    step = FollowUpReport.WORKFLOW.action(before, status)
    report.status = status
    if step == "publish":
        report.snapshot = snapshot_build(report.plan, report.year)
        report.published_text = report.texts.order_by("-version").first()
        report.published_at = timezone.now()
        report.published_by = actor if getattr(actor, "is_authenticated", False) else None
    else:
        report.snapshot = None
        report.published_at = None
        report.published_by = None
        report.published_text = None
    report.save()
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=report, changes={"status": [before, status]})
    if step == "publish":
        # Each publication is rendered once per language, by the worker, after this commits.
        for language in PDF_LANGUAGES:
            report_pdf_request(actor=None, report=report, language=language)
    return report


def report_publish(*, actor, report: FollowUpReport) -> FollowUpReport:
    return report_status_set(actor=actor, report=report, status=FollowUpReport.Status.PUBLISHED)


def report_withdraw(*, actor, report: FollowUpReport) -> FollowUpReport:
    return report_status_set(actor=actor, report=report, status=FollowUpReport.Status.DRAFT)


def report_pdf_request(*, actor, report: FollowUpReport, language: str, retry_failed: bool = False) -> ReportPdf:
    """The PDF of the report as it is now, in one language: the stored row for its data version,
    queued for the worker (after commit) if it is not rendered, being rendered or recently failed.
    Anyone who may see the report may ask for its PDF; drafts only those who may see drafts."""
    from ..report import report_source

    if actor is not None and not permissions.can_view_report(actor, report):
        raise PermissionDenied(_("Du har inte behörighet att se rapporten."))
    if language not in PDF_LANGUAGES:
        raise ValidationError({"language": _("Språket ska vara sv eller en.")})
    source = report_source(report)
    return rendered_file_request(
        model=ReportPdf,
        owner={"report": report},
        language=language,
        version=source.version,
        defaults={"snapshot": source.snapshot, "text": source.text, "published_at": source.published_at},
        actor=actor,
        retry_failed=retry_failed,
    )
