"""The Region's own programmes: rules, budgets per year, and each call's form and criteria."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel

from .. import answers
from .decisions import GrantForm
from .sources import Funder, FundingCall, FundingSource


class Programme(TimeStampedModel):
    """A programme the Region (or another funder) runs its own calls in, from application to
    follow-up: who may apply as rules (data, read by rules.py), the form and criteria each new call
    starts from, how long a grant may run, and how its decisions are appealed."""

    class AppealRoute(models.TextChoices):
        # Kommunallagen 13 kap.: any member of the region may have the decision's lawfulness tried.
        LEGALITY_REVIEW = "legality_review", _("Laglighetsprövning")
        # Förvaltningslagen 40–48 §§, where a law says the decision may be appealed so.
        ADMINISTRATIVE_APPEAL = "administrative_appeal", _("Förvaltningsbesvär")

    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("finansieringskälla")
    )
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=4000)
    grant_form = models.CharField(_("bidragsform"), max_length=12, choices=GrantForm.choices, default=GrantForm.PROJECT)
    durations = models.JSONField(_("bidragstider (år)"), default=list)  # e.g. [1, 3]: one-year or three-year grants
    rules = models.JSONField(_("villkor"), default=list, blank=True)
    form_template = models.JSONField(default=list, blank=True, editable=False)
    criteria_template = models.JSONField(default=list, blank=True, editable=False)
    committee = models.CharField(_("beslutande nämnd"), max_length=200, blank=True)
    appeal_route = models.CharField(
        _("överklagande"), max_length=30, choices=AppealRoute.choices, default=AppealRoute.LEGALITY_REVIEW
    )
    appeal_court = models.CharField(_("förvaltningsrätt"), max_length=200, default="Förvaltningsrätten i Karlstad")
    report_due = models.CharField(_("återrapport senast (MM-DD året efter)"), max_length=5, default="03-31")
    reference_key = models.SlugField(max_length=80, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("bidragsprogram")
        verbose_name_plural = _("bidragsprogram")
        constraints = [
            models.CheckConstraint(
                condition=Q(appeal_route__in=["legality_review", "administrative_appeal"]),
                name="programme_appeal_valid",
            ),
            models.CheckConstraint(
                condition=Q(report_due__regex=r"^[01][0-9]-[0-3][0-9]$"), name="programme_report_due"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:programme-detail", args=[self.slug])

    @property
    def funder(self) -> Funder:
        return self.source.funder


class ProgrammeBudget(models.Model):
    """What a programme may grant in a year; the calls of that year share it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["programme", "-year"]
        verbose_name = _("programbudget")
        verbose_name_plural = _("programbudgetar")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="programme_budget_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programme_budget_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2200), name="programme_budget_year"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


class CallField(models.Model):
    """One question of a call's application form, kept as data (answers.py reads the kinds)."""

    class Kind(models.TextChoices):
        TEXT = answers.TEXT, _("Kort text")
        TEXTAREA = answers.TEXTAREA, _("Lång text")
        INTEGER = answers.INTEGER, _("Heltal")
        AMOUNT = answers.AMOUNT, _("Belopp (kronor)")
        DATE = answers.DATE, _("Datum")
        YESNO = answers.YESNO, _("Ja eller nej")
        CHOICE = answers.CHOICE, _("Ett av flera alternativ")
        MULTICHOICE = answers.MULTICHOICE, _("Flera av flera alternativ")
        MUNICIPALITIES = answers.MUNICIPALITIES, _("Kommuner i länet")

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(_("nyckel"), max_length=60)
    label = models.CharField(_("fråga"), max_length=300)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("obligatorisk"), default=False)
    help_text = models.CharField(_("hjälptext"), max_length=500, blank=True)
    choices = models.JSONField(_("alternativ"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("fråga i ansökan")
        verbose_name_plural = _("frågor i ansökan")
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="call_field_unique_key"),
            models.CheckConstraint(condition=Q(kind__in=list(answers.KINDS)), name="call_field_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.label

    def spec(self, municipality_codes: tuple[str, ...] = ()) -> answers.FieldSpec:
        choices = municipality_codes if self.kind == answers.MUNICIPALITIES else tuple(self.choices or ())
        return answers.FieldSpec(self.key, self.label, self.kind, self.required, choices)


class CallCriterion(models.Model):
    """What reviewers score an application against, 0 to max_score, weighted in the summary."""

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("kriterium"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=2000)
    max_score = models.PositiveSmallIntegerField(_("högsta poäng"), default=5)
    weight = models.DecimalField(_("vikt"), max_digits=4, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("bedömningskriterium")
        verbose_name_plural = _("bedömningskriterier")
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gte=1, max_score__lte=100), name="criterion_max_score"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class CaseSeries(models.Model):
    """The last serial given in a funder's case numbers in a year; locked while a number is made."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("diarieserie")
        verbose_name_plural = _("diarieserier")
        constraints = [models.UniqueConstraint(fields=["funder", "year"], name="case_series_unique_year")]

    def __str__(self) -> str:
        return f"{self.funder_id} {self.year}: {self.last}"
