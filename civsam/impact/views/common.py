"""The loaders of the social-value pages, named after what they return: each fetches its object or
answers 404, then checks the permission or answers 403 (civsam.core.loading)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse

from civsam.core.loading import get_permitted

from .. import permissions, selectors
from ..models import FinancialProxy, SocialValueAnalysis


def login_when_denied(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """On a public page, an anonymous visitor refused an object is asked to log in (the draft may
    be theirs to see) rather than shown 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapped


def visible_analysis(request: HttpRequest, pk: int) -> SocialValueAnalysis:
    return get_permitted(request.user, selectors.analyses_with_relations(), permissions.can_view_analysis, pk=pk)


def editable_analysis(request: HttpRequest, pk: int) -> SocialValueAnalysis:
    return get_permitted(request.user, SocialValueAnalysis, permissions.can_edit_analysis, pk=pk)


def owned_analysis(request: HttpRequest, pk: int) -> SocialValueAnalysis:
    """An analysis whose owner the user acts for: the owner's side, who submit it."""
    return get_permitted(request.user, SocialValueAnalysis, permissions.acts_for_analysis_owner, pk=pk)


def changeable_proxy(request: HttpRequest, pk: int) -> FinancialProxy:
    return get_permitted(request.user, FinancialProxy, permissions.can_change_proxy, pk=pk)


def errors_to_form(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on the field it names, or on the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
