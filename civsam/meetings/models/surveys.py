"""Surveys after (and before) a meeting: the knowledge survey answered twice, the evaluation once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel

from .events import Event, Registration


class Survey(TimeStampedModel):
    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Kunskapsenkät (före och efter)")
        EVALUATION = "evaluation", _("Utvärdering")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("evenemang"))
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    sent_before_at = models.DateTimeField(_("skickad före"), null=True, blank=True)
    sent_after_at = models.DateTimeField(_("skickad efter"), null=True, blank=True)

    class Meta:
        ordering = ["event", "kind"]
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="survey_one_per_kind")]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Skala 1–5")
        TEXT = "text", _("Fritext")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("enkät"))
    text = models.CharField(_("fråga"), max_length=300)
    kind = models.CharField(_("svarstyp"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("enkätfråga")
        verbose_name_plural = _("enkätfrågor")

    def __str__(self) -> str:
        return self.text


class SurveyResponse(TimeStampedModel):
    class Phase(models.TextChoices):
        BEFORE = "before", _("Före")
        AFTER = "after", _("Efter")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("enkät"))
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("anmälan")
    )
    phase = models.CharField(_("tillfälle"), max_length=6, choices=Phase.choices)
    answers = models.JSONField(_("svar"), default=dict)

    class Meta:
        ordering = ["survey", "created_at", "id"]
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        constraints = [
            models.UniqueConstraint(fields=["survey", "registration", "phase"], name="survey_response_once"),
            models.CheckConstraint(condition=Q(phase__in=["before", "after"]), name="survey_response_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.registration_id} ({self.phase})"
