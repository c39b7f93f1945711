"""The evaluation of a whole plan period: the figures frozen at publication, the coordinator's texts
per section (versioned), and its PDFs rendered in the background like the annual report's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import RenderedFile, TimeStampedModel
from civsam.core.workflow import Workflow


class PeriodEvaluation(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    # Publishing is final: the evaluation is the record of the period, so it is locked once public.
    WORKFLOW = Workflow.from_choices(Status, (Status.DRAFT, Status.PUBLISHED, "publish"))

    class Section(models.TextChoices):
        SUMMARY = "summary", _("Sammanfattning")
        REPORTS = "reports", _("De årliga uppföljningarna")
        INDICATORS = "indicators", _("Indikatorerna mot målvärdena")
        INITIATIVES = "initiatives", _("Insatserna")
        CONSULTATION = "consultation", _("Remissen och ställningstagandena")
        CONCLUSIONS = "conclusions", _("Slutsatser och lärdomar")

    plan = models.OneToOneField(
        "plan.Plan", on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("plan")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The figures the published evaluation shows, frozen at publication (as the annual report's).
    snapshot = models.JSONField(_("dataunderlag"), null=True, blank=True)
    # The text version of each section at publication: {"summary": 3, ...}.
    published_versions = models.JSONField(_("publicerade textversioner"), default=dict, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("utvärdering av planperioden")
        verbose_name_plural = _("utvärderingar av planperioder")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(snapshot__isnull=False, published_at__isnull=False),
                name="period_evaluation_published_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.slug}"

    def get_absolute_url(self) -> str:
        return reverse("plan:evaluation-detail", args=[self.plan.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PeriodEvaluationText(models.Model):
    """One saved version of one section's text; versions are never overwritten."""

    evaluation = models.ForeignKey(PeriodEvaluation, on_delete=models.CASCADE, related_name="texts")
    section = models.CharField(_("avsnitt"), max_length=20, choices=PeriodEvaluation.Section.choices)
    version = models.PositiveIntegerField(_("version"))
    body_sv = models.TextField(_("text"))
    body_en = models.TextField(_("text (engelska)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "section", "-version"]
        verbose_name = _("utvärderingstext")
        verbose_name_plural = _("utvärderingstexter")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "section", "version"], name="period_evaluation_text_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.section} v{self.version}"


class PeriodEvaluationPdf(RenderedFile):
    """The evaluation's PDF for one language and data version, rendered by the worker; the row keeps
    the figures and texts it shows (docs/adr/0049-*)."""

    RENDERER = "civsam.plan.evaluation_rendering.evaluation_pdf_render"
    OWNER = "evaluation"

    evaluation = models.ForeignKey(PeriodEvaluation, on_delete=models.CASCADE, related_name="pdfs")
    snapshot = models.JSONField(_("dataunderlag"))
    texts = models.JSONField(_("texter"), default=dict)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "-queued_at"]
        verbose_name = _("utvärderings-pdf")
        verbose_name_plural = _("utvärderings-pdf:er")
        constraints = RenderedFile.constraints_for("evaluation", "period_evaluation_pdf")

    def __str__(self) -> str:
        return f"{self.evaluation} {self.language} {self.status}"
