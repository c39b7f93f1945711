"""An agreement between parties of every sector: kind, parties and their roles, the shared
challenge, goals tied to the plan's priority areas, contributions per party and year, governance,
term, decision, documents and yearly follow-up (issue #17, ADR 0131)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civsam.core.models import TimeStampedModel
from civsam.core.workflow import Workflow

from .. import contributions


class Agreement(TimeStampedModel):
    class Kind(models.TextChoices):
        IOP = "iop", _("Idéburet offentligt partnerskap (IOP)")
        LOCAL = "local", _("Lokal överenskommelse")
        OTHER = "other", _("Annan samverkansöverenskommelse")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ASSESSMENT = "assessment", _("Rättslig bedömning")
        ACTIVE = "active", pgettext_lazy("agreement status", "Undertecknad och gällande")
        ENDED = "ended", pgettext_lazy("agreement status", "Avslutad")
        TERMINATED = "terminated", _("Uppsagd")

    # Draft → legal assessment → signed (active) → ended or terminated. Only
    # services.agreement_transition takes a step; permissions.py says who may take which.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.DRAFT, Status.ASSESSMENT, "submit"),
        (Status.ASSESSMENT, Status.DRAFT, "return"),
        (Status.DRAFT, Status.ACTIVE, "sign"),  # other kinds than an IOP: no legal assessment needed
        (Status.ASSESSMENT, Status.ACTIVE, "sign"),
        (Status.ACTIVE, Status.ENDED, "end"),
        (Status.ACTIVE, Status.TERMINATED, "terminate"),
    )
    EDITABLE = (Status.DRAFT, Status.ASSESSMENT)
    SIGNED = (Status.ACTIVE, Status.ENDED, Status.TERMINATED)

    title = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag av överenskommelse"), max_length=8, choices=Kind.choices)
    # The party that registers and runs the agreement in Civsam (usually the public party).
    owner = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_agreements",
        verbose_name=_("ansvarig part"),
    )
    # The municipality the agreement concerns; none for one that covers the county.
    municipality = models.ForeignKey(
        "core.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("kommun"),
    )
    challenge = models.TextField(_("gemensam samhällsutmaning"), max_length=4000)
    problem_analysis = models.TextField(_("problemanalys"), blank=True, max_length=8000)
    priority_areas = models.ManyToManyField(
        "plan.PriorityArea", blank=True, related_name="agreements", verbose_name=_("prioriterade aktivitetsområden")
    )
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"), default=3)
    renegotiation = models.TextField(
        _("omförhandling"), blank=True, max_length=2000, help_text=_("När och hur parterna omförhandlar.")
    )
    deciding_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    is_public = models.BooleanField(_("visas i den öppna förteckningen"), default=True)
    non_public_reason = models.TextField(_("skäl att inte visa överenskommelsen"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(_("undertecknad"), null=True, blank=True)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    end_reason = models.TextField(_("skäl"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-starts_on", "title", "id"]
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="agreement_term_order"
            ),
            # Opting out of the public list needs a recorded reason.
            models.CheckConstraint(
                condition=Q(is_public=True) | ~Q(non_public_reason=""), name="agreement_non_public_reason"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "assessment"]) | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
            ),
            models.CheckConstraint(condition=Q(kind__in=["iop", "local", "other"]), name="agreement_kind_known"),
        ]
        indexes = [models.Index(fields=["status", "is_public"], name="agreement_status_public_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_signed(self) -> bool:
        return self.status in self.SIGNED

    def active_in(self, year: int) -> bool:
        """In force some day of the year: signed, started by its end, not ended before it began."""
        if self.signed_on is None or self.starts_on.year > year:
            return False
        last = self.ended_on or self.ends_on
        return last is None or last.year >= year


class Party(models.Model):
    """A party to an agreement: an organisation of any sector in the register, with its role. A party
    named by someone who does not act for it is invited and counts once it accepts."""

    class Role(models.TextChoices):
        PUBLIC = "public", _("Offentlig part")
        IDEBUREN = "ideburen", _("Idéburen part")
        OTHER = "other", _("Annan part")
        FUNDER = "funder", _("Medfinansiär")

    class Status(models.TextChoices):
        INVITED = "invited", _("Inbjuden, har inte svarat")
        ACCEPTED = "accepted", _("Part")
        DECLINED = "declined", _("Tackade nej")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="agreement_parties", verbose_name=_("part")
    )
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices)
    responsibility = models.CharField(_("ansvar i samverkan"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "role", "organisation__name_key"]
        verbose_name = _("part")
        verbose_name_plural = _("parter")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreement_party_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class AgreementGoal(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    goal = models.CharField(_("mål"), max_length=500)
    indicator = models.CharField(_("indikator"), max_length=300, blank=True)
    target = models.CharField(_("målvärde"), max_length=200, blank=True)
    priority_area = models.ForeignKey(
        "plan.PriorityArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prioriterat aktivitetsområde"),
    )

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.goal


class Contribution(models.Model):
    """What one party brings in one year, valued in kronor (contributions.py)."""

    class Kind(models.TextChoices):
        MONEY = contributions.MONEY, _("Pengar")
        PREMISES = contributions.PREMISES, _("Lokaler")
        STAFF_HOURS = contributions.STAFF_HOURS, _("Personaltimmar")
        VOLUNTEER_HOURS = contributions.VOLUNTEER_HOURS, _("Ideella timmar")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("part"))
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("slag"), max_length=16, choices=Kind.choices)
    quantity = models.DecimalField(_("mängd"), max_digits=14, decimal_places=2, help_text=_("Kronor eller timmar."))
    rate = models.DecimalField(_("timvärde (kr)"), max_digits=10, decimal_places=2, null=True, blank=True)
    rate_source = models.CharField(_("källa för timvärdet"), max_length=300, blank=True)
    value_sek = models.DecimalField(_("värde (kr)"), max_digits=14, decimal_places=2, editable=False)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)

    class Meta:
        ordering = ["party", "year", "kind", "id"]
        verbose_name = _("bidrag")
        verbose_name_plural = _("bidrag")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="contribution_quantity_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="contribution_year_plausible"),
            # Hours carry a rate; kronor do not.
            models.CheckConstraint(
                condition=(Q(kind__in=["staff_hours", "volunteer_hours"]) & Q(rate__gt=0))
                | (Q(kind__in=["money", "premises"]) & Q(rate__isnull=True)),
                name="contribution_rate_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.year} {self.get_kind_display()}"

    @property
    def is_hours(self) -> bool:
        return self.kind in contributions.IN_HOURS


class GovernanceGroup(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Styrgrupp")
        WORKING = "working", _("Arbetsgrupp")
        REFERENCE = "reference", _("Referensgrupp")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("slag av grupp"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=200)
    mandate = models.TextField(_("uppdrag"), blank=True, max_length=2000)

    class Meta:
        ordering = ["agreement", "kind", "name"]
        verbose_name = _("grupp")
        verbose_name_plural = _("grupper")

    def __str__(self) -> str:
        return self.name


class GovernanceMember(models.Model):
    """A named person in a group, for a party. Names are personal data: shown to the agreement's
    people, and on the public page only as counts (ADR 0131)."""

    group = models.ForeignKey(GovernanceGroup, on_delete=models.CASCADE, related_name="members")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="group_members", verbose_name=_("part"))
    name = models.CharField(_("namn"), max_length=150)
    position = models.CharField(_("uppdrag i gruppen"), max_length=100, blank=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("gruppmedlem")
        verbose_name_plural = _("gruppmedlemmar")

    def __str__(self) -> str:
        return self.name


def document_path(instance: AgreementDocument, filename: str) -> str:
    """A generated name: nothing the uploader chose reaches the storage's paths."""
    return f"agreements/documents/{uuid.uuid4().hex}.{instance.extension}"


class AgreementDocument(models.Model):
    """The signed agreement, its annexes and decisions: checked by content (core.filetypes)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("rubrik"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("storlek"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "uploaded_at", "id"]
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")

    def __str__(self) -> str:
        return self.title


class FollowUpReport(models.Model):
    """The parties' yearly follow-up: what was done, against the goals, and what changes."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("år"))
    activities = models.TextField(_("vad som gjordes"), max_length=8000)
    results = models.TextField(_("resultat mot målen"), blank=True, max_length=8000)
    changes = models.TextField(_("ändringar framåt"), blank=True, max_length=4000)
    participants = models.PositiveIntegerField(_("antal deltagare"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement", "-year"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="agreement_report_once_a_year")]

    def __str__(self) -> str:
        return f"{self.agreement} {self.year}"
