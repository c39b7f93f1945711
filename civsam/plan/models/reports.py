"""The annual follow-up report to the committee, with the data snapshot it was built from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import RenderedFile, TimeStampedModel
from civsam.core.workflow import Workflow


class FollowUpReport(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    # Draft → published; a published report can be withdrawn to a draft (which unfreezes it).
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.DRAFT, Status.PUBLISHED, "publish"),
        (Status.PUBLISHED, Status.DRAFT, "withdraw"),
    )

    plan = models.ForeignKey("plan.Plan", on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The figures the published report shows, frozen at publication (see docs/adr/0010-*).
    snapshot = models.JSONField(_("dataunderlag"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_text = models.ForeignKey(
        "plan.ReportText", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-year"]
        verbose_name = _("uppföljningsrapport")
        verbose_name_plural = _("uppföljningsrapporter")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="followup_report_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(snapshot__isnull=False, published_at__isnull=False),
                name="followup_report_published_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.slug} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("plan:report-detail", args=[self.plan.slug, self.year])


class ReportText(models.Model):
    """One saved version of the section the coordinator writes; versions are never overwritten."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="texts")
    version = models.PositiveIntegerField(_("version"))
    body_sv = models.TextField(_("text"))
    body_en = models.TextField(_("text (engelska)"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        ordering = ["report", "-version"]
        verbose_name = _("rapporttext")
        verbose_name_plural = _("rapporttexter")
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="report_text_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"


class ReportPdf(RenderedFile):
    """The report's PDF for one language and data version, rendered by the worker (docs/adr/0049-*).

    The row keeps what it is rendered from (the figures, the text version, the publication time),
    so the file shows exactly the data its version names even if the report changes meanwhile.
    """

    RENDERER = "civsam.plan.rendering.report_pdf_render"
    OWNER = "report"

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="pdfs")
    snapshot = models.JSONField(_("dataunderlag"))
    text = models.ForeignKey(ReportText, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)

    class Meta:
        ordering = ["report", "-queued_at"]
        verbose_name = _("rapport-pdf")
        verbose_name_plural = _("rapport-pdf:er")
        constraints = RenderedFile.constraints_for("report", "report_pdf")

    def __str__(self) -> str:
        return f"{self.report} {self.language} {self.status}"
