"""Helpers shared by the agreement services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Agreement


def check(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Du får inte ändra överenskommelsen."))


def locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update(of=("self",)).select_related("owner").get(pk=agreement.pk)


def editable(agreement: Agreement) -> None:
    if not agreement.is_editable:
        raise ValidationError(_("Överenskommelsen är undertecknad; den kan inte längre ändras."))


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
