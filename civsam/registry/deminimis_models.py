"""The de minimis ledger: aid declared as de minimis, per organisation (ADR 0132).

It lives in the registry, below the apps that grant aid (funding's grant decisions, agreements'
IOPs), so that each of them writes to and reads from one ledger without importing the other. An
entry names where it comes from as text (`source`: "grant-decision:12", "agreement:7"), not as a
foreign key, for the same reason. The arithmetic is civsam.registry.deminimis (pure)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import deminimis


class DeMinimisAid(models.Model):
    class Regime(models.TextChoices):
        GENERAL = deminimis.GENERAL, _("Stöd av mindre betydelse (förordning (EU) 2023/2831)")
        SGEI = deminimis.SGEI, _("Stöd av mindre betydelse för tjänster av allmänt ekonomiskt intresse (2023/2832)")

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="de_minimis_aid", verbose_name=_("mottagare")
    )
    regime = models.CharField(_("regelverk"), max_length=8, choices=Regime.choices, default=Regime.GENERAL)
    granted_on = models.DateField(_("beviljat den"))
    amount_sek = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)
    sek_per_eur = models.DecimalField(_("växelkurs (kr per euro)"), max_digits=8, decimal_places=4)
    rate_source = models.CharField(_("källa för växelkursen"), max_length=200)
    grantor = models.CharField(_("beviljat av"), max_length=200)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)
    description = models.CharField(_("avser"), max_length=300, blank=True)
    # Where the entry comes from, as "<kind>:<id>"; one entry per source and organisation.
    source = models.CharField(_("källa"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-granted_on", "id"]
        verbose_name = _("stöd av mindre betydelse")
        verbose_name_plural = _("stöd av mindre betydelse")
        constraints = [
            models.UniqueConstraint(fields=["source", "organisation"], name="deminimis_one_per_source"),
            models.CheckConstraint(condition=Q(amount_sek__gte=0), name="deminimis_amount_not_negative"),
            models.CheckConstraint(condition=Q(sek_per_eur__gt=0), name="deminimis_rate_positive"),
            models.CheckConstraint(condition=Q(regime__in=["general", "sgei"]), name="deminimis_regime_known"),
        ]
        indexes = [models.Index(fields=["organisation", "granted_on"], name="deminimis_org_date_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.granted_on} {self.amount_sek}"

    def as_entry(self) -> deminimis.Entry:
        return deminimis.Entry(self.granted_on, self.amount_sek, self.sek_per_eur, self.regime)

    @property
    def amount_eur(self):
        return self.as_entry().amount_eur
