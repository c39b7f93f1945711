"""Helpers shared by the registry tests (not a test module itself)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

FLAG_BOOLEANS = ("social_enterprise", "work_integrating", "ideburen_registered")


def organisation_form_data(organisation, **overrides: Any) -> dict[str, Any]:
    """What the edit form posts for an organisation as it is stored; overrides change fields.

    A checkbox is left out when it is off, as a browser does; override it with False to untick it.
    """
    data: dict[str, Any] = {
        "name": organisation.name,
        "orgnr": organisation.orgnr_display,
        "legal_form": organisation.legal_form_id,
        "municipality": organisation.municipality_id,
        "website": organisation.website,
        "email": organisation.email,
        "description": organisation.description,
        "founded_year": organisation.founded_year or "",
        "member_count": "" if organisation.member_count is None else organisation.member_count,
        "active_municipalities": [m.pk for m in organisation.active_municipalities.all()],
        "activity_classes": [a.pk for a in organisation.activity_classes.all()],
        "roles": [r.pk for r in organisation.roles.all()],
        "social_enterprise_source": organisation.social_enterprise_source,
        "work_integrating_source": organisation.work_integrating_source,
        "ideburen_source": organisation.ideburen_source,
        "social_enterprise_verified_on": organisation.social_enterprise_verified_on or "",
        "work_integrating_verified_on": organisation.work_integrating_verified_on or "",
        "ideburen_verified_on": organisation.ideburen_verified_on or "",
    }
    for checkbox in ("is_public", *FLAG_BOOLEANS):
        if getattr(organisation, checkbox):
            data[checkbox] = "on"
    for key, value in overrides.items():
        if value is False:
            data.pop(key, None)
        elif value is True:
            data[key] = "on"
        else:
            data[key] = value
    return data


def is_login_redirect(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")
