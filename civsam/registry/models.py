"""The county's register of civil-society organisations (aktörsregister)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civsam.accounts.models import Mandate
from civsam.core.models import (
    ActivityClass,
    HttpsURLField,
    LegalForm,
    Municipality,
    RenderedFile,
    SocietalRole,
    TimeStampedModel,
)
from civsam.core.workflow import Workflow

from .phone import display as phone_display


class Organisation(TimeStampedModel):
    """An actor of any sector (ADR 0096): an association, a public body, a company, an informal
    group or a foreign organisation. Every actor has a stable Civsam identifier (`civsam_id`);
    a Swedish legal person has its organisationsnummer too, and its pages are found by it."""

    class Kind(models.TextChoices):
        SWEDISH = "swedish", _("Svensk juridisk person")
        INFORMAL = "informal", _("Informell grupp eller nätverk")
        FOREIGN = "foreign", _("Utländsk organisation")

    class Sector(models.TextChoices):
        CIVIL_SOCIETY = "civil_society", _("Civilsamhälle")
        SOCIAL_ECONOMY = "social_economy", _("Social ekonomi")
        PUBLIC = "public", _("Offentlig sektor")
        PRIVATE = "private", _("Privat sektor")

    class Listing(models.TextChoices):
        """A new organisation registered by its own people waits for a decision (ADR 0098)."""

        LISTED = "listed", _("I registret")
        PENDING = "pending", _("Anmäld, väntar på beslut")
        REJECTED = "rejected", _("Anmälan avslagen")

    class Status(models.TextChoices):
        """Where the organisation stands in the official register (ADR 0110)."""

        ACTIVE = "active", _("Verksam")
        WINDING_UP = "winding_up", _("Under avveckling")
        DEREGISTERED = "deregistered", _("Avregistrerad")

    # Only registry.services.organisation_status_change and the official import's bulk write set a
    # status; an organisation that comes back after a liquidation or a deregistration is reinstated.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.ACTIVE, Status.WINDING_UP, "wind_up"),
        (Status.ACTIVE, Status.DEREGISTERED, "deregister"),
        (Status.WINDING_UP, Status.DEREGISTERED, "deregister"),
        (Status.WINDING_UP, Status.ACTIVE, "reinstate"),
        (Status.DEREGISTERED, Status.ACTIVE, "reinstate"),
    )

    name = models.CharField(_("namn"), max_length=200)
    # None for an actor without a Swedish organisationsnummer (an informal group, a foreign
    # organisation, a sole trader, whose number is a personnummer Civsam does not keep).
    orgnr = models.CharField(_("organisationsnummer"), max_length=10, unique=True, null=True, blank=True)
    kind = models.CharField(_("slag av aktör"), max_length=10, choices=Kind.choices, default=Kind.SWEDISH)
    sector = models.CharField(_("sektor"), max_length=16, choices=Sector.choices, default=Sector.CIVIL_SOCIETY)
    # ISO 3166-1 alpha-2; "SE" for every Swedish actor.
    country = models.CharField(_("land"), max_length=2, default="SE")
    foreign_registration_number = models.CharField(_("registreringsnummer i hemlandet"), max_length=50, blank=True)
    listing = models.CharField(
        _("registrering"), max_length=10, choices=Listing.choices, default=Listing.LISTED, editable=False
    )
    # No single-column indexes on these two: the (…, name_key) indexes in Meta serve every lookup.
    legal_form = models.ForeignKey(LegalForm, on_delete=models.PROTECT, db_index=False, verbose_name=_("juridisk form"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="organisations",
        verbose_name=_("hemkommun"),
    )
    active_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="active_organisations", verbose_name=_("verksam även i")
    )
    activity_classes = models.ManyToManyField(ActivityClass, blank=True, verbose_name=_("verksamhetsområden"))
    roles = models.ManyToManyField(SocietalRole, blank=True, verbose_name=_("roller"))
    website = HttpsURLField(_("webbplats"), blank=True)
    email = models.EmailField(_("e-post (organisationens)"), blank=True)
    description = models.TextField(_("kort beskrivning"), blank=True, max_length=2000)
    founded_year = models.PositiveSmallIntegerField(_("grundad år"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("antal medlemmar"), null=True, blank=True)

    # The organisation in the official register: its status since when and by which source, and
    # the date it was registered there where a source gives it ("founded" and "ceased" per year).
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(_("status sedan"), null=True, blank=True)
    status_source = models.CharField(_("källa (status)"), max_length=200, blank=True)
    registered_on = models.DateField(_("registrerad"), null=True, blank=True)
    registered_source = models.CharField(_("källa (registrerad)"), max_length=200, blank=True)

    # Flags, each with where the information came from and when it was last checked.
    social_enterprise = models.BooleanField(_("socialt företag"), default=False)
    social_enterprise_source = models.CharField(_("källa (socialt företag)"), max_length=200, blank=True)
    social_enterprise_verified_on = models.DateField(_("kontrollerad (socialt företag)"), null=True, blank=True)
    work_integrating = models.BooleanField(_("arbetsintegrerande socialt företag"), default=False)
    work_integrating_source = models.CharField(_("källa (arbetsintegrerande)"), max_length=200, blank=True)
    work_integrating_verified_on = models.DateField(_("kontrollerad (arbetsintegrerande)"), null=True, blank=True)
    ideburen_registered = models.BooleanField(_("registrerad idéburen organisation"), default=False)
    ideburen_source = models.CharField(_("källa (idéburen)"), max_length=200, blank=True)
    ideburen_verified_on = models.DateField(_("kontrollerad (idéburen)"), null=True, blank=True)

    is_public = models.BooleanField(_("visas i den öppna katalogen"), default=True)
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)
    # Stemmed, case-folded words of the name and description; written by the service layer.
    # Indexed per backend by migration 0002 (a GIN index on PostgreSQL, an FTS5 table on SQLite).
    search_document = models.TextField(default="", editable=False)
    # Swedish alphabetical order of the name as a plain string (core/collation.py, ADR 0040);
    # written with the name by the service layer and the importer, and what name sorts use.
    # On PostgreSQL the column is COLLATE "C" by migration (0004; ADR 0053), not db_collation:
    # SQLite has no "C" (its BINARY default is code-point order already).
    name_key = models.TextField(default="", editable=False)

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.CheckConstraint(
                condition=Q(orgnr__isnull=True) | Q(orgnr__regex=r"^[0-9]{10}$"), name="orgnr_10_digits"
            ),
            # Only a Swedish legal person has an organisationsnummer; a foreign one is abroad.
            models.CheckConstraint(
                condition=Q(kind="swedish", country="SE") | (~Q(kind="swedish") & Q(orgnr__isnull=True)),
                name="organisation_kind_orgnr_country",
            ),
            models.CheckConstraint(condition=~Q(kind="foreign") | ~Q(country="SE"), name="foreign_organisation_abroad"),
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="organisation_country_code"),
            models.CheckConstraint(
                condition=Q(member_count__isnull=True) | Q(member_count__gte=0), name="member_count_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1000, founded_year__lte=2100),
                name="founded_year_plausible",
            ),
            # A write that forgot the sort key would put the name first in every list.
            models.CheckConstraint(condition=~Q(name_key=""), name="name_key_present"),
        ]
        indexes = [
            models.Index(fields=["municipality", "name_key"], name="org_municipality_key_idx"),
            models.Index(fields=["legal_form", "name_key"], name="org_legal_form_key_idx"),
            models.Index(fields=["is_public", "name_key"], name="org_public_key_idx"),
            models.Index(fields=["sector", "name_key"], name="org_sector_key_idx"),
            # Few actors are abroad: the directory's country choices read this small index.
            models.Index(fields=["country"], name="org_abroad_idx", condition=~Q(country="SE")),
            models.Index(fields=["status", "status_date"], name="org_status_date_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation-detail", args=[self.key])

    @property
    def civsam_id(self) -> str:
        """The stable Civsam identifier: never reused, kept as an alias when merged (ADR 0097)."""
        return civsam_id_for(self.pk) if self.pk else ""

    @property
    def key(self) -> str:
        """What the organisation's pages are found by: its orgnr, else its Civsam identifier."""
        return self.orgnr or self.civsam_id

    @property
    def orgnr_display(self) -> str:
        return f"{self.orgnr[:6]}-{self.orgnr[6:]}" if self.orgnr else ""

    @property
    def identifier_display(self) -> str:
        """The identifier to show: the orgnr, else the national number abroad, else the Civsam id."""
        return self.orgnr_display or self.foreign_registration_number or self.civsam_id

    @property
    def country_name(self) -> str:
        from .countries import country_name

        return country_name(self.country)

    @property
    def is_pending_registration(self) -> bool:
        return self.listing != self.Listing.LISTED


