"""The one permission seam: who a user may act for.

Every app's `permissions.py` builds its rules on these functions; nothing else reads a user's
role scope (`accounts.scopes.Scope`), and a test holds that line (see
`accounts/tests/test_scope_reads.py`).

Acting for a body means being allowed to change its records and to bind other records to it:
- the Region: region administrators;
- a municipality: its municipal officers and region administrators;
- an organisation: its approved representatives, the municipal officers of its home municipality
  (who keep the municipality's part of the register) and region administrators.

Each rule comes as a pair: a yes/no question about one object (`acts_for_organisation`) and the
condition that selects every such object in one query (`organisations_actable_q`). The condition
is a `Q` over the organisation's fields, optionally reached through a relation path, so that any
app can filter its own rows by "the owning organisation is one the user acts for" without a
second query and without this module importing the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from civsam.core.models import Municipality

from .scopes import scope_for

# Who asks: a signed-in user, the anonymous user of a request, or None (no user, e.g. a command).
User = AbstractBaseUser | AnonymousUser | None
M = TypeVar("M", bound=Model)


class OwnedByMunicipality(Protocol):
    """An organisation as this module sees it (accounts does not import the registry)."""

    @property
    def pk(self) -> Any: ...

    @property
    def municipality_id(self) -> int | None: ...


# A condition that matches no row (Q(pk__in=[]) compiles to a false predicate without a query).
NOTHING = Q(pk__in=[])


def _path(via: str, field: str) -> str:
    return f"{via}__{field}" if via else field


def is_authenticated(user: User) -> bool:
    return scope_for(user).authenticated


def acts_for_region(user: User) -> bool:
    """Region administrators act for the Region and, through it, for every body in the county."""
    return scope_for(user).region_admin


def is_staff(user: User) -> bool:
    """The people who run the register: region administrators and municipal officers."""
    return scope_for(user).is_staff_like


def is_reviewer(user: User) -> bool:
    """Reviewers assess work submitted by others (social-value analyses; later grant applications).

    The role gives no right to act for any body: a reviewer reads and assesses, never edits."""
    scope = scope_for(user)
    return scope.reviewer or scope.region_admin


def acts_for_municipality(user: User, municipality: Municipality | int | None) -> bool:
    """`municipality` is a Municipality or its id."""
    scope = scope_for(user)
    if scope.region_admin:
        return True
    pk = getattr(municipality, "pk", municipality)
    return pk is not None and pk in scope.municipality_ids


def acts_for_some_municipality(user: User) -> bool:
    scope = scope_for(user)
    return scope.region_admin or bool(scope.municipality_ids)


def municipality_ids_actable_by(user: User) -> frozenset[int] | None:
    """The ids of the municipalities the user acts for; None means every municipality."""
    scope = scope_for(user)
    return None if scope.region_admin else scope.municipality_ids


def municipalities_actable_by(user: User) -> QuerySet[Municipality]:
    ids = municipality_ids_actable_by(user)
    qs = Municipality.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def municipalities_actable_q(user: User, *, via: str = "") -> Q | None:
    """Rows whose municipality (at `via`, the path to a Municipality) the user acts for; None = all."""
    ids = municipality_ids_actable_by(user)
    if ids is None:
        return None
    return Q(**{_path(via, "pk__in"): ids}) if ids else NOTHING


def represents_organisation(user: User, organisation: OwnedByMunicipality | int | None) -> bool:
    """An approved representative of the organisation (not staff acting for it)."""
    pk = getattr(organisation, "pk", organisation)
    return pk is not None and pk in scope_for(user).organisation_ids


def represented_organisation_ids(user: User) -> frozenset[int]:
    """The organisations the user is an approved representative of."""
    return scope_for(user).organisation_ids


def acts_for_organisation(user: User, organisation: OwnedByMunicipality | None) -> bool:
    """Region administrators, the organisation's representatives and the officers of its home municipality."""
    if organisation is None:
        return False
    scope = scope_for(user)
    return (
        scope.region_admin
        or organisation.pk in scope.organisation_ids
        or (organisation.municipality_id is not None and organisation.municipality_id in scope.municipality_ids)
    )


def acts_for_some_organisation(user: User) -> bool:
    """May the user act for any organisation at all (for showing a create page)."""
    scope = scope_for(user)
    return scope.region_admin or bool(scope.organisation_ids) or bool(scope.municipality_ids)


def organisations_actable_q(user: User, *, via: str = "") -> Q | None:
    """The condition matching the organisations (at `via`, the path to an Organisation) the user
    acts for; None means every organisation (region administrators)."""
    scope = scope_for(user)
    if scope.region_admin:
        return None
    condition = NOTHING
    if scope.organisation_ids:
        condition |= Q(**{_path(via, "pk__in"): scope.organisation_ids})
    if scope.municipality_ids:
        condition |= Q(**{_path(via, "municipality_id__in"): scope.municipality_ids})
    return condition


def acts_for_all(user: User, bodies: Iterable[tuple[str, Any]]) -> bool:
    """Every named body, given as ("organisation" | "municipality", obj or None), is one the user acts
    for; None entries are skipped. Binding a record to several bodies needs the right to act for each."""
    for kind, body in bodies:
        if body is None:
            continue
        if kind == "organisation" and not acts_for_organisation(user, body):
            return False
        if kind == "municipality" and not acts_for_municipality(user, body):
            return False
    return True


def narrow(qs: QuerySet[M], condition: Q | None) -> QuerySet[M]:
    """Filter by a condition from this module; None (everything) leaves the queryset as it is."""
    return qs if condition is None else qs.filter(condition)


def requires_second_factor(user: User) -> bool:
    """Staff roles (region administrators, municipal officers, reviewers) log in with a second
    factor (ADR 0080): they read and change what others may not."""
    scope = scope_for(user)
    return scope.region_admin or scope.reviewer or scope.is_officer


def reviewers_q(*, via: str = "") -> Q:
    """The users (at `via`, the path to a User) who hold the reviewer role: those an officer may
    assign to assess others' work (grant applications)."""
    from .models import Role

    return Q(**{_path(via, "role_assignments__role"): Role.REVIEWER})
