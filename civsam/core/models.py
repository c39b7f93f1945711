"""Shared models: reference data used by three or more apps, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class HttpsURLField(models.URLField):
    """A URLField whose forms read an address typed without a scheme as https (Django 6.0's default).

    In place of the transitional FORMS_URLFIELD_ASSUME_HTTPS setting, deprecated in Django 5.x. The
    column and the migrations are a plain URLField's (deconstruct says so), so no migration changes.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin(models.Model):
    """Reference data carries its name in Swedish and English; `name` picks the active language."""

    name_sv = models.CharField(_("namn (svenska)"), max_length=200)
    name_en = models.CharField(_("namn (engelska)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    def __str__(self) -> str:
        return self.name


class Consequence(models.TextChoices):
    """An assessment of consequences as committee papers carry them (ADR 0123)."""

    NOT_ASSESSED = "not_assessed", _("Inte bedömd")
    POSITIVE = "positive", _("Positiv")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negativ")


# The three perspectives the Region's committee papers assess ("Konsekvenser för miljö-, barn- och
# jämställdhetsperspektiven", e.g. Kulturnämnden's memo 2024-06-11, Dnr 24RS4154). Children's: the UN
# Convention on the Rights of the Child is Swedish law, lag (2018:1197), in force 2020-01-01.
CONSEQUENCE_PERSPECTIVES = ("environment", "children", "gender")


def _assessment_field(label):
    return models.CharField(label, max_length=16, choices=Consequence.choices, default=Consequence.NOT_ASSESSED)


def _note_field(label):
    return models.CharField(label, max_length=1000, blank=True)


class ConsequencesMixin(models.Model):
    """Assessed consequences for the environment, children and gender equality, each a judgement and
    a short text: shared by the plan's initiatives and the meetings' events."""

    environment_assessment = _assessment_field(_("konsekvenser för miljön"))
    environment_note = _note_field(_("motivering, miljö"))
    children_assessment = _assessment_field(_("konsekvenser för barn"))
    children_note = _note_field(_("motivering, barn"))
    gender_assessment = _assessment_field(_("konsekvenser för jämställdheten"))
    gender_note = _note_field(_("motivering, jämställdhet"))

    class Meta:
        abstract = True

    @property
    def consequences(self) -> list[dict]:
        """The three assessments in order, for pages and exports."""
        titles = {
            "environment": _("Miljö"),
            "children": _("Barn"),
            "gender": _("Jämställdhet"),
        }
        return [
            {
                "perspective": name,
                "title": titles[name],
                "assessment": getattr(self, f"{name}_assessment"),
                "assessment_display": Consequence(getattr(self, f"{name}_assessment")).label,
                "note": getattr(self, f"{name}_note"),
            }
            for name in CONSEQUENCE_PERSPECTIVES
        ]

    @property
    def consequences_assessed(self) -> bool:
        return any(getattr(self, f"{n}_assessment") != Consequence.NOT_ASSESSED for n in CONSEQUENCE_PERSPECTIVES)


class Municipality(models.Model):
    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    # The place name, for lists, filters and addresses ("Lindesberg"); official_name is the body
    # as it writes its own name ("Lindesbergs kommun"), for wherever the municipality acts or owns.
    name = models.CharField(_("namn"), max_length=100)
    official_name = models.CharField(_("officiellt namn"), max_length=100, default="")
    # Swedish alphabetical order whatever the database's collation (core/collation.py, ADR 0040).
    # On PostgreSQL the column is COLLATE "C" by migration 0003 (ADR 0053), not db_collation: SQLite
    # has no "C" (its BINARY default is code-point order already).
    name_key = models.CharField(max_length=300, default="", editable=False)
    county_code = models.CharField(_("länskod"), max_length=2)
    county_name = models.CharField(_("län"), max_length=100)
    population = models.PositiveIntegerField(_("folkmängd"))
    population_date = models.DateField(_("folkmängd per"))
    population_source = models.CharField(_("källa"), max_length=300)

    class Meta:
        ordering = ["name_key"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_4_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def body_name(self) -> str:
        """The municipality named as a body ("Lekebergs kommun", "Örebro kommun"): its official
        name, or for one without it in the reference data the usual form: the genitive s, except
        after a vowel or an s."""
        if self.official_name:
            return self.official_name
        genitive = self.name if self.name[-1:].casefold() in "aeiouyåäös" else f"{self.name}s"
        return f"{genitive} kommun"


class LegalForm(BilingualNameMixin):
    code = models.CharField(_("kod"), max_length=2, unique=True)
    is_civil_society = models.BooleanField(_("civilsamhälle"), default=True)
    # The sector an organisation of this form belongs to unless someone says otherwise
    # (civil_society, social_economy, public, private; ADR 0096). A default, never the authority.
    default_sector = models.CharField(_("sektor som förval"), max_length=16, default="civil_society")
    # Where the code comes from: SCB's JURFORM, or Civsam's own for actors without a legal form.
    source = models.CharField(_("källa"), max_length=300, blank=True)
    note_sv = models.CharField(_("anmärkning"), max_length=300, blank=True)
    note_en = models.CharField(_("anmärkning (engelska)"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("juridisk form")
        verbose_name_plural = _("juridiska former")


class ActivityClass(BilingualNameMixin):
    """ICNPO-based activity classification (groups 1–12)."""

    code = models.CharField(_("kod"), max_length=8, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("verksamhetsområde")
        verbose_name_plural = _("verksamhetsområden")


class Principle(BilingualNameMixin):
    """The plan's six principles for the relation between civil society and the public sector."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("princip")
        verbose_name_plural = _("principer")


class SocietalRole(BilingualNameMixin):
    """The five roles civil society plays (röstbärare, serviceproducent, ...)."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("roll")
        verbose_name_plural = _("roller")


class AuditEntry(models.Model):
    """One write, or one read of personal data. Append-only; written by services."""

    class Action(models.TextChoices):
        CREATE = "create", _("skapad")
        UPDATE = "update", _("ändrad")
        DELETE = "delete", _("borttagen")
        READ = "read", _("läst")
        IMPORT = "import", _("importerad")

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    # No index of its own: audit_object_idx begins with it (and serves the PROTECT check too).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objekt"), max_length=300)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("granskningslogg")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


def rendered_file_path(instance: RenderedFile, filename: str) -> str:
    return f"rendered/{instance._meta.app_label}/{instance._meta.model_name}/{filename}"


class RenderedFile(models.Model):
    """A document rendered in the background (a report's PDF) for one owner, language and data version.

    Concrete models add the owner and whatever the renderer needs, and name the renderer in
    RENDERER: a dotted path to a function taking the row and returning the file's bytes. Status
    changes go through civsam.core.services.rendered_file_request and rendered_file_render only.
    See docs/adr/0049-background-pdf-rendering.md.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("i kö")
        RUNNING = "running", _("skapas")
        DONE = "done", _("klar")
        FAILED = "failed", _("misslyckades")

    # queued → running → done | failed; a failed or stuck row is queued again by a new request.
    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.QUEUED},
        Status.RUNNING: {Status.DONE, Status.FAILED, Status.QUEUED},
        Status.FAILED: {Status.QUEUED},
        Status.DONE: set(),
    }
    RENDERER: str = ""
    OWNER: str = ""  # the concrete model's foreign key to what the file is of
    FILE_EXTENSION = "pdf"
    # Whether pruning keeps each owner's newest finished file (a report's PDF) or lets every file
    # go once it is old (a one-off export).
    KEEP_NEWEST = True

    language = models.CharField(_("språk"), max_length=8)
    version = models.CharField(_("dataversion"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("fil"), upload_to=rendered_file_path, max_length=300, blank=True)
    error = models.TextField(_("fel"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(_("köad"), default=timezone.now)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def constraints_for(owner: str, prefix: str) -> list:
        """A concrete model's invariants: one row per owner, language and version; a known status;
        a finished row has its file."""
        statuses = [choice.value for choice in RenderedFile.Status]
        return [
            models.UniqueConstraint(fields=[owner, "language", "version"], name=f"{prefix}_unique_version"),
            models.CheckConstraint(condition=models.Q(status__in=statuses), name=f"{prefix}_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(file=""), name=f"{prefix}_done_has_file"
            ),
        ]

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
