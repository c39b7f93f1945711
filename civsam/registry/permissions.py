"""Who may do what in the register: pairs of can_<verb>(user, obj) and <things>_visible_to(user).

Region administrators may do everything. Municipal officers act on organisations whose home
municipality is in their scope and may create new ones there. Representatives edit only their
own organisations. Reviewers and the public read the public directory.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts.scopes import scope_for

from .models import ContactPerson, DuplicateCandidate, Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    scope = scope_for(user)
    qs = Organisation.objects.all()
    if scope.region_admin:
        return qs
    condition = Q(is_public=True)
    if scope.municipality_ids:
        condition |= Q(municipality_id__in=scope.municipality_ids)
    if scope.organisation_ids:
        condition |= Q(id__in=scope.organisation_ids)
    return qs.filter(condition)


def can_view(user, organisation: Organisation) -> bool:
    scope = scope_for(user)
    return (
        organisation.is_public
        or scope.region_admin
        or organisation.municipality_id in scope.municipality_ids
        or organisation.pk in scope.organisation_ids
    )


def can_create(user, municipality_id: int | None = None) -> bool:
    """Create an organisation; with a municipality, create one in that municipality."""
    scope = scope_for(user)
    if scope.region_admin:
        return True
    if municipality_id is None:
        return scope.is_officer
    return municipality_id in scope.municipality_ids


def can_change(user, organisation: Organisation) -> bool:
    scope = scope_for(user)
    return (
        scope.region_admin
        or organisation.municipality_id in scope.municipality_ids
        or organisation.pk in scope.organisation_ids
    )


def can_change_flags(user, organisation: Organisation) -> bool:
    """The verified flags (social enterprise, ...) are set by staff, not by the organisation itself."""
    scope = scope_for(user)
    return scope.region_admin or organisation.municipality_id in scope.municipality_ids


def can_delete(user, organisation: Organisation) -> bool:
    return scope_for(user).region_admin


def can_view_contacts(user, organisation: Organisation) -> bool:
    return can_change(user, organisation)


def can_view_history(user, organisation: Organisation) -> bool:
    return can_change(user, organisation)


def can_import(user) -> bool:
    return scope_for(user).is_staff_like


def can_review_duplicates(user) -> bool:
    return scope_for(user).is_staff_like


def can_resolve_duplicate(user, candidate: DuplicateCandidate) -> bool:
    """Officers decide on pairs in their own municipalities only; region administrators on all.

    Reviewers and representatives have no municipality, so they decide on none."""
    scope = scope_for(user)
    if scope.region_admin:
        return True
    return (
        candidate.first.municipality_id in scope.municipality_ids
        and candidate.second.municipality_id in scope.municipality_ids
    )


def duplicates_visible_to(user) -> QuerySet[DuplicateCandidate]:
    scope = scope_for(user)
    qs = DuplicateCandidate.objects.all()
    if scope.region_admin:
        return qs
    return qs.filter(
        first__municipality_id__in=scope.municipality_ids, second__municipality_id__in=scope.municipality_ids
    )


def contacts_visible_to(user) -> QuerySet[ContactPerson]:
    scope = scope_for(user)
    qs = ContactPerson.objects.all()
    if scope.region_admin:
        return qs
    return qs.filter(
        Q(organisation__municipality_id__in=scope.municipality_ids) | Q(organisation_id__in=scope.organisation_ids)
    )
