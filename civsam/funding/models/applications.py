"""Applications to the calls of a programme, their attachments, the decision on each and its letter."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import RenderedFile, TimeStampedModel
from civsam.core.workflow import Workflow

from .decisions import GrantDecision
from .sources import FundingCall

STATUSES = [
    "draft",
    "submitted",
    "completion_requested",
    "in_review",
    "approved",
    "partly_approved",
    "rejected",
    "paid",
    "follow_up_due",
    "follow_up_received",
    "closed",
    "withdrawn",
]


class Application(TimeStampedModel):
    """An organisation's application to a call, from draft to closed (docs/adr/0069-*)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")
        COMPLETION_REQUESTED = "completion_requested", _("Komplettering begärd")
        IN_REVIEW = "in_review", _("Under bedömning")
        APPROVED = "approved", _("Beviljad")
        PARTLY_APPROVED = "partly_approved", _("Delvis beviljad")
        REJECTED = "rejected", _("Avslagen")
        PAID = "paid", _("Utbetald")
        FOLLOW_UP_DUE = "follow_up_due", _("Återrapport väntas")
        FOLLOW_UP_RECEIVED = "follow_up_received", _("Återrapport inkommen")
        CLOSED = "closed", _("Avslutad")
        WITHDRAWN = "withdrawn", _("Återtagen")

    # Who may take each step is in permissions.py; services/applications/common.py (status_set) changes the status.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.DRAFT, Status.SUBMITTED, "submit"),
        (Status.SUBMITTED, Status.COMPLETION_REQUESTED, "request_completion"),
        (Status.COMPLETION_REQUESTED, Status.SUBMITTED, "submit"),
        (Status.SUBMITTED, Status.IN_REVIEW, "start_review"),
        (Status.IN_REVIEW, Status.APPROVED, "approve"),
        (Status.IN_REVIEW, Status.PARTLY_APPROVED, "approve_partly"),
        (Status.IN_REVIEW, Status.REJECTED, "reject"),
        (Status.APPROVED, Status.PAID, "pay"),
        (Status.PARTLY_APPROVED, Status.PAID, "pay"),
        (Status.PAID, Status.FOLLOW_UP_DUE, "require_follow_up"),
        (Status.FOLLOW_UP_DUE, Status.FOLLOW_UP_RECEIVED, "receive_follow_up"),
        (Status.FOLLOW_UP_RECEIVED, Status.FOLLOW_UP_DUE, "require_follow_up"),
        (Status.FOLLOW_UP_RECEIVED, Status.CLOSED, "close"),
        (Status.FOLLOW_UP_DUE, Status.CLOSED, "close"),
        (Status.DRAFT, Status.WITHDRAWN, "withdraw"),
        (Status.SUBMITTED, Status.WITHDRAWN, "withdraw"),
        (Status.COMPLETION_REQUESTED, Status.WITHDRAWN, "withdraw"),
        (Status.IN_REVIEW, Status.WITHDRAWN, "withdraw"),
    )
    EDITABLE = (Status.DRAFT, Status.COMPLETION_REQUESTED)
    DECIDED = (Status.APPROVED, Status.PARTLY_APPROVED, Status.REJECTED)
    GRANTED = (
        Status.APPROVED,
        Status.PARTLY_APPROVED,
        Status.PAID,
        Status.FOLLOW_UP_DUE,
        Status.FOLLOW_UP_RECEIVED,
        Status.CLOSED,
    )

    call = models.ForeignKey(
        FundingCall, on_delete=models.PROTECT, related_name="applications", verbose_name=_("utlysning")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("sökande organisation"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    amount_applied = models.DecimalField(_("sökt belopp"), max_digits=14, decimal_places=2, null=True, blank=True)
    years = models.PositiveSmallIntegerField(_("antal år"), default=1)
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-post för kvitto och beslut"), blank=True)
    completion_note = models.TextField(_("begärd komplettering"), blank=True, max_length=4000)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("svar hämtade från")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=STATUSES), name="application_status_valid"),
            # Every application past its draft has its case number; a draft withdrawn never got one.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | ~Q(case_number=""), name="application_has_case_number"
            ),
            models.UniqueConstraint(
                fields=["case_number"], condition=~Q(case_number=""), name="application_case_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount_applied__isnull=True) | Q(amount_applied__gte=0),
                name="application_amount_not_negative",
            ),
            models.CheckConstraint(condition=Q(years__gte=1, years__lte=10), name="application_years_range"),
        ]
        indexes = [
            models.Index(fields=["call", "status"], name="application_call_status_idx"),
            models.Index(fields=["organisation", "-created_at"], name="application_org_idx"),
        ]

    def __str__(self) -> str:
        return self.case_number or f"{self.title} ({_('utkast')})"

    def get_absolute_url(self) -> str:
        return reverse("funding:application-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    """A generated name: nothing the uploader chose reaches the storage's paths."""
    return f"funding/attachments/{uuid.uuid4().hex}.{instance.extension}"


class ApplicationAttachment(models.Model):
    """A file attached to an application or to one of its follow-up reports, checked by content
    (filetypes.py) and served only to those who may see the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(
        "funding.FollowUpReport", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("storlek"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self) -> str:
        return self.original_name


class ApplicationDecision(models.Model):
    """The decision on an application: outcome, amount, reasons, who decided and when. A grant is
    entered in the register (grant_decision) by the same service."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Beviljas")
        PARTLY_APPROVED = "partly_approved", _("Beviljas delvis")
        REJECTED = "rejected", _("Avslås")

    class Maker(models.TextChoices):
        COMMITTEE = "committee", _("Nämnden")
        DELEGATION = "delegation", _("På delegation")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("beslut"), max_length=20, choices=Outcome.choices)
    amount_granted = models.DecimalField(_("beviljat belopp"), max_digits=14, decimal_places=2)
    year_from = models.PositiveSmallIntegerField(_("från år"))
    year_to = models.PositiveSmallIntegerField(_("till år"))
    reasons = models.TextField(_("motivering"), max_length=8000)
    conditions = models.TextField(_("villkor"), blank=True, max_length=8000)
    decision_maker = models.CharField(_("beslutsfattare"), max_length=12, choices=Maker.choices)
    decision_maker_name = models.CharField(_("nämnd eller delegat"), max_length=200)
    decision_date = models.DateField(_("beslutsdatum"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grant_decision = models.OneToOneField(
        GrantDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="application_decision"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beslut om ansökan")
        verbose_name_plural = _("beslut om ansökningar")
        constraints = [
            models.CheckConstraint(condition=Q(amount_granted__gte=0), name="app_decision_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(outcome="rejected") | Q(amount_granted=0), name="app_decision_rejected_is_zero"
            ),
            models.CheckConstraint(
                condition=Q(outcome="rejected") | Q(amount_granted__gt=0), name="app_decision_granted_positive"
            ),
            models.CheckConstraint(condition=Q(year_to__gte=F("year_from")), name="app_decision_years_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_outcome_display()}"

    @property
    def is_grant(self) -> bool:
        return self.outcome != self.Outcome.REJECTED


class DecisionLetter(RenderedFile):
    """The decision letter as a tagged PDF for one language and version, rendered by the worker
    (ADR 0049) from the same template as the letter's page."""

    RENDERER = "civsam.funding.rendering.decision_letter_render"
    OWNER = "decision"

    decision = models.ForeignKey(ApplicationDecision, on_delete=models.CASCADE, related_name="letters")

    class Meta:
        ordering = ["decision", "-queued_at"]
        verbose_name = _("beslutsbrev")
        verbose_name_plural = _("beslutsbrev")
        constraints = RenderedFile.constraints_for("decision", "decision_letter")

    def __str__(self) -> str:
        return f"{self.decision_id} {self.language} {self.status}"
