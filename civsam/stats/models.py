"""Statistics on the sector, stored per year by a job (ADR 0112), and the population they divide by."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.models import HttpsURLField, Municipality


class Population(models.Model):
    """A municipality's population on 31 December of a year, from Statistics Sweden."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations", verbose_name=_("kommun")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("folkmängd"))
    source = models.CharField(_("källa"), max_length=300)
    # When Civsam read it (from the API or a downloaded file); None for rows loaded before this was kept.
    imported_at = models.DateTimeField(_("inläst"), null=True, blank=True)

    class Meta:
        ordering = ["year", "municipality__code"]
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängd")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2100), name="population_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.population}"


class Figure(models.Model):
    """One stored figure: a count for a figure, a dimension's key and a year.

    Written only by `services.statistics_compute` (a job, or the coordinator's button), read by the
    statistics page, its downloads and the API, so no request counts the register. A year once
    computed is kept: later runs recompute only the current year and the one before, unless asked
    for a given year (ADR 0112). `value` is None where a person-based cell under five is hidden.
    """

    figure = models.CharField(max_length=30)
    dimension = models.CharField(max_length=20)
    key = models.CharField(max_length=60)  # a municipality code, legal form code, flag name, ...
    label = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveBigIntegerField(null=True)  # a count, or whole kronor (FigureDefinition.unit)
    suppressed = models.BooleanField(default=False)
    population = models.PositiveIntegerField(null=True)  # that year's, for the figures per 1,000
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["figure", "dimension", "key", "year"]
        verbose_name = _("statistikuppgift")
        verbose_name_plural = _("statistikuppgifter")
        constraints = [
            models.UniqueConstraint(fields=["figure", "dimension", "key", "year"], name="stats_figure_unique"),
            models.CheckConstraint(
                condition=Q(suppressed=False) | Q(value__isnull=True), name="stats_figure_suppressed_has_no_value"
            ),
        ]
        indexes = [models.Index(fields=["dimension", "key", "year"], name="stats_figure_dim_key_idx")]

    def __str__(self) -> str:
        return f"{self.figure} {self.dimension}:{self.key} {self.year}"


class ExternalFigure(models.Model):
    """A figure published by someone else, stored beside Civsam's own (ADR 0129): a Kolada key
    figure per municipality and year, or one of Statistics Sweden's national figures on civil
    society. Written only by `services.external_figures_set`; the source and its date travel with
    every value, so that a page never shows one without the other."""

    class Source(models.TextChoices):
        KOLADA = "kolada", _("Kolada (RKA)")
        SCB_CIVIL_SOCIETY = "scb-civil-society", _("SCB, det civila samhällets satelliträkenskaper")

    source = models.CharField(_("källa"), max_length=20, choices=Source.choices)
    indicator = models.CharField(_("nyckeltal"), max_length=40)  # a Kolada KPI id, or our code for SCB's figure
    title = models.CharField(_("benämning"), max_length=300)  # as the source names it
    unit = models.CharField(_("enhet"), max_length=40, blank=True)
    area = models.CharField(_("område"), max_length=4)  # a municipality code, or "00" for Sweden
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=20, decimal_places=4)
    citation = models.CharField(_("källhänvisning"), max_length=400)
    url = HttpsURLField(_("länk till källan"), max_length=400, blank=True)
    published_on = models.DateField(_("publicerad"), null=True, blank=True)
    imported_at = models.DateTimeField(_("inläst"))

    class Meta:
        ordering = ["source", "indicator", "area", "year"]
        verbose_name = _("extern uppgift")
        verbose_name_plural = _("externa uppgifter")
        constraints = [
            models.UniqueConstraint(fields=["source", "indicator", "area", "year"], name="stats_external_unique"),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2100), name="stats_external_year_plausible"),
        ]
        indexes = [models.Index(fields=["area", "year"], name="stats_external_area_year_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.indicator} {self.area} {self.year}"
