"""What a user may act on, computed once per request from the role assignments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import Role, RoleAssignment


@dataclass(frozen=True)
class Scope:
    authenticated: bool = False
    region_admin: bool = False
    reviewer: bool = False
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_officer(self) -> bool:
        return bool(self.municipality_ids)

    @property
    def is_staff_like(self) -> bool:
        """Region administrators and municipal officers: the people who run the register."""
        return self.region_admin or self.is_officer


ANONYMOUS = Scope()


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_civsam_scope", None)
    if cached is not None:
        return cached
    region_admin = bool(user.is_superuser)
    reviewer = False
    municipalities: set[int] = set()
    organisations: set[int] = set()
    for role, municipality_id, organisation_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "municipality_id", "organisation_id"
    ):
        if role == Role.REGION_ADMIN:
            region_admin = True
        elif role == Role.REVIEWER:
            reviewer = True
        elif role == Role.MUNICIPAL_OFFICER:
            municipalities.add(municipality_id)
        elif role == Role.ORGANISATION_REP:
            organisations.add(organisation_id)
    scope = Scope(True, region_admin, reviewer, frozenset(municipalities), frozenset(organisations))
    user._civsam_scope = scope
    return scope
