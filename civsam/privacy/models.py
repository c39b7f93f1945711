"""The data protection work's own records: requests for a person's data, and retention runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubjectAccessRequest(models.Model):
    """A person's request to know what Civsam holds about them (GDPR art. 15), as handled by staff.

    What was searched for is personal data: the row and its audit entries go after the period of
    "subject_requests" in the record of processing."""

    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    email = models.EmailField(_("e-postadress"), blank=True)
    name = models.CharField(_("namn"), max_length=150, blank=True)
    reference = models.CharField(_("diarienummer"), max_length=40, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("handläggare")
    )
    # The account found for the request, if any (its export is the self-service one's).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exported_at = models.DateTimeField(_("utdrag hämtat"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("begäran om registerutdrag")
        verbose_name_plural = _("begäranden om registerutdrag")
        permissions = [("review_personal_data", _("Granska personuppgiftsbehandlingen (dataskyddsombud)"))]
        constraints = [
            models.CheckConstraint(condition=~models.Q(email="", name=""), name="subject_request_names_someone"),
        ]

    def __str__(self) -> str:
        # No name or address: the audit log shows this, and it outlives nothing it should not.
        return f"begäran {self.pk}"


class RetentionRun(models.Model):
    """One run of the retention job: what it removed or de-identified per kind of personal data."""

    started_at = models.DateTimeField(_("startad"), default=timezone.now)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    dry_run = models.BooleanField(_("provkörning"), default=False)
    # {kind: rows} for every kind the job applied, and the automatic kinds no app handles.
    counts = models.JSONField(_("antal"), default=dict)
    unhandled = models.JSONField(_("utan hanterare"), default=list)
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")

    def __str__(self) -> str:
        return f"gallring {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
