"""Networks (standing bodies), events and registrations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import Municipality, TimeStampedModel


class Network(TimeStampedModel):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnerskap")
        ASSOCIATION_COUNCIL = "association_council", _("Föreningsråd")
        USER_COUNCIL = "user_council", _("Brukarråd")
        DIALOGUE_FORUM = "dialogue_forum", _("Dialogforum")
        THEMATIC = "thematic", _("Tematiskt nätverk")
        INTERNATIONAL = "international", _("Internationellt nätverk")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Öppet")
        TRANSPARENT = "transparent", _("Synligt, medlemskap efter ansökan")
        MEMBERS = "members", _("Endast för medlemmar")

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    purpose = models.TextField(_("syfte"), blank=True)
    visibility = models.CharField(_("synlighet"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("samordnare")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("del av")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("nätverk")
        verbose_name_plural = _("nätverk")

    def __str__(self) -> str:
        return self.name


class NetworkMembership(TimeStampedModel):
    """An organisation's membership of a network; requested by the organisation, decided by the coordinator."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Ansökt")
        ACTIVE = "active", _("Medlem")
        DECLINED = "declined", _("Avslagen")
        ENDED = "ended", _("Avslutad")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("nätverk")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="network_memberships",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    joined_on = models.DateField(_("medlem sedan"), null=True, blank=True)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)

    class Meta:
        ordering = ["network", "organisation__name"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            # One open membership (requested or active) per organisation and network.
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(status__in=["requested", "active"]),
                name="membership_one_open_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.network}"


class NetworkRepresentative(models.Model):
    """A named person representing a member organisation, in a position, for a period."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        SECRETARY = "secretary", _("Sekreterare")
        MEMBER = "member", _("Ledamot")
        ADJUNCT = "adjunct", _("Adjungerad")

    membership = models.ForeignKey(
        NetworkMembership, on_delete=models.CASCADE, related_name="representatives", verbose_name=_("medlemskap")
    )
    name = models.CharField(_("namn"), max_length=150)
    position = models.CharField(_("uppdrag"), max_length=12, choices=Position.choices, default=Position.MEMBER)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)

    class Meta:
        ordering = ["membership", "position", "name"]
        verbose_name = _("representant")
        verbose_name_plural = _("representanter")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="representative_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"


class Event(TimeStampedModel):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("På plats")
        ONLINE = "online", _("Digitalt")
        HYBRID = "hybrid", _("Hybrid")

    title = models.CharField(_("rubrik"), max_length=200)
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.SET_NULL, related_name="events", verbose_name=_("nätverk")
    )
    organiser = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
        verbose_name=_("arrangör"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    mode = models.CharField(_("form"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("kommun")
    )
    online_url = models.URLField(_("länk till digitalt möte"), blank=True)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    capacity = models.PositiveIntegerField(_("antal platser"), null=True, blank=True, help_text=_("Tomt = obegränsat."))
    registration_opens = models.DateTimeField(_("anmälan öppnar"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("anmälan stänger"), null=True, blank=True)
    requires_approval = models.BooleanField(_("anmälan kräver godkännande"), default=False)
    offer_window_hours = models.PositiveSmallIntegerField(_("svarstid för plats från väntelistan (timmar)"), default=48)
    is_public = models.BooleanField(_("publicerad"), default=True)
    priority_areas = models.ManyToManyField(
        "plan.PriorityArea", blank=True, verbose_name=_("prioriterade aktivitetsområden")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("skapad av"),
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("evenemang")
        verbose_name_plural = _("evenemang")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:event-detail", args=[self.pk])


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bekräftad")
        WAITLISTED = "waitlisted", _("På väntelistan")
        OFFERED = "offered", _("Erbjuden plats, väntar på svar")
        AWAITING_APPROVAL = "awaiting_approval", _("Väntar på godkännande")
        CANCELLED = "cancelled", _("Avbokad")
        DECLINED = "declined", _("Ej godkänd")
        EXPIRED = "expired", _("Erbjudandet gick ut")

    # Statuses that hold a seat: an offer holds its seat until it is accepted or runs out.
    SEAT_HOLDING = (Status.CONFIRMED, Status.OFFERED)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("evenemang")
    )
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"))
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("organisation")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    services = models.JSONField(_("önskat stöd"), default=list, blank=True)
    code = models.CharField(_("anmälningskod"), max_length=12, unique=True)
    cancel_token = models.CharField(max_length=64, unique=True, editable=False)
    offer_expires_at = models.DateTimeField(_("svara senast"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("incheckad"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="offered", offer_expires_at__isnull=False) | ~Q(status="offered"),
                name="offer_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"
