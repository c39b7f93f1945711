"""Who gives money (funders), what they give it through (funding sources) and when one may apply
(calls), with the rules on who may apply kept as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import ActivityClass, HttpsURLField, LegalForm, Municipality, TimeStampedModel
from civsam.core.workflow import Workflow


class Funder(TimeStampedModel):
    """A body that decides on grants: the Region, a municipality, a registry organisation (a
    foundation, Mikrofonden) or a body outside the register (a state agency, the EU)."""

    class Kind(models.TextChoices):
        REGION = "region", _("Regionen")
        MUNICIPALITY = "municipality", _("Kommun")
        ORGANISATION = "organisation", _("Organisation i registret")
        STATE = "state", _("Statlig myndighet")
        EU = "eu", _("EU-program")
        OTHER = "other", _("Annan")

    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="funders", verbose_name=_("kommun")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funder_roles",
        verbose_name=_("organisation"),
    )
    # For the 360Giving identifier of the funder; registry organisations carry their own.
    orgnr = models.CharField(_("organisationsnummer"), max_length=10, blank=True)
    website = HttpsURLField(_("webbplats"), blank=True)
    # The code in the funder's case numbers: the Region's "RS" in "26RS1234" (grants.case_number).
    case_code = models.CharField(_("diariekod"), max_length=8, blank=True)
    reference_key = models.SlugField(max_length=80, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("bidragsgivare")
        verbose_name_plural = _("bidragsgivare")
        constraints = [
            # The kind says which body the funder is: a municipality's row names it, an
            # organisation's row names the organisation, the others name neither.
            models.CheckConstraint(
                condition=(
                    Q(kind="municipality", municipality__isnull=False, organisation__isnull=True)
                    | Q(kind="organisation", organisation__isnull=False, municipality__isnull=True)
                    | (
                        Q(kind__in=["region", "state", "eu", "other"])
                        & Q(municipality__isnull=True, organisation__isnull=True)
                    )
                ),
                name="funder_body_matches_kind",
            ),
            models.CheckConstraint(condition=Q(orgnr="") | Q(orgnr__regex=r"^[0-9]{10}$"), name="funder_orgnr_digits"),
            models.CheckConstraint(condition=Q(case_code__regex=r"^[A-Z]{0,8}$"), name="funder_case_code_letters"),
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(municipality__isnull=False), name="funder_one_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier_orgnr(self) -> str:
        if self.orgnr:
            return self.orgnr
        return self.organisation.orgnr if self.organisation_id else ""


class FundingSource(TimeStampedModel):
    """A programme or fund one may apply to, with who may apply and the co-financing it asks for.

    Eligibility is data: an empty set of legal forms, municipalities or activity classes means
    "any"; the rules are read by `eligibility.py` (pure) and `selectors.calls_open_for`."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Bidrag")
        LOAN = "loan", _("Lån")
        INVESTMENT = "investment", _("Investering")
        PROCUREMENT = "procurement", _("Upphandlingsliknande")

    class Sector(models.TextChoices):
        ANY = "any", _("Alla")
        CIVIL_SOCIETY = "civil_society", _("Civilsamhällets organisationer")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Sociala företag")
        WORK_INTEGRATING = "work_integrating", _("Arbetsintegrerande sociala företag")

    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="sources", verbose_name=_("bidragsgivare")
    )
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=4000)
    kind = models.CharField(_("form"), max_length=20, choices=Kind.choices, default=Kind.GRANT)
    sector = models.CharField(_("vilka som kan söka"), max_length=20, choices=Sector.choices, default=Sector.ANY)
    eligible_legal_forms = models.ManyToManyField(
        LegalForm, blank=True, related_name="+", verbose_name=_("juridiska former som kan söka")
    )
    eligible_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("kommuner där sökande ska vara verksamma")
    )
    eligible_activity_classes = models.ManyToManyField(
        ActivityClass, blank=True, related_name="+", verbose_name=_("verksamhetsområden")
    )
    eligibility_note = models.TextField(_("vem kan söka (text)"), blank=True, max_length=2000)
    co_financing_rules = models.TextField(_("regler för medfinansiering"), blank=True, max_length=2000)
    co_financing_min_share = models.DecimalField(
        _("lägsta andel medfinansiering (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    url = HttpsURLField(_("länk"), blank=True)
    contact_name = models.CharField(_("kontakt"), max_length=150, blank=True)
    contact_email = models.EmailField(_("kontaktens e-post"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Loaded from funding/data/funding_sources.json: its key there, and the values it last wrote,
    # so that a later load changes only the fields staff have not changed since (ADR 0065).
    reference_key = models.SlugField(max_length=80, null=True, blank=True, unique=True, editable=False)
    reference_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("finansieringskälla")
        verbose_name_plural = _("finansieringskällor")
        constraints = [
            models.CheckConstraint(
                condition=Q(co_financing_min_share__isnull=True)
                | Q(co_financing_min_share__gte=0, co_financing_min_share__lte=100),
                name="source_co_financing_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:source-detail", args=[self.slug])

    @property
    def from_reference(self) -> bool:
        return bool(self.reference_key)


class FundingCall(TimeStampedModel):
    """A round of applications to a source: dated (opens, deadline) or recurring by a rule."""

    class Schedule(models.TextChoices):
        DATED = "dated", _("Med datum")
        CONTINUOUS = "continuous", _("Löpande, året runt")
        YEARLY = "yearly", _("Återkommande varje år")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")
        CLOSED = "closed", _("Stängd")
        CANCELLED = "cancelled", _("Inställd")

    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.DRAFT, Status.PUBLISHED, "publish"),
        (Status.DRAFT, Status.CANCELLED, "cancel"),
        (Status.PUBLISHED, Status.CLOSED, "close"),
        (Status.PUBLISHED, Status.CANCELLED, "cancel"),
        (Status.CLOSED, Status.PUBLISHED, "reopen"),
    )

    source = models.ForeignKey(
        FundingSource, on_delete=models.CASCADE, related_name="calls", verbose_name=_("finansieringskälla")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=4000)
    schedule = models.CharField(_("tider"), max_length=12, choices=Schedule.choices, default=Schedule.DATED)
    opens_on = models.DateField(_("öppnar"), null=True, blank=True)
    deadline = models.DateField(_("sista ansökningsdag"), null=True, blank=True)
    # A yearly call opens and closes on the same days every year (month and day).
    yearly_opens = models.CharField(_("öppnar varje år (MM-DD)"), max_length=5, blank=True)
    yearly_deadline = models.CharField(_("sista dag varje år (MM-DD)"), max_length=5, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    url = HttpsURLField(_("länk till utlysningen"), blank=True)
    # When subscribers were told that this call (its current window) opened; once per window.
    notified_for = models.DateField(null=True, blank=True, editable=False)
    # A call of one of the funder's own programmes takes applications in Civsam; its budget can
    # never be over-committed (services/grants.py decides under a lock on this row).
    programme = models.ForeignKey(
        "funding.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("bidragsprogram"),
    )
    budget = models.DecimalField(_("budget för utlysningen"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget_year = models.PositiveSmallIntegerField(_("budgetår"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "title", "id"]
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "closed", "cancelled"]), name="call_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(schedule="dated") | Q(deadline__isnull=False), name="call_dated_has_deadline"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(deadline__isnull=True) | Q(opens_on__lte=models.F("deadline")),
                name="call_opens_before_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(schedule="yearly")
                | (
                    Q(yearly_opens__regex=r"^[01][0-9]-[0-3][0-9]$")
                    & Q(yearly_deadline__regex=r"^[01][0-9]-[0-3][0-9]$")
                ),
                name="call_yearly_has_days",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="call_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget_year__isnull=False), name="call_budget_has_year"
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="call_status_deadline_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:call-detail", args=[self.pk])

    @property
    def takes_applications(self) -> bool:
        """Applied for in Civsam (a programme's call), not at the funder's own site."""
        return self.programme_id is not None


class CallSubscription(models.Model):
    """An e-mail address told when a call opens that the organisation is eligible for."""

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="call_subscriptions",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-postadress"))
    token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["email", "id"]
        verbose_name = _("bevakning av utlysningar")
        verbose_name_plural = _("bevakningar av utlysningar")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="call_subscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation_id})"
