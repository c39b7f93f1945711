"""Co-financing of the plan: what a funding source gives an initiative in a year (ADR 0092).

The plan sits below funding (ADR 0055), so the link between an initiative and a funding source is
owned here; the initiative's free-text funding (plan.InitiativeFunding) stays for what no source covers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .sources import FundingSource

FIRST_YEAR, LAST_YEAR = 2000, 2100


class InitiativeFundingLine(models.Model):
    """One funding line of an initiative: a source, a year, an amount in kronor and its kind."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("Beviljade medel")
        OWN_MONEY = "own_money", _("Egen medfinansiering i pengar")
        IN_KIND = "in_kind", _("Medfinansiering i tid (värderad)")

    initiative = models.ForeignKey(
        "plan.Initiative", on_delete=models.CASCADE, related_name="funding_lines", verbose_name=_("insats")
    )
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="initiative_lines", verbose_name=_("finansieringskälla")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices, default=Kind.GRANTED)

    class Meta:
        ordering = ["year", "id"]
        verbose_name = _("finansieringsrad")
        verbose_name_plural = _("finansieringsrader")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_line_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="funding_line_year_in_range"
            ),
            models.UniqueConstraint(fields=["initiative", "source", "year", "kind"], name="funding_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source_id}: {self.amount}"
