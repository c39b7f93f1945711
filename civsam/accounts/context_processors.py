"""`second_factor_notice` for base.html: with DEBUG on, a staff user without a second factor is not
sent to set one up (StaffSessionMiddleware) but told on every page that production would."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .second_factor import second_factor_due


def account(request: HttpRequest) -> dict[str, Any]:
    if not ((settings.DEBUG or settings.CIVSAM_STAFF_MFA_REMIND_ONLY) and settings.CIVSAM_STAFF_MFA):
        return {}
    return {"second_factor_notice": second_factor_due(request)}
