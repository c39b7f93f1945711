"""Networks (standing bodies): memberships of organisations and their named representatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel
from civsam.core.workflow import Workflow


class Network(TimeStampedModel):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnerskap")
        COOPERATION_COUNCIL = "cooperation_council", _("Samverkansråd")
        ASSOCIATION_COUNCIL = "association_council", _("Föreningsråd")
        USER_COUNCIL = "user_council", _("Brukarråd")
        DIALOGUE_FORUM = "dialogue_forum", _("Dialogforum")
        THEMATIC = "thematic", _("Tematiskt nätverk")
        INTERNATIONAL = "international", _("Internationellt nätverk")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Öppet")
        TRANSPARENT = "transparent", _("Synligt, medlemskap efter ansökan")
        MEMBERS = "members", _("Endast för medlemmar")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Verksamt")
        CLOSED = "closed", _("Avslutat")

    # A network is closed once and stays readable; the one service that closes it is
    # services.networks.network_close.
    WORKFLOW = Workflow.from_choices(Status, (Status.ACTIVE, Status.CLOSED, "close"))

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    purpose = models.TextField(_("syfte"), blank=True)
    visibility = models.CharField(_("synlighet"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    # The body that runs the network: an organisation (an association's forum, the Region's
    # partnership when the Region is in the registry), or none (run by staff). Those who act for it
    # manage the network (ADR 0101).
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_networks",
        verbose_name=_("samordnande organisation"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("samordnare")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("del av")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("nätverk")
        verbose_name_plural = _("nätverk")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:network-detail", args=[self.slug])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class NetworkMembership(TimeStampedModel):
    """An organisation's membership of a network: requested by the organisation and decided by the
    coordinator, or offered by the coordinator and answered by the organisation."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Inbjuden")
        REQUESTED = "requested", _("Ansökt")
        ACTIVE = "active", _("Medlem")
        DECLINED = "declined", _("Avslagen")
        ENDED = "ended", _("Avslutad")

    OPEN = (Status.INVITED, Status.REQUESTED, Status.ACTIVE)

    # Requested by the organisation and decided by the coordinator, or invited by the coordinator
    # and answered by the organisation; ended by either. The one service that takes these steps is
    # services.networks.membership_status_change.
    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.INVITED, Status.ACTIVE, "accept"),
        (Status.INVITED, Status.DECLINED, "refuse"),
        (Status.INVITED, Status.ENDED, "revoke"),
        (Status.REQUESTED, Status.ACTIVE, "approve"),
        (Status.REQUESTED, Status.DECLINED, "decline"),
        (Status.REQUESTED, Status.ENDED, "withdraw"),
        (Status.ACTIVE, Status.ENDED, "end"),
    )

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
            # One open membership (invited, requested or active) per organisation and network.
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(status__in=["invited", "requested", "active"]),
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
