"""The action plan as data: plan → focus areas → priority activity areas."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel
from civsam.core.workflow import Workflow


def _pick(obj, field: str) -> str:
    english = (get_language() or "sv").startswith("en")
    return getattr(obj, f"{field}_en") if english and getattr(obj, f"{field}_en") else getattr(obj, f"{field}_sv")


class RollUp(models.TextChoices):
    """How the values below a node are combined into the node's own progress."""

    MEAN = "mean", _("Medelvärde")
    WEIGHTED = "weighted", _("Viktat medelvärde")


def _rollup_field(label):
    return models.CharField(label, max_length=10, choices=RollUp.choices, default=RollUp.MEAN)


def _weight_field():
    return models.DecimalField(
        _("vikt"),
        max_digits=8,
        decimal_places=2,
        default=1,
        help_text=_("Används när nivån ovanför räknar ett viktat medelvärde."),
    )


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        CONSULTATION = "consultation", _("På remiss")
        ADOPTED = "adopted", _("Antagen")
        SUPERSEDED = "superseded", _("Ersatt")

    # Each step is a decision of a body (the committee, the regional council) recorded as a
    # PlanDecision by services.plan_status_change, the one place the status changes.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.DRAFT, Status.CONSULTATION, "consult"),
        (Status.DRAFT, Status.ADOPTED, "adopt"),
        (Status.CONSULTATION, Status.ADOPTED, "adopt"),
        (Status.ADOPTED, Status.SUPERSEDED, "supersede"),
    )

    slug = models.SlugField(_("kortnamn"), max_length=40, unique=True)
    title_sv = models.CharField(_("titel"), max_length=300)
    title_en = models.CharField(_("titel (engelska)"), max_length=300, blank=True)
    goal_sv = models.TextField(_("mål"))
    goal_en = models.TextField(_("mål (engelska)"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till år"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # How progress rolls up, chosen per level: into the goal, into each focus area, into each
    # priority area, and into an initiative that has sub-initiatives.
    rollup_goal = _rollup_field(_("målet räknas från insatsområdena som"))
    rollup_focus_area = _rollup_field(_("insatsområden räknas från aktivitetsområdena som"))
    rollup_priority_area = _rollup_field(_("aktivitetsområden räknas från insatserna som"))
    rollup_initiative = _rollup_field(_("insatser räknas från sina delinsatser som"))
    # What the last reference load wrote of the fields the file owns (titles, goal, years, the
    # tree's titles): a field that still holds it follows the file, any other is reported (ADR 0108).
    reference_values = models.JSONField(_("senast inlästa referensvärden"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def goal(self) -> str:
        return _pick(self, "goal")

    def get_absolute_url(self) -> str:
        return reverse("plan:plan-detail", args=[self.slug])


class FocusArea(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title_sv = models.CharField(_("titel"), max_length=300)
    title_en = models.CharField(_("titel (engelska)"), max_length=300, blank=True)
    weight = _weight_field()
    frame_tags = models.ManyToManyField(
        "plan.FrameTag", blank=True, related_name="focus_areas", verbose_name=_("strategier och mål")
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("insatsområde")
        verbose_name_plural = _("insatsområden")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="focus_area_number_unique"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="focus_area_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def code(self) -> str:
        return str(self.number)

    def get_absolute_url(self) -> str:
        return reverse("plan:focus-area-detail", args=[self.plan.slug, self.number])


class PriorityArea(models.Model):
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="priority_areas", verbose_name=_("insatsområde")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title_sv = models.CharField(_("titel"), max_length=400)
    title_en = models.CharField(_("titel (engelska)"), max_length=400, blank=True)
    weight = _weight_field()
    frame_tags = models.ManyToManyField(
        "plan.FrameTag", blank=True, related_name="priority_areas", verbose_name=_("strategier och mål")
    )

    class Meta:
        ordering = ["focus_area", "number"]
        verbose_name = _("prioriterat aktivitetsområde")
        verbose_name_plural = _("prioriterade aktivitetsområden")
        constraints = [
            models.UniqueConstraint(fields=["focus_area", "number"], name="priority_area_number_unique"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="priority_area_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def code(self) -> str:
        return f"{self.focus_area.number}.{self.number}"

    def get_absolute_url(self) -> str:
        fa = self.focus_area
        return reverse("plan:priority-area-detail", args=[fa.plan.slug, fa.number, self.number])
