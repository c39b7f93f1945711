"""Social value in the platform: a library of financial proxies, and stored analyses with a review workflow.

The calculations are the engine's (civsam/impact/engine/); an analysis stores its impact map as the
engine's JSON document and, when published, a snapshot of every computed figure.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civsam.core.models import HttpsURLField, RenderedFile, TimeStampedModel
from civsam.core.workflow import Workflow

from .engine.derivation import mismatch, parse_derivation

MIN_PRICE_YEAR = 1980  # the KPI series' base year: earlier price bases cannot be indexed
MAX_PRICE_YEAR = 2100


class FinancialProxy(TimeStampedModel):
    """A value for one unit of an outcome (a financial proxy) or a unit cost, with its price base and source."""

    class Category(models.TextChoices):
        WORK = "work", _("Arbete och försörjning")
        EDUCATION = "education", _("Utbildning")
        HEALTH = "health", _("Hälsa och omsorg")
        SOCIAL = "social", _("Gemenskap och delaktighet")
        SAFETY = "safety", _("Trygghet")
        VOLUNTEERING = "volunteering", _("Ideellt arbete")
        GENERAL = "general", _("Allmänna belopp")

    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=2000)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, default=Category.GENERAL)
    unit = models.CharField(_("enhet"), max_length=100, help_text=_("Till exempel ”person och år” eller ”timme”."))
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("valuta"), max_length=3, default="SEK")
    price_year = models.PositiveSmallIntegerField(
        _("prisår"), help_text=_("Det år vars prisnivå värdet är uttryckt i (prisbas).")
    )
    source = models.TextField(_("källa"), max_length=2000)
    source_url = HttpsURLField(_("länk till källan"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrativt exempel"),
        default=False,
        help_text=_("Ett påhittat exempel som visar hur biblioteket fungerar, inte ett belagt värde."),
    )
    derivation = models.CharField(
        _("härledning"),
        max_length=300,
        blank=True,
        help_text=_("Hur värdet räknas fram, till exempel ”276 timmar × 98 kr per timme”."),
    )
    evidence_grade = models.CharField(
        _("evidensgrad"),
        max_length=10,
        blank=True,
        choices=[("low", _("Låg")), ("medium", _("Medel")), ("high", _("Hög"))],
        help_text=_("Hur starkt källan belägger värdet."),
    )

    def clean(self) -> None:
        super().clean()
        if not self.derivation or self.value is None:
            return
        derivation = parse_derivation(self.derivation)
        if derivation is None:
            raise ValidationError(
                {"derivation": _("Skriv härledningen som tal med ×, till exempel ”276 timmar × 98 kr per timme”.")}
            )
        if mismatch(float(self.value), derivation):
            raise ValidationError(
                {
                    "value": _("Värdet stämmer inte med härledningen, som ger %(derived)s.")
                    % {"derived": f"{derivation.value:,.2f}".replace(",", "\u00a0").replace(".", ",")}
                }
            )

    class Meta:
        ordering = ["category", "name", "-price_year", "id"]
        verbose_name = _("finansiell proxy")
        verbose_name_plural = _("finansiella proxyer")
        constraints = [
            models.UniqueConstraint(fields=["name", "unit", "price_year"], name="proxy_name_unit_year_unique"),
            models.CheckConstraint(
                condition=Q(price_year__gte=MIN_PRICE_YEAR, price_year__lte=MAX_PRICE_YEAR),
                name="proxy_price_year_plausible",
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="proxy_currency_code"),
            # A proxy without a source cannot be checked, so it is not a proxy in this library.
            models.CheckConstraint(condition=~Q(source=""), name="proxy_source_required"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.price_year})"


class SocialValueAnalysis(TimeStampedModel):
    """An SROI analysis owned by an organisation or a municipality, published after review by a second person."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        IN_REVIEW = "in_review", _("Granskas")
        PUBLISHED = "published", _("Publicerad")

    # Who may take each step is in permissions.py; services.analysis_transition alone takes them.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.DRAFT, Status.IN_REVIEW, "submit"),
        (Status.IN_REVIEW, Status.PUBLISHED, "approve"),
        (Status.IN_REVIEW, Status.DRAFT, "return"),
    )

    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("sammanfattning"), blank=True, max_length=4000)
    owner_organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_value_analyses",
        verbose_name=_("ägande organisation"),
    )
    owner_municipality = models.ForeignKey(
        "core.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_value_analyses",
        verbose_name=_("ägande kommun"),
    )
    # The Region itself (the county's public body; one per installation, named in settings.CIVSAM).
    owner_region = models.BooleanField(_("ägs av regionen"), default=False)
    priority_areas = models.ManyToManyField(
        "plan.PriorityArea", blank=True, verbose_name=_("prioriterade aktivitetsområden")
    )
    # The plan's initiatives that the analysis is about, as records; the initiative page lists the
    # published analyses linked to it.
    initiatives = models.ManyToManyField(
        "plan.Initiative",
        blank=True,
        related_name="social_value_analyses",
        verbose_name=pgettext_lazy("plan initiative", "insatser"),
    )
    # Grants and IOP agreements have no apps yet: named here in free text until they do.
    related_records = models.TextField(
        _("kopplade bidrag och IOP"),
        blank=True,
        max_length=2000,
        help_text=_("Bidrag och IOP-överenskommelser som analysen gäller, med diarienummer om det finns."),
    )
    # The impact map has no column for activities; the theory of change takes them from here.
    activities = models.TextField(
        _("aktiviteter"), blank=True, max_length=4000, help_text=_("Vad verksamheten gör, en aktivitet per rad.")
    )
    impact_map = models.JSONField(_("effektkarta"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("författare"),
    )
    # Whoever sent it for review may have rewritten it, so they may not review it either.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("skickad av"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granskare"),
    )
    review_comment = models.TextField(_("granskarens kommentar"), blank=True, max_length=4000)
    submitted_at = models.DateTimeField(_("skickad för granskning"), null=True, blank=True)
    # Every figure as the engine computed it when the analysis was approved, so that a published
    # report stays the same when the engine changes.
    results = models.JSONField(_("beräknade resultat"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-updated_at", "-id"]
        verbose_name = _("samhällsnyttoanalys")
        verbose_name_plural = _("samhällsnyttoanalyser")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_organisation__isnull=False, owner_municipality__isnull=True, owner_region=False)
                    | Q(owner_organisation__isnull=True, owner_municipality__isnull=False, owner_region=False)
                    | Q(owner_organisation__isnull=True, owner_municipality__isnull=True, owner_region=True)
                ),
                name="analysis_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | Q(author__isnull=True) | ~Q(reviewer=F("author")),
                name="analysis_reviewer_not_author",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | Q(submitted_by__isnull=True) | ~Q(reviewer=F("submitted_by")),
                name="analysis_reviewer_not_submitter",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published"]), name="analysis_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(published_at__isnull=False, results__isnull=False, impact_map__isnull=False),
                name="analysis_published_has_snapshot",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="analysis_status_published_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("impact:analysis-detail", args=[self.pk])

    @property
    def owner(self):
        """The organisation or municipality, or for the Region its name (a text: it has no model)."""
        if self.owner_region:
            return settings.CIVSAM["REGION_NAME"]
        return self.owner_organisation or self.owner_municipality

    @property
    def owner_kind(self) -> str:
        if self.owner_region:
            return "region"
        return "organisation" if self.owner_organisation_id else "municipality"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class AnalysisPdf(RenderedFile):
    """The report PDF of an analysis for one language and data version, rendered by the worker
    (docs/adr/0049-*). The renderer checks that the analysis is still at that version."""

    RENDERER = "civsam.impact.rendering.analysis_pdf_render"
    OWNER = "analysis"

    analysis = models.ForeignKey(SocialValueAnalysis, on_delete=models.CASCADE, related_name="pdfs")

    class Meta:
        ordering = ["analysis", "-queued_at"]
        verbose_name = _("analys-pdf")
        verbose_name_plural = _("analys-pdf:er")
        constraints = RenderedFile.constraints_for("analysis", "analysis_pdf")

    def __str__(self) -> str:
        return f"{self.analysis_id} {self.language} {self.status}"
