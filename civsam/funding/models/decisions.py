"""The county's grant register: decisions from every funder, and the figures computed from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import LegalForm, Municipality

from .sources import Funder, FundingSource


class GrantForm(models.TextChoices):
    """The form of a grant, for the split the plan's principle of long-termness asks about."""

    OPERATING = "operating", _("Verksamhetsbidrag")
    PROJECT = "project", _("Projektbidrag")
    ACTIVITY = "activity", _("Aktivitetsbidrag")
    PREMISES = "premises", _("Lokalbidrag")
    INVESTMENT = "investment", _("Investeringsbidrag")
    OTHER = "other", _("Övrigt")


class GrantDecision(models.Model):
    """One decision on a grant to a registry organisation, identified by its funder's case number.

    The recipient's municipality and legal form are stored as they were at the decision: the
    register shows what was decided then, and its filters and figures read one table (ADR 0066).
    A later application module points its decided applications here; nothing in this model
    assumes where a decision came from (import, demo, the Region's own calls).
    """

    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("bidragsgivare")
    )
    source = models.ForeignKey(
        FundingSource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("finansieringskälla"),
        db_index=False,
    )
    programme = models.CharField(_("program"), max_length=200, blank=True)
    recipient = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="grant_decisions",
        verbose_name=_("mottagare"),
        db_index=False,
    )
    recipient_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("mottagarens kommun"), db_index=False
    )
    recipient_legal_form = models.ForeignKey(
        LegalForm,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mottagarens juridiska form"),
        db_index=False,
    )
    grant_form = models.CharField(_("bidragsform"), max_length=12, choices=GrantForm.choices, default=GrantForm.PROJECT)
    amount_applied = models.DecimalField(_("sökt belopp"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_granted = models.DecimalField(_("beviljat belopp"), max_digits=14, decimal_places=2)
    amount_paid = models.DecimalField(_("utbetalt belopp"), max_digits=14, decimal_places=2, null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("från år"))
    year_to = models.PositiveSmallIntegerField(_("till år"))
    decision_date = models.DateField(_("beslutsdatum"))
    case_number = models.CharField(_("diarienummer"), max_length=40)
    purpose = models.TextField(_("ändamål"), blank=True, max_length=2000)
    # Stemmed words of the recipient's name, the purpose, the programme and the case number,
    # written by the services; indexed per database by migration 0002 (as the directory's).
    search_document = models.TextField(default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-decision_date", "-id"]
        verbose_name = _("bidragsbeslut")
        verbose_name_plural = _("bidragsbeslut")
        constraints = [
            models.UniqueConstraint(fields=["funder", "case_number"], name="grant_funder_case_unique"),
            models.CheckConstraint(condition=~Q(case_number=""), name="grant_case_number_present"),
            models.CheckConstraint(condition=Q(amount_granted__gte=0), name="grant_granted_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_applied__isnull=True) | Q(amount_applied__gte=0), name="grant_applied_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__isnull=True) | Q(amount_paid__gte=0), name="grant_paid_not_negative"
            ),
            models.CheckConstraint(condition=Q(year_to__gte=F("year_from")), name="grant_years_ordered"),
            models.CheckConstraint(condition=Q(year_from__gte=1900, year_to__lte=2200), name="grant_years_plausible"),
        ]
        # Each filter of the register leads an index ending in the default order (newest first),
        # so a filtered page reads its rows in order and stops (docs/performance.md, Funding).
        indexes = [
            models.Index(fields=["-decision_date", "-id"], name="grant_date_idx"),
            models.Index(fields=["funder", "-decision_date", "-id"], name="grant_funder_date_idx"),
            models.Index(fields=["recipient", "-decision_date"], name="grant_recipient_date_idx"),
            models.Index(
                fields=["recipient_municipality", "-decision_date", "-id"], name="grant_municipality_date_idx"
            ),
            models.Index(fields=["recipient_legal_form", "-decision_date", "-id"], name="grant_legal_form_date_idx"),
            models.Index(fields=["source", "-decision_date", "-id"], name="grant_source_date_idx"),
            models.Index(fields=["programme", "-decision_date", "-id"], name="grant_programme_date_idx"),
            models.Index(fields=["year_from", "year_to"], name="grant_years_idx"),
            models.Index(fields=["-amount_granted", "-id"], name="grant_amount_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} – {self.recipient_id}"

    def get_absolute_url(self) -> str:
        return reverse("funding:decision-detail", args=[self.pk])

    @property
    def is_multi_year(self) -> bool:
        return self.year_to > self.year_from

    @property
    def programme_label(self) -> str:
        return self.programme or (self.source.name if self.source_id else "")


class GrantDecisionYear(models.Model):
    """One row per decision and year it covers, with the decision's date and amount.

    "Grants covering year Y" is a range over two columns of the decision, so no index of the
    decision yields them newest first; this table's indexes do, and the register's year filter
    reads a page from them and stops (ADR 0142). Written only by the services that write
    decisions (`services.grant_years`), in the same transaction.
    """

    decision = models.ForeignKey(
        GrantDecision, on_delete=models.CASCADE, related_name="covered_years", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    decision_date = models.DateField()
    amount_granted = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("bidragsbeslutets år")
        verbose_name_plural = _("bidragsbesluts år")
        constraints = [models.UniqueConstraint(fields=["decision", "year"], name="grant_year_unique")]
        indexes = [
            models.Index(fields=["year", "-decision_date", "-decision"], name="grant_year_date_idx"),
            models.Index(fields=["year", "-amount_granted", "-decision"], name="grant_year_amount_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.year}"


class GrantImportRun(models.Model):
    """One import of a funder's decision list: what it did, for the record."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="import_runs")
    filename = models.CharField(_("fil"), max_length=255)
    created = models.PositiveIntegerField(_("nya"), default=0)
    updated = models.PositiveIntegerField(_("ändrade"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade"), default=0)
    unmatched = models.PositiveIntegerField(_("okända mottagare"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("import av bidragsbeslut")
        verbose_name_plural = _("importer av bidragsbeslut")

    def __str__(self) -> str:
        return f"{self.filename} ({self.at:%Y-%m-%d %H:%M})"


class GrantFigure(models.Model):
    """One stored figure of the grant statistics: a dimension's value in a year (and grant form).

    Written only by `grant_figures_compute` (a job), read by the statistics page and API, so that
    no request aggregates the register (ADR 0067). `grant_form` "" is the row for all forms.
    """

    class Dimension(models.TextChoices):
        TOTAL = "total", _("Hela länet")
        MUNICIPALITY = "municipality", _("Kommun")
        FUNDER = "funder", _("Bidragsgivare")
        PROGRAMME = "programme", _("Program")
        LEGAL_FORM = "legal_form", _("Juridisk form")
        ACTIVITY_CLASS = "activity_class", _("Verksamhetsområde")

    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    key = models.CharField(max_length=200)  # a municipality code, funder slug, programme name, ...
    label = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    grant_form = models.CharField(max_length=12, blank=True)
    decisions = models.PositiveIntegerField(default=0)
    recipients = models.PositiveIntegerField(default=0)
    amount_granted = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    amount_paid = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    multi_year_amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    population = models.PositiveIntegerField(null=True)
    # Year-on-year stability: recipients of the year before, and how many of them got a grant again.
    recipients_previous = models.PositiveIntegerField(default=0)
    recipients_retained = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["dimension", "key", "year", "grant_form"]
        verbose_name = _("bidragsstatistik")
        verbose_name_plural = _("bidragsstatistik")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key", "year", "grant_form"], name="grant_figure_unique"),
        ]
        indexes = [models.Index(fields=["dimension", "year"], name="grant_figure_dim_year_idx")]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key} {self.year} {self.grant_form or '*'}"
