"""Networks (standing bodies): memberships of organisations and their named representatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.models import TimeStampedModel
from civsam.core.workflow import Workflow


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

    # Requested by the organisation, decided by the coordinator, ended by either. The one service
    # that takes these steps is services.networks.membership_status_change.
    WORKFLOW = Workflow.from_choices(
        Status,
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
