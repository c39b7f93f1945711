"""Follow-up of the plan: initiatives (insatser) with their statuses, milestones, funding, outputs and links.

Indicators are in indicators.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civsam.core.models import BilingualNameMixin, ConsequencesMixin, HttpsURLField, TimeStampedModel
from civsam.core.workflow import Workflow


class InitiativeStatus(BilingualNameMixin):
    """A configurable status (administered in the admin); its kind drives the workflow."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågående")
        COMPLETED = "completed", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    # Which kinds of status may follow which; initiative_update enforces it. Moving within a kind
    # (e.g. from "ongoing" to "paused", both ongoing) is always allowed.
    WORKFLOW = Workflow.from_choices(
        Kind,
        (Kind.PLANNED, Kind.PLANNED, "reclassify"),
        (Kind.PLANNED, Kind.ONGOING, "start"),
        (Kind.PLANNED, Kind.CANCELLED, "cancel"),
        (Kind.ONGOING, Kind.ONGOING, "reclassify"),
        (Kind.ONGOING, Kind.COMPLETED, "complete"),
        (Kind.ONGOING, Kind.CANCELLED, "cancel"),
        (Kind.ONGOING, Kind.PLANNED, "postpone"),
        (Kind.COMPLETED, Kind.COMPLETED, "reclassify"),
        (Kind.COMPLETED, Kind.ONGOING, "reopen"),
        (Kind.CANCELLED, Kind.CANCELLED, "reclassify"),
        (Kind.CANCELLED, Kind.PLANNED, "revive"),
    )

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    default_progress = models.PositiveSmallIntegerField(
        _("förvald andel genomförd (%)"), help_text=_("Sätts på insatsen när den får den här statusen.")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("status för insats")
        verbose_name_plural = _("statusar för insatser")
        constraints = [
            models.CheckConstraint(condition=Q(default_progress__lte=100), name="initiative_status_progress_max_100"),
        ]


class Initiative(ConsequencesMixin, TimeStampedModel):
    """Something an actor does for the plan; it may serve priority areas of several plan versions."""

    ref = models.SlugField(
        _("referens"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Egen beteckning, används för att känna igen insatsen vid import."),
    )
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("ingår i insatsen"),
    )
    lead_organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_initiatives",
        verbose_name=_("ansvarig organisation"),
    )
    lead_municipality = models.ForeignKey(
        "core.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_initiatives",
        verbose_name=_("ansvarig kommun"),
    )
    lead_name = models.CharField(
        _("annan ansvarig aktör"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel Region Örebro län, Örebro universitet eller ett nätverk."),
    )
    partner_organisations = models.ManyToManyField(
        "registry.Organisation", blank=True, related_name="partner_initiatives", verbose_name=_("partner")
    )
    partner_names = models.CharField(_("andra partner"), max_length=500, blank=True)
    priority_areas = models.ManyToManyField(
        "plan.PriorityArea", related_name="initiatives", verbose_name=_("prioriterade aktivitetsområden")
    )
    principles = models.ManyToManyField("core.Principle", blank=True, verbose_name=_("principer"))
    roles = models.ManyToManyField("core.SocietalRole", blank=True, verbose_name=_("roller"))
    frame_tags = models.ManyToManyField(
        "plan.FrameTag", blank=True, related_name="initiatives", verbose_name=_("strategier och mål")
    )
    municipalities = models.ManyToManyField(
        "core.Municipality", blank=True, related_name="covered_by_initiatives", verbose_name=_("kommuner som omfattas")
    )
    # The meetings the initiative held or took part in are linked from the meetings side
    # (meetings.Event.initiatives, reverse name `events`): the plan sits below the apps that serve it.
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    budget = models.DecimalField(_("budget (kr)"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.ForeignKey(InitiativeStatus, on_delete=models.PROTECT, verbose_name=_("status"))
    progress = models.PositiveSmallIntegerField(_("andel genomförd (%)"), default=0)
    weight = models.DecimalField(
        _("vikt"),
        max_digits=8,
        decimal_places=2,
        default=1,
        help_text=_("Används när aktivitetsområdet räknar ett viktat medelvärde."),
    )
    verified_at = models.DateTimeField(_("verifierad"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = pgettext_lazy("plan initiative", "insats")
        verbose_name_plural = pgettext_lazy("plan initiative", "insatser")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="initiative_progress_max_100"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="initiative_weight_positive"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="initiative_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="initiative_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(lead_organisation__isnull=False) | Q(lead_municipality__isnull=False) | ~Q(lead_name=""),
                name="initiative_has_lead",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="initiative_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan:initiative-detail", args=[self.pk])

    @property
    def lead_display(self) -> str:
        if self.lead_organisation_id:
            return self.lead_organisation.name
        if self.lead_municipality_id:
            return self.lead_municipality.body_name
        return self.lead_name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("delmål"), max_length=300)
    due_date = models.DateField(_("datum"))
    completed_on = models.DateField(_("klart"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")

    def __str__(self) -> str:
        return f"{self.due_date:%Y-%m-%d} {self.title}"


class InitiativeFunding(models.Model):
    """One financing source of an initiative, with its amount where known."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("finansiär"), max_length=200)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("finansiering")
        verbose_name_plural = _("finansiering")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="initiative_funding_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.source


class ParticipantCount(models.Model):
    """Participants in a year, by gender and age band (counts only, never persons)."""

    class Gender(models.TextChoices):
        WOMEN = "women", _("Kvinnor")
        MEN = "men", _("Män")
        OTHER = "other", _("Annat eller okänt")

    class AgeBand(models.TextChoices):
        CHILDREN = "0-17", _("0–17 år")
        YOUNG = "18-29", _("18–29 år")
        ADULTS = "30-64", _("30–64 år")
        SENIORS = "65+", _("65 år och äldre")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participants")
    year = models.PositiveSmallIntegerField(_("år"))
    gender = models.CharField(_("kön"), max_length=10, choices=Gender.choices)
    age_band = models.CharField(_("ålder"), max_length=10, choices=AgeBand.choices)
    count = models.PositiveIntegerField(_("antal"))

    class Meta:
        ordering = ["year", "gender", "age_band"]
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "year", "gender", "age_band"], name="participant_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.gender} {self.age_band}: {self.count}"


class InitiativeOutput(models.Model):
    """What an initiative produced in a year besides participants."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="outputs")
    year = models.PositiveSmallIntegerField(_("år"))
    meetings_held = models.PositiveIntegerField(_("genomförda möten"), default=0)
    reports_published = models.PositiveIntegerField(_("rapporter"), default=0)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("resultat")
        verbose_name_plural = _("resultat")
        constraints = [models.UniqueConstraint(fields=["initiative", "year"], name="initiative_output_unique")]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.year}"


class InitiativeLink(models.Model):
    """A link to a meeting, a grant or a document that belongs to the initiative."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Möte")
        GRANT = "grant", _("Bidrag")
        DOCUMENT = "document", _("Dokument")
        OTHER = "other", _("Annat")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=300)
    url = HttpsURLField(_("adress"), max_length=500)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("länk")
        verbose_name_plural = _("länkar")

    def __str__(self) -> str:
        return self.title
