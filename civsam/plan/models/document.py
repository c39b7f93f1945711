"""The adopted plan document (an uploaded PDF or a link) and the plan's contact people."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.models import HttpsURLField, TimeStampedModel


def plan_document_path(instance, filename: str) -> str:
    """Stored under a generated name: nothing the uploader chose reaches the file system."""
    return f"handlingsplaner/{uuid.uuid4().hex}.pdf"


class PlanDocument(TimeStampedModel):
    """The adopted document of a plan: a PDF checked by its content (plan/document_check.py) and
    served only as a download, or a link to where the Region publishes it. One per plan."""

    plan = models.OneToOneField("plan.Plan", on_delete=models.CASCADE, related_name="document", verbose_name=_("plan"))
    file = models.FileField(_("fil"), upload_to=plan_document_path, blank=True)
    name = models.CharField(_("filnamn"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("storlek"), null=True, blank=True)
    url = HttpsURLField(_("länk"), blank=True)

    class Meta:
        verbose_name = _("antagen plan (dokument)")
        verbose_name_plural = _("antagna planer (dokument)")
        constraints = [
            # A file or a link, never both and never neither.
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="plan_document_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.url


class PlanContact(TimeStampedModel):
    """A person to contact about the plan, in their role: an e-mail address or a phone number."""

    plan = models.ForeignKey("plan.Plan", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("plan"))
    name = models.CharField(_("namn"), max_length=150)
    role = models.CharField(_("roll"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["plan", "sort_order", "id"]
        verbose_name = _("kontaktperson för planen")
        verbose_name_plural = _("kontaktpersoner för planen")
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="plan_contact_reachable"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"
