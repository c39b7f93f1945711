"""How the data protection pages load what they act on (civsam.core.loading)."""

from __future__ import annotations

from civsam.core.loading import get_permitted

from . import permissions
from .models import SubjectAccessRequest


def handled_subject_request(user, pk: int) -> SubjectAccessRequest:
    return get_permitted(
        user,
        SubjectAccessRequest.objects.select_related("account", "handled_by"),
        permissions.can_handle_subject_request,
        pk=pk,
    )
