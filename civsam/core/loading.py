"""The one way a view or an API operation loads an object it acts on: fetch it or answer 404, then
check the permission or answer 403, in one call.

    analysis = get_permitted(request.user, SocialValueAnalysis.objects.select_related(...),
                             permissions.can_edit_analysis, pk=pk)

Each app names its loaders after what they return (`managed_event`, `editable_analysis`) and
builds them on `get_permitted`; a page that acts on no object states its rule with `require`.
The API's exception handlers turn the same PermissionDenied and Http404 into problem+json.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


def get_permitted(
    user: Any,
    source: type[M] | QuerySet[M],
    check: Callable[[Any, M], bool],
    *,
    message: str | None = None,
    **lookup: Any,
) -> M:
    """The object matching `lookup` in `source`, if `check(user, obj)` allows it.

    404 when there is no such object, 403 (with `message`, if given) when the user may not."""
    obj = get_object_or_404(source, **lookup)
    if not check(user, obj):
        raise PermissionDenied(message) if message else PermissionDenied
    return obj


def require(allowed: bool, message: str | None = None) -> None:
    """403 unless `allowed`: for pages that act on no single object (create, import, queues)."""
    if not allowed:
        raise PermissionDenied(message) if message else PermissionDenied
