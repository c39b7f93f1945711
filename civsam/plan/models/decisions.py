"""The decisions that carry a plan through its life: sent on consultation, adopted, superseded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel


class PlanDecision(TimeStampedModel):
    """One step of Plan.WORKFLOW, as the deciding body took it: who decided, when, and the case
    number (the Region's form, plan/case_numbers.py). Written only by services.plan_status_change
    and, for a plan the reference file creates, by the reference load."""

    plan = models.ForeignKey("plan.Plan", on_delete=models.CASCADE, related_name="decisions", verbose_name=_("plan"))
    action = models.CharField(_("steg"), max_length=20)
    status_before = models.CharField(_("status före"), max_length=20)
    status_after = models.CharField(_("status efter"), max_length=20)
    body = models.CharField(_("beslutande organ"), max_length=200)
    decided_on = models.DateField(_("beslutsdatum"))
    # Blank only for decisions taken from the sources, where no case number is published.
    case_number = models.CharField(_("diarienummer"), max_length=20, blank=True)
    note = models.TextField(_("kommentar"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "decided_on", "id"]
        verbose_name = _("beslut om planen")
        verbose_name_plural = _("beslut om planen")
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="plan_decision_has_body"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.decided_on:%Y-%m-%d}"

    @property
    def status_after_label(self) -> str:
        from .tree import Plan

        return str(Plan.Status(self.status_after).label) if self.status_after in Plan.Status.values else ""


class PlanText(TimeStampedModel):
    """One version of the coordinator's text about the plan, a focus area or a priority area, in
    Swedish and English (plan/text_format.py's limited formatting). Versions are never changed;
    the newest is shown."""

    plan = models.ForeignKey("plan.Plan", on_delete=models.CASCADE, related_name="texts", verbose_name=_("plan"))
    # Which part of the plan: "plan", a focus area's code ("2") or a priority area's ("2.3").
    target = models.CharField(_("del av planen"), max_length=10)
    version = models.PositiveIntegerField(_("version"))
    body_sv = models.TextField(_("text"))
    body_en = models.TextField(_("text på engelska"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "target", "-version"]
        verbose_name = _("text om planen")
        verbose_name_plural = _("texter om planen")
        constraints = [
            models.UniqueConstraint(fields=["plan", "target", "version"], name="plan_text_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.target} v{self.version}"
