"""The regional conference: a multi-session event with programme, speakers, partners,
registration types, target-group quotas, a planning group and a budget."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel

from .events import Event, TargetGroup

ZERO = Decimal("0")


class Conference(TimeStampedModel):
    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="conference", verbose_name=_("evenemang")
    )
    budget_amount = models.DecimalField(
        _("anslagen budget (kr)"), max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    budget_decision_reference = models.CharField(
        _("diarienummer för budgetbeslutet"), max_length=40, blank=True, help_text=_("T.ex. 24RS4154.")
    )
    budget_decided_by = models.CharField(_("beslutat av"), max_length=200, blank=True)
    budget_decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("konferens")
        verbose_name_plural = _("konferenser")
        constraints = [models.CheckConstraint(condition=Q(budget_amount__gte=0), name="conference_budget_positive")]

    def __str__(self) -> str:
        return str(self.event)


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Gemensamt pass")
        PARALLEL = "parallel", _("Parallellt pass")
        WORKSHOP = "workshop", _("Workshop")
        BREAK = "break", _("Paus eller måltid")

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("konferens")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.PLENARY)
    description = models.TextField(_("beskrivning"), blank=True)
    room = models.CharField(_("lokal"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))

    class Meta:
        ordering = ["conference", "starts_at", "room", "id"]
        verbose_name = _("programpunkt")
        verbose_name_plural = _("programpunkter")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("konferens")
    )
    name = models.CharField(_("namn"), max_length=150)
    affiliation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("presentation"), blank=True)
    is_internal = models.BooleanField(
        _("intern talare"), default=False, help_text=_("Från Region Örebro län eller länets kommuner.")
    )
    sessions = models.ManyToManyField(Session, blank=True, related_name="speakers", verbose_name=_("programpunkter"))

    class Meta:
        ordering = ["conference", "name"]
        verbose_name = _("talare")
        verbose_name_plural = _("talare")

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    class Role(models.TextChoices):
        CO_ORGANISER = "co_organiser", _("Medarrangör")
        FUNDER = "funder", _("Finansiär")
        CONTRIBUTOR = "contributor", _("Medverkande")

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="partners", verbose_name=_("konferens")
    )
    name = models.CharField(_("namn"), max_length=200)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("organisation")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.CO_ORGANISER)

    class Meta:
        ordering = ["conference", "role", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partner")

    def __str__(self) -> str:
        return self.name


class RegistrationType(models.Model):
    """What a registration covers, e.g. "both days" or "day one only": a set of sessions."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="registration_types", verbose_name=_("konferens")
    )
    name = models.CharField(_("namn"), max_length=100)
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="registration_types", verbose_name=_("programpunkter som ingår")
    )

    class Meta:
        ordering = ["conference", "name"]
        verbose_name = _("anmälningstyp")
        verbose_name_plural = _("anmälningstyper")
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="registration_type_unique_name")]

    def __str__(self) -> str:
        return self.name


class TargetGroupQuota(models.Model):
    """At most `quota` seats for one target group; further registrations in it join the waitlist."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("konferens")
    )
    target_group = models.CharField(_("målgrupp"), max_length=20, choices=TargetGroup.choices)
    quota = models.PositiveIntegerField(_("antal platser"))

    class Meta:
        ordering = ["conference", "target_group"]
        verbose_name = _("kvot")
        verbose_name_plural = _("kvoter")
        constraints = [models.UniqueConstraint(fields=["conference", "target_group"], name="quota_one_per_group")]

    def __str__(self) -> str:
        return f"{self.get_target_group_display()}: {self.quota}"


class PlanningGroupMember(models.Model):
    class Sector(models.TextChoices):
        PUBLIC = "public", _("Offentlig sektor")
        CIVIL_SOCIETY = "civil_society", _("Civilsamhället")

    class Role(models.TextChoices):
        CHAIR = "chair", _("Sammankallande")
        MEMBER = "member", _("Ledamot")

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="planning_group", verbose_name=_("konferens")
    )
    name = models.CharField(_("namn"), max_length=150)
    # A member with an account may edit the programme (permissions.can_edit_programme).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conference_planning_groups",
        verbose_name=_("användarkonto"),
    )
    affiliation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["conference", "role", "name"]
        verbose_name = _("ledamot i planeringsgruppen")
        verbose_name_plural = _("planeringsgruppen")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"], condition=Q(user__isnull=False), name="planning_member_user_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BudgetYear(TimeStampedModel):
    """The money allocated to the conference in one year, by its own decision: planning money in one
    year, the conference itself in the next (Kulturnämnden 2024-06-11, Dnr 24RS4154: 100 000 kr in
    2024 to plan a conference held in 2025). The conference's budget_amount is their sum."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="budget_years", verbose_name=_("konferens")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2000)])
    allocated = models.DecimalField(
        _("anslaget belopp (kr)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    purpose = models.CharField(_("avser"), max_length=200, blank=True, help_text=_("T.ex. planering av konferensen."))
    decision_reference = models.CharField(_("diarienummer"), max_length=40, blank=True, help_text=_("T.ex. 24RS4154."))
    decided_by = models.CharField(_("beslutat av"), max_length=200, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)

    class Meta:
        ordering = ["conference", "year"]
        verbose_name = _("budgetår")
        verbose_name_plural = _("budgetår")
        constraints = [
            models.UniqueConstraint(fields=["conference", "year"], name="budget_year_unique"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="budget_year_allocated_positive"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class BudgetLine(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("konferens")
    )
    # The year the money is spent in; its allocation is the one a commitment on the line must fit.
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    title = models.CharField(_("budgetpost"), max_length=200)
    planned = models.DecimalField(
        _("planerat belopp (kr)"), max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        ordering = ["conference", "title"]
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        constraints = [
            models.UniqueConstraint(fields=["conference", "title"], name="budget_line_unique_title"),
            models.CheckConstraint(condition=Q(planned__gte=0), name="budget_line_planned_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetCommitment(TimeStampedModel):
    """Money promised (an order, a booking); its outcome is what was finally paid."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("budgetpost")
    )
    description = models.CharField(_("beskrivning"), max_length=200)
    amount = models.DecimalField(_("åtagande (kr)"), max_digits=12, decimal_places=2)
    outcome = models.DecimalField(_("utfall (kr)"), max_digits=12, decimal_places=2, null=True, blank=True)
    committed_on = models.DateField(_("datum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["line", "committed_on", "id"]
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive"),
            models.CheckConstraint(
                condition=Q(outcome__isnull=True) | Q(outcome__gte=0), name="commitment_outcome_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.description
