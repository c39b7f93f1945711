"""Earlier yearly values of an indicator: what a value was before it was replaced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndicatorValueRevision(models.Model):
    """A yearly value as it was until indicator_value_set replaced it. Append-only; the current value
    stays in IndicatorValue. Public like the indicator, except who recorded it."""

    indicator = models.ForeignKey("plan.Indicator", on_delete=models.CASCADE, related_name="value_revisions")
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("utfall"), max_digits=18, decimal_places=4)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)
    is_computed = models.BooleanField(_("beräknat"), default=False)
    recorded_at = models.DateTimeField(_("registrerat"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(_("ersatt"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-replaced_at", "-id"]
        verbose_name = _("tidigare utfall")
        verbose_name_plural = _("tidigare utfall")
        indexes = [models.Index(fields=["indicator", "year"], name="indicator_revision_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"
