"""The legal assessment of an IOP before it is signed: a checklist with a memo (ADR 0133)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import assessment
from .agreements import Agreement, Party


class LegalAssessment(models.Model):
    class Procurement(models.TextChoices):
        PARTNERSHIP = (
            assessment.PARTNERSHIP,
            _("Ett partnerskap: parterna bidrar till ett gemensamt mål och ingen köper en tjänst av någon annan"),
        )
        PUBLIC_CONTRACT = (
            assessment.PUBLIC_CONTRACT,
            _("Ett offentligt kontrakt: en tjänst köps mot ersättning och ska upphandlas (LOU 1 kap. 15 §)"),
        )

    class StateAid(models.TextChoices):
        NO_ECONOMIC_ACTIVITY = (
            assessment.NO_ECONOMIC_ACTIVITY,
            _("Inget statsstöd: verksamheten som stöds är inte ekonomisk"),
        )
        DE_MINIMIS = assessment.DE_MINIMIS, _("Stöd av mindre betydelse, tak 300 000 euro (förordning (EU) 2023/2831)")
        SGEI_DE_MINIMIS = (
            assessment.SGEI_DE_MINIMIS,
            _(
                "Stöd av mindre betydelse för tjänster av allmänt ekonomiskt intresse, tak 750 000 euro "
                "(förordning (EU) 2023/2832)"
            ),
        )
        OTHER_EXEMPTION = assessment.OTHER_EXEMPTION, _("Annat undantag, som promemorian anger")

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="assessment")
    procurement = models.CharField(_("upphandling"), max_length=20, choices=Procurement.choices, blank=True)
    state_aid = models.CharField(_("statsstöd"), max_length=24, choices=StateAid.choices, blank=True)
    general_interest = models.BooleanField(
        _("allmänt intresse enligt kommunallagen"),
        default=False,
        help_text=_(
            "Insatsen gagnar invånarna i allmänhet och är inte stöd till enskilda "
            "(kommunallagen (2017:725) 2 kap. 1 § och 8 §)."
        ),
    )
    memo = models.TextField(_("promemoria"), blank=True, max_length=20000)
    aid_recipient = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("stödmottagare")
    )
    aid_amount_sek = models.DecimalField(_("stödbelopp (kr)"), max_digits=14, decimal_places=2, null=True, blank=True)
    sek_per_eur = models.DecimalField(
        _("växelkurs (kr per euro)"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    rate_source = models.CharField(_("källa för växelkursen"), max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rättslig bedömning")
        verbose_name_plural = _("rättsliga bedömningar")

    def __str__(self) -> str:
        return f"{self.agreement}"

    @property
    def is_de_minimis(self) -> bool:
        return self.state_aid in assessment.DE_MINIMIS_KINDS

    def checklist(self, *, within_ceiling: bool | None = None) -> assessment.Checklist:
        return assessment.Checklist(
            procurement=self.procurement,
            state_aid=self.state_aid,
            general_interest=self.general_interest,
            memo=self.memo,
            aid_recipient=self.aid_recipient_id is not None,
            aid_amount_sek=self.aid_amount_sek,
            sek_per_eur=self.sek_per_eur,
            within_ceiling=within_ceiling,
        )
