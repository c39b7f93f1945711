"""Consultation (remiss) of a draft plan version: responses chapter by chapter, with attachments,
the coordinator's disposition of each response, and the secrecy assessment of what is withheld."""

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
    # The compiled consultation report with the dispositions, once the coordinator publishes it.
    report_published_at = models.DateTimeField(_("sammanställningen publicerad"), null=True, blank=True)

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan:consultation-detail", args=[self.pk])


class ConsultationResponse(TimeStampedModel):
    """One respondent's answer: an organisation, a municipality, another body or a private person."""

    class Disposition(models.TextChoices):
        TAKEN_IN = "taken_in", _("Tillgodosett")
        PARTLY = "partly", _("Delvis tillgodosett")
        NOT_TAKEN_IN = "not_taken_in", _("Inte tillgodosett")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("organisation")
    )
    municipality = models.ForeignKey(
        "core.Municipality", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("kommun")
    )
    respondent_name = models.CharField(_("annan remissinstans"), max_length=200, blank=True)
    # A person answering for themselves (submitted_by); shown publicly as "a private person".
    private_person = models.BooleanField(_("svarar som privatperson"), default=False)
    general_comment = models.TextField(_("övergripande synpunkter"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The coordinator's disposition (ställningstagande) of the response.
    disposition = models.CharField(_("ställningstagande"), max_length=20, choices=Disposition.choices, blank=True)
    disposition_reason = models.TextField(_("motivering"), blank=True)
    disposition_change = models.TextField(_("ändring i planen"), blank=True)
    disposed_at = models.DateTimeField(_("ställningstagande gjort"), null=True, blank=True)
    # Secrecy assessment (sekretessprövning): a reason withholds the whole response, or its general
    # comment; sections and attachments carry their own. Blank: public once the consultation closes.
    confidential_reason = models.TextField(_("skäl för sekretess (hela svaret)"), blank=True)
    general_comment_confidential_reason = models.TextField(
        _("skäl för sekretess (övergripande synpunkter)"), blank=True
    )

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("remissvar")
        verbose_name_plural = _("remissvar")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False)
                | Q(municipality__isnull=False)
                | ~Q(respondent_name="")
                | Q(private_person=True, submitted_by__isnull=False),
                name="consultation_response_has_respondent",
            ),
            models.UniqueConstraint(
                fields=["consultation", "submitted_by"],
                condition=Q(private_person=True),
                name="consultation_response_one_per_private_person",
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
        """The respondent as the coordinator sees it: a private person by name."""
        if self.private_person:
            user = self.submitted_by
            name = (user.get_full_name() or user.get_username()) if user else ""
            return _("%(name)s (privatperson)") % {"name": name} if name else str(_("Privatperson"))
        return self.public_respondent

    @property
    def public_respondent(self) -> str:
        """The respondent as public pages and the API show it: a private person without a name."""
        if self.organisation_id:
            return self.organisation.name
        if self.municipality_id:
            return self.municipality.body_name
        if self.private_person:
            return str(_("Privatperson"))
        return self.respondent_name


class ResponseSection(models.Model):
    """What a respondent says about one chapter of the draft, one focus area or one priority area."""

    class Chapter(models.TextChoices):
        # The draft plan's chapters before its focus areas (the 2026–2030 remissversion).
        DEFINITIONS = "definitions", _("Begreppen civilsamhälle och social ekonomi")
        PRINCIPLES = "principles", _("Grundläggande principer")
        ROLES = "roles", _("Roller")
        ACTORS = "actors", _("Aktörer som berörs av planen")
        FINANCING = "financing", _("Finansiering av arbete utifrån planen")
        PURPOSE = "purpose", _("Handlingsplanens syfte")

    response = models.ForeignKey(ConsultationResponse, on_delete=models.CASCADE, related_name="sections")
    chapter = models.CharField(_("kapitel"), max_length=20, choices=Chapter.choices, blank=True)
    focus_area = models.ForeignKey("plan.FocusArea", null=True, blank=True, on_delete=models.CASCADE)
    priority_area = models.ForeignKey("plan.PriorityArea", null=True, blank=True, on_delete=models.CASCADE)
    text = models.TextField(_("synpunkter"))
    confidential_reason = models.TextField(_("skäl för sekretess"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")
        constraints = [
            models.CheckConstraint(
                condition=Q(focus_area__isnull=False, priority_area__isnull=True, chapter="")
                | Q(focus_area__isnull=True, priority_area__isnull=False, chapter="")
                | (Q(focus_area__isnull=True, priority_area__isnull=True) & ~Q(chapter="")),
                name="response_section_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} – {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.chapter:
            return str(self.get_chapter_display())
        return str(self.priority_area or self.focus_area)


class ResponseAttachment(models.Model):
    response = models.ForeignKey(ConsultationResponse, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to="remiss/%Y/")
    name = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveIntegerField(_("storlek"))
    confidential_reason = models.TextField(_("skäl för sekretess"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self) -> str:
        return self.name
