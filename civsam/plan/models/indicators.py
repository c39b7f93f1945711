"""Indicators of the plan with targets and yearly values (computed ones: computations.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel


class Indicator(TimeStampedModel):
    """A measure attached to the goal, a focus area, a priority area or an initiative of one plan."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Högre är bättre")
        LOWER = "lower", _("Lägre är bättre")

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Förs in för hand")
        COMPUTED = "computed", _("Beräknas från Civsams data")

    plan = models.ForeignKey("plan.Plan", on_delete=models.CASCADE, related_name="indicators")
    focus_area = models.ForeignKey(
        "plan.FocusArea", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    priority_area = models.ForeignKey(
        "plan.PriorityArea", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    initiative = models.ForeignKey(
        "plan.Initiative", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name_sv = models.CharField(_("namn"), max_length=300)
    name_en = models.CharField(_("namn (engelska)"), max_length=300, blank=True)
    unit = models.CharField(_("enhet"), max_length=60)
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(_("decimaler"), default=0)
    baseline_year = models.PositiveSmallIntegerField(_("basår"), null=True, blank=True)
    baseline_value = models.DecimalField(_("basvärde"), max_digits=18, decimal_places=4, null=True, blank=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    computation = models.CharField(_("beräkning"), max_length=60, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            # Attached to at most one level below the plan (none: the goal itself).
            models.CheckConstraint(
                condition=(
                    Q(focus_area__isnull=True, priority_area__isnull=True)
                    | Q(focus_area__isnull=True, initiative__isnull=True)
                    | Q(priority_area__isnull=True, initiative__isnull=True)
                ),
                name="indicator_one_level",
            ),
            models.CheckConstraint(
                condition=Q(kind="manual", computation="") | (Q(kind="computed") & ~Q(computation="")),
                name="indicator_computation_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | Q(baseline_year__isnull=False, baseline_value__isnull=False),
                name="indicator_baseline_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        english = (get_language() or "sv").startswith("en")
        return self.name_en if english and self.name_en else self.name_sv

    def get_absolute_url(self) -> str:
        return reverse("plan:indicator-detail", args=[self.code])


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("målvärde"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["year"]
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class IndicatorValue(models.Model):
    """The actual value of a year. Earlier values of the same year are kept in the audit log."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("utfall"), max_digits=18, decimal_places=4)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)
    is_computed = models.BooleanField(_("beräknat"), default=False)
    recorded_at = models.DateTimeField(_("registrerat"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"
