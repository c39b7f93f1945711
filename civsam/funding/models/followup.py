"""Follow-up of grants: the reports each grant owes, the reports received and their review, and
recovery (återkrav) of money unused or not accounted for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.workflow import Workflow

from .applications import Application


class ReportRequirement(models.Model):
    """A report the recipient owes by a date (one per year of the grant)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Väntar")
        RECEIVED = "received", _("Inkommen")
        APPROVED = "approved", _("Godkänd")

    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.OPEN, Status.RECEIVED, "submit"),
        (Status.RECEIVED, Status.APPROVED, "approve"),
        (Status.RECEIVED, Status.OPEN, "return"),
    )

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="report_requirements")
    title = models.CharField(_("återrapport"), max_length=200)
    due_date = models.DateField(_("senast"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # Each reminder goes once: before the due date and after it.
    reminded_before_on = models.DateField(null=True, blank=True, editable=False)
    reminded_after_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["application", "due_date", "id"]
        verbose_name = _("krav på återrapport")
        verbose_name_plural = _("krav på återrapport")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "received", "approved"]), name="report_requirement_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="report_req_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.application}: {self.title}"


class FollowUpReport(models.Model):
    """What the recipient reported: what was done and what the money went to; reviewed by the officer."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Ej granskad")
        APPROVED = "approved", _("Godkänd")
        RETURNED = "returned", _("Återsänd för komplettering")

    requirement = models.ForeignKey(ReportRequirement, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("vad som har gjorts"), max_length=20000)
    amount_used = models.DecimalField(_("använt belopp"), max_digits=14, decimal_places=2)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(_("granskning"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    review_comment = models.TextField(_("kommentar från handläggaren"), blank=True, max_length=4000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requirement", "submitted_at", "id"]
        verbose_name = _("återrapport")
        verbose_name_plural = _("återrapporter")
        constraints = [
            models.CheckConstraint(condition=Q(amount_used__gte=0), name="followup_amount_used_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} ({self.submitted_at:%Y-%m-%d})"


class Recovery(models.Model):
    """A claim to pay back (återkrav) money unused, not accounted for, or used against the conditions."""

    class Reason(models.TextChoices):
        UNUSED = "unused", _("Pengar som inte har använts")
        UNACCOUNTED = "unaccounted", _("Pengar som inte har redovisats")
        CONDITIONS = "conditions", _("Villkoren har inte följts")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Krävs tillbaka")
        REPAID = "repaid", _("Återbetald")
        WAIVED = "waived", _("Efterskänkt")

    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.CLAIMED, Status.REPAID, "record_repayment"),
        (Status.CLAIMED, Status.WAIVED, "waive"),
    )

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recoveries")
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("skäl"), max_length=12, choices=Reason.choices)
    explanation = models.TextField(_("motivering"), max_length=4000)
    due_date = models.DateField(_("betalas senast"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(_("beslutat"))
    settled_on = models.DateField(_("reglerat"), null=True, blank=True)

    class Meta:
        ordering = ["application", "decided_on", "id"]
        verbose_name = _("återkrav")
        verbose_name_plural = _("återkrav")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["claimed", "repaid", "waived"]), name="recovery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="claimed") | Q(settled_on__isnull=False), name="recovery_settled_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.amount}"