CIVSAM_ID_PREFIX = "CS-"


def civsam_id_for(pk: int) -> str:
    return f"{CIVSAM_ID_PREFIX}{pk:06d}"


def pk_from_civsam_id(value: str) -> int | None:
    """The primary key a Civsam identifier names ("CS-000123" → 123), or None if it is not one."""
    value = (value or "").strip().upper()
    if not value.startswith(CIVSAM_ID_PREFIX) or not value[len(CIVSAM_ID_PREFIX) :].isdigit():
        return None
    return int(value[len(CIVSAM_ID_PREFIX) :])


class MergedActor(models.Model):
    """An actor merged into another (ADR 0097): its Civsam identifier keeps leading to the one it
    became, and its change history stays readable there."""

    identifier = models.CharField(_("Civsam-id"), max_length=20, unique=True)
    former_pk = models.PositiveIntegerField(unique=True)
    name = models.CharField(_("namn"), max_length=200)
    into = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="merged_actors", verbose_name=_("sammanförd med")
    )
    merged_at = models.DateTimeField(_("sammanförd"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("sammanförd aktör")
        verbose_name_plural = _("sammanförda aktörer")

    def __str__(self) -> str:
        return f"{self.identifier} → {self.into_id}"


class ContactPerson(TimeStampedModel):
    """Personal data, kept to the minimum; every read by staff is written to the audit log.

    Kept until the organisation removes the person, the organisation leaves the register, or the
    retention period (core/data/processing.json, "contact_persons") has passed since `updated_at`,
    which a change or a confirmation moves; the audit entries go with the row (ADR 0085)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    name = models.CharField(_("namn"), max_length=150)
    role = models.CharField(_("uppdrag"), max_length=100, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    # E.164 ("+46701234567", registry/phone.py), written by the services.
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    # A number stored before numbers were checked, that is not one: kept as written until someone
    # corrects it (migration 0006), and shown to staff as needing correction.
    phone_needs_correction = models.BooleanField(_("telefonnumret behöver rättas"), default=False, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+[1-9][0-9]{6,14}$") | Q(phone_needs_correction=True),
                name="contact_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)


class DuplicateCandidate(models.Model):
    """Two organisations with similar names in the same municipality, waiting for a person to decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("Att granska")
        DISTINCT = "distinct", _("Inte dubbletter")
        CONFIRMED = "confirmed", _("Dubbletter")

    # A person decides "distinct" or "duplicates"; a decision may be taken again (a form sent twice),
    # revised, or undone (back to open). services.duplicate_resolve reads this table.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.OPEN, Status.DISTINCT, "mark_distinct"),
        (Status.OPEN, Status.CONFIRMED, "confirm"),
        (Status.DISTINCT, Status.DISTINCT, "mark_distinct"),
        (Status.DISTINCT, Status.CONFIRMED, "confirm"),
        (Status.CONFIRMED, Status.DISTINCT, "mark_distinct"),
        (Status.CONFIRMED, Status.CONFIRMED, "confirm"),
        # A decision can be undone: the pair is back in the queue (ADR 0117).
        (Status.DISTINCT, Status.OPEN, "reopen"),
        (Status.CONFIRMED, Status.OPEN, "reopen"),
    )

    first = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("likhet"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-similarity", "id"]
        verbose_name = _("möjlig dubblett")
        verbose_name_plural = _("möjliga dubbletter")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.similarity:.2f})"


