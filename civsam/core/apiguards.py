"""What every writing API operation checks first, and how a service's refusal becomes an answer:
a signed-in caller (401) sending the CSRF token (403), and a ValidationError as a 400 problem
naming each field in the body (the Digg REST profile's problem+json). One place, so that the
message a client sees for the same failure is the same in every app."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.utils import check_csrf
from pydantic.alias_generators import to_camel

from .apitools import ApiProblem, InvalidParameter


def require_signed_in(request: HttpRequest, message: str, *, write: bool = True) -> None:
    """401 with `message` (what signing in would allow) for an anonymous caller; for a write, 403
    when the session's CSRF token is missing."""
    if not request.user.is_authenticated:
        raise ApiProblem(401, message)
    if write and check_csrf(request) is not None:
        raise ApiProblem(403, _("CSRF-kontrollen misslyckades: skicka med CSRF-token i huvudet X-CSRFToken."))


def problem_from_validation(exc: ValidationError, name: Callable[[str], str] = to_camel) -> ApiProblem:
    """A service's ValidationError as 400: every message, and each field under its name in the
    body (`name` maps a service's field name; errors on no field are the body's)."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    return ApiProblem(
        400,
        " ".join(exc.messages),
        invalid_parameters=[
            InvalidParameter(
                "body" if field == NON_FIELD_ERRORS else name(field),
                " ".join(e.message % (e.params or {}) for e in field_errors),
            )
            for field, field_errors in errors.items()
        ],
    )
