"""Consultation (remiss) of a draft plan version: responses section by section, with attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel
from civsam.core.workflow import Workflow


class Consultation(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Öppen för svar")
        CLOSED = "closed", _("Avslutad")

    # Open → closed; a closed consultation can be reopened (for example with a later deadline).
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.OPEN, Status.CLOSED, "close"),
        (Status.CLOSED, Status.OPEN, "reopen"),
    )

    plan = models.ForeignKey("plan.Plan", on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    deadline = models.DateField(_("sista svarsdag"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan:consultation-detail", args=[self.pk])


class ConsultationResponse(TimeStampedModel):
    """One respondent's answer: an organisation, a municipality or another public body."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("organisation")
    )
    municipality = models.ForeignKey(
        "core.Municipality", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("kommun")
    )
    respondent_name = models.CharField(_("annan remissinstans"), max_length=200, blank=True)
    general_comment = models.TextField(_("övergripande synpunkter"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("remissvar")
        verbose_name_plural = _("remissvar")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(municipality__isnull=False) | ~Q(respondent_name=""),
                name="consultation_response_has_respondent",
            ),
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                condition=Q(organisation__isnull=False),
                name="consultation_response_one_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["consultation", "municipality"],
                condition=Q(municipality__isnull=False),
                name="consultation_response_one_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.respondent

    @property
    def respondent(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.municipality_id:
            return self.municipality.body_name
        return self.respondent_name


class ResponseSection(models.Model):
    """What a respondent says about one focus area or one priority area."""

    response = models.ForeignKey(ConsultationResponse, on_delete=models.CASCADE, related_name="sections")
    focus_area = models.ForeignKey("plan.FocusArea", null=True, blank=True, on_delete=models.CASCADE)
    priority_area = models.ForeignKey("plan.PriorityArea", null=True, blank=True, on_delete=models.CASCADE)
    text = models.TextField(_("synpunkter"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")
        constraints = [
            models.CheckConstraint(
                condition=Q(focus_area__isnull=False, priority_area__isnull=True)
                | Q(focus_area__isnull=True, priority_area__isnull=False),
                name="response_section_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} – {self.priority_area or self.focus_area}"


class ResponseAttachment(models.Model):
    response = models.ForeignKey(ConsultationResponse, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to="remiss/%Y/")
    name = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveIntegerField(_("storlek"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self) -> str:
        return self.name
