"""Users and their roles, each role scoped to a municipality or an organisation where it applies."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Minimal personal data: name, e-mail."""

    email = models.EmailField(_("e-postadress"), blank=True)
    # Set when the person deleted their account: the row stays, emptied of everything about them, so
    # that what they did for the public record still points somewhere (services.account_delete).
    deleted_at = models.DateTimeField(_("borttaget"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        if self.deleted_at is not None:
            return str(DELETED_USER)
        return self.get_full_name() or self.username


DELETED_USER = _("borttagen användare")


class Role(models.TextChoices):
    REGION_ADMIN = "region_admin", _("Regionadministratör")
    MUNICIPAL_OFFICER = "municipal_officer", _("Kommunhandläggare")
    ORGANISATION_REP = "organisation_rep", _("Organisationsföreträdare")
    REVIEWER = "reviewer", _("Bedömare")


class Mandate(models.TextChoices):
    """What gives a representative the right to speak for their organisation (ADR 0090, 0099)."""

    BOARD_MEMBER = "board_member", _("Styrelseledamot")
    SIGNATORY = "signatory", _("Firmatecknare")
    EMPLOYEE = "employee", _("Anställd")
    APPOINTED_CONTACT = "appointed_contact", _("Utsedd kontaktperson")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("användare")
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        "core.Municipality", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("kommun")
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("organisation")
    )
    # A representative's mandate (blank for roles given in the admin before mandates were recorded,
    # and for every other role) and when the role began.
    mandate = models.CharField(_("uppdrag"), max_length=20, choices=Mandate.choices, blank=True)
    since = models.DateTimeField(_("sedan"), default=timezone.now)

    class Meta:
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        constraints = [
            # A municipal officer is scoped to a municipality, a representative to an organisation,
            # and the other roles to neither.
            models.CheckConstraint(
                condition=(
                    Q(role="municipal_officer", municipality__isnull=False, organisation__isnull=True)
                    | Q(role="organisation_rep", organisation__isnull=False, municipality__isnull=True)
                    | Q(role__in=["region_admin", "reviewer"], municipality__isnull=True, organisation__isnull=True)
                ),
                name="role_scope_matches_role",
            ),
            # One assignment per user, role and scope (partial indexes: portable NULL handling).
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=Q(municipality__isnull=False),
                name="role_unique_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(municipality__isnull=True, organisation__isnull=True),
                name="role_unique_unscoped",
            ),
        ]

    def __str__(self) -> str:
        scope = self.municipality or self.organisation
        return f"{self.get_role_display()}" + (f" – {scope}" if scope else "")


# The e-ID link is a model of this app, kept beside the rest of the e-ID code.
from .eid.models import EidLink  # noqa: E402, F401
