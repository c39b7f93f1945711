"""What the programme services share: the permission check and the facts an application has besides
its form's answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# Facts an application has besides its form's answers; rules may read them.
BUILT_IN_FACTS = ("amount_applied", "years")


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def built_in_labels() -> dict[str, str]:
    return {"amount_applied": _("Sökt belopp"), "years": _("Antal år")}
