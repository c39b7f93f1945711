"""Events, registrations, custom questions, invitations and what came out of a meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civsam.core.models import ConsequencesMixin, HttpsURLField, Municipality, TimeStampedModel
from civsam.core.workflow import Workflow

from .networks import Network


class TargetGroup(models.TextChoices):
    """Who a participant is, for quotas and follow-up (the conference's target groups)."""

    ELECTED = "elected", _("Förtroendevald")
    OFFICER = "officer", _("Tjänsteperson")
    CIVIL_SOCIETY = "civil_society", _("Civilsamhället")
    OTHER = "other", _("Övrig")


class Event(ConsequencesMixin, TimeStampedModel):
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
    online_url = HttpsURLField(_("länk till digitalt möte"), blank=True)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    capacity = models.PositiveIntegerField(_("antal platser"), null=True, blank=True, help_text=_("Tomt = obegränsat."))
    registration_opens = models.DateTimeField(_("anmälan öppnar"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("anmälan stänger"), null=True, blank=True)
    requires_approval = models.BooleanField(_("anmälan kräver godkännande"), default=False)
    offer_window_hours = models.PositiveSmallIntegerField(_("svarstid för plats från väntelistan (timmar)"), default=48)
    is_public = models.BooleanField(_("publicerad"), default=True)
    invitation_only = models.BooleanField(
        _("endast inbjudna"), default=False, help_text=_("Bara den som fått en inbjudan kan anmäla sig.")
    )
    agenda = models.TextField(_("dagordning"), blank=True)
    minutes = models.TextField(_("minnesanteckningar"), blank=True)
    priority_areas = models.ManyToManyField(
        "plan.PriorityArea", blank=True, verbose_name=_("prioriterade aktivitetsområden")
    )
    # The plan's initiatives the meeting belongs to, as records, so that the initiative page lists
    # its meetings and computed indicators count their participants. Owned here, not by the plan:
    # the plan sits below the apps that serve it (docs/adr/0055-*). The table keeps its first name.
    initiatives = models.ManyToManyField(
        "plan.Initiative",
        blank=True,
        related_name="events",
        db_table="plan_initiative_events",
        verbose_name=pgettext_lazy("plan initiative", "insatser"),
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
        EXPIRED = "expired", _("Svarstiden gick ut")
        HELD = "held", _("Plats reserverad, väntar på bekräftelse av e-postadressen")
        UNCONFIRMED = "unconfirmed", _("Väntar på bekräftelse av e-postadressen")

    # A registration starts confirmed, waitlisted or awaiting approval (seating.initial_status), or,
    # when made without signing in, held or unconfirmed until the e-mail address is confirmed; from
    # there only these steps exist. The one service that takes them is
    # services.registrations.registration_status_change.
    WORKFLOW = Workflow.from_choices(
        Status,
        # The address is confirmed by the link in the mail: a held seat becomes the registrant's; a
        # registration without one is decided then, as a signed-in one would have been at once.
        (Status.HELD, Status.CONFIRMED, "confirm"),
        (Status.UNCONFIRMED, Status.CONFIRMED, "confirm"),
        (Status.UNCONFIRMED, Status.WAITLISTED, "confirm"),
        (Status.UNCONFIRMED, Status.AWAITING_APPROVAL, "confirm"),
        # Not confirmed in time: a held seat goes back to the pool and the waitlist moves.
        (Status.HELD, Status.EXPIRED, "expire"),
        (Status.UNCONFIRMED, Status.EXPIRED, "expire"),
        (Status.WAITLISTED, Status.OFFERED, "offer"),  # a seat came free: offered, with a deadline
        (Status.OFFERED, Status.CONFIRMED, "accept"),
        (Status.OFFERED, Status.EXPIRED, "expire"),  # the deadline passed; the seat goes on
        (Status.AWAITING_APPROVAL, Status.CONFIRMED, "approve"),
        (Status.AWAITING_APPROVAL, Status.WAITLISTED, "approve"),  # approved, but no seat is free
        (Status.AWAITING_APPROVAL, Status.DECLINED, "decline"),
        # The organiser moves someone with a seat to the end of the waitlist (services.registration_move).
        (Status.CONFIRMED, Status.WAITLISTED, "move_to_waitlist"),
        # The registrant may cancel from any state, by the link in their e-mail.
        (Status.CONFIRMED, Status.CANCELLED, "cancel"),
        (Status.WAITLISTED, Status.CANCELLED, "cancel"),
        (Status.OFFERED, Status.CANCELLED, "cancel"),
        (Status.AWAITING_APPROVAL, Status.CANCELLED, "cancel"),
        (Status.DECLINED, Status.CANCELLED, "cancel"),
        (Status.EXPIRED, Status.CANCELLED, "cancel"),
        (Status.HELD, Status.CANCELLED, "cancel"),
        (Status.UNCONFIRMED, Status.CANCELLED, "cancel"),
    )

    # Statuses that hold a seat: an offer holds its seat until it is accepted or runs out, an
    # anonymous registration until its address is confirmed or its time runs out.
    SEAT_HOLDING = (Status.CONFIRMED, Status.OFFERED, Status.HELD)
    # Waiting for the registrant to confirm their e-mail address, by `confirm_by`.
    AWAITING_ADDRESS = (Status.HELD, Status.UNCONFIRMED)
    # No longer taking part: they hold no seat and no place in the queue.
    ENDED = (Status.CANCELLED, Status.DECLINED, Status.EXPIRED)

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
    organisation_name = models.CharField(_("organisation (fritext)"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    target_group = models.CharField(_("målgrupp"), max_length=20, choices=TargetGroup.choices, blank=True)
    registration_type = models.ForeignKey(
        "meetings.RegistrationType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("anmälningstyp"),
    )
    invitation = models.ForeignKey(
        "meetings.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    services = models.JSONField(_("önskat stöd"), default=list, blank=True)
    answers = models.JSONField(_("svar på arrangörens frågor"), default=dict, blank=True)
    reminded_at = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)
    code = models.CharField(_("anmälningskod"), max_length=12, unique=True)
    cancel_token = models.CharField(max_length=64, unique=True, editable=False)
    offer_expires_at = models.DateTimeField(_("svara senast"), null=True, blank=True)
    # The secret of the link that confirms the e-mail address; only ever sent to that address.
    confirm_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    confirm_by = models.DateTimeField(_("bekräfta senast"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("incheckad"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue_idx"),
            # One active registration per address and event for those who are not signed in.
            models.Index(F("event"), Lower("email"), name="registration_address_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="offered", offer_expires_at__isnull=False) | ~Q(status="offered"),
                name="offer_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["held", "unconfirmed"], confirm_by__isnull=False, confirm_token__isnull=False)
                | ~Q(status__in=["held", "unconfirmed"]),
                name="unconfirmed_address_has_deadline",
            ),
            # Two registrations racing with the same address: the second is refused.
            models.UniqueConstraint(
                F("event"),
                Lower("email"),
                condition=Q(status__in=["held", "unconfirmed"]),
                name="one_unconfirmed_registration_per_address",
            ),
            # An invitation is good for one registration; once that is cancelled it may be used again.
            models.UniqueConstraint(
                fields=["invitation"], condition=~Q(status="cancelled"), name="invitation_used_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    @property
    def affiliation(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class EventSeats(models.Model):
    """How many of an event's registrations hold a seat and how many wait in the queue, kept by the
    registration services alongside every status change, so that a seat is taken with one
    conditional update of this row instead of counting registrations under a lock (ADR 0079)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, primary_key=True, related_name="seats")
    taken = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("platser")
        verbose_name_plural = _("platser")

    def __str__(self) -> str:
        return f"{self.event_id}: {self.taken} / {self.waiting}"


class EventQuestion(models.Model):
    """A question of the organiser's own, answered at registration."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Fritext")
        CHOICE = "choice", _("Ett av alternativen")
        YES_NO = "yes_no", _("Ja eller nej")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("evenemang"))
    label = models.CharField(_("fråga"), max_length=300)
    kind = models.CharField(_("svarstyp"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("alternativ"), default=list, blank=True)
    required = models.BooleanField(_("obligatorisk"), default=False)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = _("anmälningsfråga")
        verbose_name_plural = _("anmälningsfrågor")

    def __str__(self) -> str:
        return self.label


class Invitation(TimeStampedModel):
    """A personal invitation; its token lets the invitee register (also when the event is invitation-only)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("evenemang"))
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="invitation_one_per_email")]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"


class EventOutput(TimeStampedModel):
    """Something a meeting produced: a decision, a proposal, a report, a new collaboration."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Beslut")
        PROPOSAL = "proposal", _("Förslag")
        REPORT = "report", _("Rapport eller dokumentation")
        COLLABORATION = "collaboration", _("Ny samverkan")
        OTHER = "other", _("Annat")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("evenemang"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    url = HttpsURLField(_("länk"), blank=True)

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("resultat av mötet")
        verbose_name_plural = _("resultat av mötet")

    def __str__(self) -> str:
        return self.title
