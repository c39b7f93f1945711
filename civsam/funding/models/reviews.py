"""Reviews of applications: reviewers assigned by the officer, their conflict-of-interest
declarations, and their scores against the call's criteria."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.workflow import Workflow

from .applications import Application
from .programmes import CallCriterion


class ReviewAssignment(models.Model):
    """One reviewer on one application. The reviewer first declares whether they are disqualified
    (jäv); a reviewer who is takes no further part and sees no scores."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Tilldelad")
        CLEARED = "cleared", _("Inget jäv")
        RECUSED = "recused", _("Jävig")
        SUBMITTED = "submitted", _("Bedömning lämnad")

    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.ASSIGNED, Status.CLEARED, "declare_no_conflict"),
        (Status.ASSIGNED, Status.RECUSED, "declare_conflict"),
        (Status.CLEARED, Status.RECUSED, "declare_conflict"),
        (Status.CLEARED, Status.SUBMITTED, "submit"),
        (Status.SUBMITTED, Status.CLEARED, "reopen"),
    )

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    conflict_note = models.TextField(_("om jäv"), blank=True, max_length=2000)
    comment = models.TextField(_("sammanfattande kommentar"), blank=True, max_length=8000)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "assigned_at", "id"]
        verbose_name = _("bedömningsuppdrag")
        verbose_name_plural = _("bedömningsuppdrag")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer"),
            models.CheckConstraint(
                condition=Q(status__in=["assigned", "cleared", "recused", "submitted"]), name="review_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.reviewer}"


class ReviewScore(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CallCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("poäng"))
    comment = models.TextField(_("kommentar"), blank=True, max_length=4000)

    class Meta:
        ordering = ["assignment", "criterion__position", "criterion_id"]
        verbose_name = _("poäng")
        verbose_name_plural = _("poäng")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_one_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