class OrganisationMerge(models.Model):
    """One organisation merged into another (ADR 0106): who did it, which values won, what moved.

    The merged organisation is gone; its id, orgnr, name and every editable value are kept here,
    so the survivor's history can show the merged one's history too (its audit entries keep its id).
    """

    kept = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="merges", verbose_name=_("organisation som finns kvar")
    )
    merged_id = models.PositiveIntegerField(_("sammanslagen organisations id"))
    merged_orgnr = models.CharField(_("sammanslagen organisations organisationsnummer"), max_length=10)
    merged_name = models.CharField(_("sammanslagen organisations namn"), max_length=200)
    # The merged organisation's editable values as they were (services.organisation_snapshot).
    merged_values = models.JSONField(_("sammanslagen organisations uppgifter"), default=dict)
    # The fields whose value came from the merged organisation.
    taken_fields = models.JSONField(_("uppgifter från den sammanslagna"), default=list)
    # Rows moved to the survivor and rows dropped as already there, per model label.
    moved = models.JSONField(_("flyttade poster"), default=dict)
    # What an undo needs (services/unmerging.py, ADR 0117): both organisations as they were
    # (serialised), the ids of the rows moved per model label and field, and the rows dropped.
    # Empty for merges made before undo existed: those cannot be undone.
    undo_data = models.JSONField(_("underlag för att ångra"), default=dict, blank=True)
    similarity = models.FloatField(_("likhet"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("gjord av")
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    undone_at = models.DateTimeField(_("ångrad"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ångrad av"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sammanslagning")
        verbose_name_plural = _("sammanslagningar")

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept_id}"

    @property
    def merged_orgnr_display(self) -> str:
        return f"{self.merged_orgnr[:6]}-{self.merged_orgnr[6:]}" if self.merged_orgnr else ""


class ImportRun(models.Model):
    """One import of a file: what it did, for the record."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    filename = models.CharField(_("fil"), max_length=255)
    created = models.PositiveIntegerField(_("nya"), default=0)
    updated = models.PositiveIntegerField(_("ändrade"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade"), default=0)
    rejected = models.PositiveIntegerField(_("avvisade rader"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.filename} ({self.at:%Y-%m-%d %H:%M})"


class DirectoryExport(RenderedFile):
    """A large directory export as XLSX, built by the worker (core.RenderedFile, ADR 0049).

    One row per query (the filters and whose view of the register they are read with), language and
    data version: a second request for the same export while it is being built gets the same row.
    CSV and JSON are streamed in the request instead, at constant memory (views.directory_export)."""

    RENDERER = "civsam.registry.exports.directory_xlsx_render"
    OWNER = "query"
    FILE_EXTENSION = "xlsx"
    KEEP_NEWEST = False  # prune_rendered_files removes every export once it is old

    # The canonical filter as JSON, with the audience: "public" (what everyone sees) or "user:<id>".
    query = models.CharField(_("sökning"), max_length=64)
    filters = models.JSONField(_("filter"))
    audience = models.CharField(_("för"), max_length=40)
    # A digest of the requesting client's address, for the limit on exports running at once.
    client = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-queued_at"]
        verbose_name = _("katalogexport")
        verbose_name_plural = _("katalogexporter")
        constraints = RenderedFile.constraints_for("query", "directory_export")
        indexes = [models.Index(fields=["status", "queued_at"], name="directory_export_status_idx")]

    def __str__(self) -> str:
        return f"{self.query[:12]} {self.status}"


class RepresentationRequest(models.Model):
    """A signed-in person asks to represent an organisation (ADR 0090). Approval gives them the
    organisation's representative role; until then they can do nothing on its behalf."""

    Mandate = Mandate  # the representative's mandate, stored on the role when approved

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på beslut")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Avslagen")
        WITHDRAWN = "withdrawn", _("Återtagen")

    # Deciders approve or reject, the requester withdraws; who may take which step is
    # permissions.can_decide_representation_request / can_withdraw_representation_request.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.PENDING, Status.APPROVED, "approve"),
        (Status.PENDING, Status.REJECTED, "reject"),
        (Status.PENDING, Status.WITHDRAWN, "withdraw"),
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="representation_requests",
        verbose_name=_("sökande"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representation_requests", verbose_name=_("organisation")
    )
    mandate = models.CharField(_("uppdrag"), max_length=20, choices=Mandate.choices)
    message = models.TextField(_("meddelande"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    reason = models.TextField(_("motivering"), blank=True, max_length=1000)
    # The language the requester used when asking: the decision reaches them in it (ADR 0099).
    language = models.CharField(_("språk"), max_length=8, default="sv", choices=settings.LANGUAGES)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("begäran om att företräda")
        verbose_name_plural = _("begäranden om att företräda")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="representation_request_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="representation_request_rejection_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "organisation"], name="reprequest_status_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_mandate_display()})"

    def get_absolute_url(self) -> str:
        return reverse("registry:representation-request", args=[self.pk])


class RepresentationInvitation(models.Model):
    """A representative invites a co-representative, or hands the organisation over, by e-mail
    (ADR 0099). The invitee accepts after signing in with that address verified; only then is the
    role given, so nobody represents an organisation without the approval of someone who acts for it."""

    class Kind(models.TextChoices):
        CO_REPRESENTATIVE = "co_representative", _("Medföreträdare")
        HANDOVER = "handover", _("Överlämning")

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på svar")
        ACCEPTED = "accepted", _("Antagen")
        DECLINED = "declined", _("Avböjd")
        REVOKED = "revoked", _("Återkallad")

    # The invitee accepts or declines, the inviter (or anyone acting for the organisation) revokes;
    # who may take which step is permissions.can_answer_invitation / can_revoke_invitation.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.PENDING, Status.ACCEPTED, "accept"),
        (Status.PENDING, Status.DECLINED, "decline"),
        (Status.PENDING, Status.REVOKED, "revoke"),
    )

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="representation_invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-postadress"))
    mandate = models.CharField(_("uppdrag"), max_length=20, choices=Mandate.choices)
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices, default=Kind.CO_REPRESENTATIVE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="representation_invitations_sent",
        verbose_name=_("inbjuden av"),
    )
    # SHA-256 of the secret in the link; the secret itself is only in the e-mail.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gäller till"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("besvarad av"),
    )
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inbjudan att företräda")
        verbose_name_plural = _("inbjudningar att företräda")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(status="pending"),
                name="representation_invitation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired

    def get_absolute_url(self) -> str:
        return reverse("registry:representation-invitation", args=[self.pk])


from .deminimis_models import DeMinimisAid  # noqa: E402, F401  (the ledger, in its own module: ADR 0132)
