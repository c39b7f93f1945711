"""The link between an account and a person's Swedish e-ID. Imported by accounts.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EidLink(models.Model):
    """A person's e-ID linked to their account: one per account and one account per person.

    Holds no personal identity number, only its keyed hash (HMAC-SHA256 under a secret kept out of
    the database), which is enough to recognise the person at the next login and nothing more.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eid_link", verbose_name=_("användare")
    )
    pnr_hash = models.CharField(_("nycklad kontrollsumma av personnumret"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("kopplad"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("koppling till e-legitimation")
        verbose_name_plural = _("kopplingar till e-legitimation")
        constraints = [
            # One account per person: a second account cannot claim the same e-ID.
            models.UniqueConstraint(fields=["pnr_hash"], name="eid_link_one_account_per_person"),
            models.CheckConstraint(condition=Q(pnr_hash__regex=r"^[0-9a-f]{64}$"), name="eid_link_hash_is_sha256_hex"),
        ]

    def __str__(self) -> str:
        return f"e-legitimation – {self.user}"
