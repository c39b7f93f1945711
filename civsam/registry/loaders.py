"""How the register's pages load what they act on: fetch it or answer 404, then check the
permission or answer 403 (civsam.core.loading). The API reads only what the caller may see and
answers 404 for the rest (selectors.organisation_detail)."""

from __future__ import annotations

from civsam.core.loading import get_permitted

from . import permissions, selectors
from .models import (
    ContactPerson,
    DirectoryExport,
    DuplicateCandidate,
    MergedActor,
    Organisation,
    OrganisationMerge,
    RepresentationInvitation,
    RepresentationRequest,
    pk_from_civsam_id,
)


def by_key(key: str, prefix: str = "") -> dict:
    """The lookup for an organisation's key in a URL: its orgnr, or its Civsam identifier (ADR 0096)."""
    pk = pk_from_civsam_id(key)
    return {f"{prefix}pk": pk} if pk is not None else {f"{prefix}orgnr": key}


def merged_into(key: str, user=None) -> Organisation | None:
    """The organisation an actor merged away lives on in (ADR 0113): by the Civsam identifier of an
    actor merged into one with an orgnr (ADR 0097), or by the orgnr or identifier of a duplicate
    merged into the one kept (ADR 0106). A later merge of the survivor moves these rows on, so one
    step is enough. With `user`, only an organisation they may see."""
    key = key.strip().upper()
    pk = pk_from_civsam_id(key)
    if pk is not None:
        into = MergedActor.objects.filter(identifier=key).values_list("into_id", flat=True).first()
        merges = OrganisationMerge.objects.filter(merged_id=pk)
    else:
        into = None
        merges = OrganisationMerge.objects.filter(merged_orgnr=key)
    if into is None:
        into = merges.order_by("-at", "-id").values_list("kept_id", flat=True).first()
    if into is None:
        return None
    candidates = Organisation.objects.all() if user is None else permissions.organisations_visible_to(user)
    return candidates.filter(pk=into).first()


def viewable_organisation(user, orgnr: str) -> Organisation:
    """An organisation for its page, with what the page shows."""
    return get_permitted(
        user,
        selectors.with_detail_relations(Organisation.objects.all()),
        permissions.can_view_organisation,
        **by_key(orgnr),
    )


def changeable_organisation(user, orgnr: str) -> Organisation:
    return get_permitted(user, Organisation, permissions.can_change_organisation, **by_key(orgnr))


def deletable_organisation(user, orgnr: str) -> Organisation:
    return get_permitted(user, Organisation, permissions.can_delete_organisation, **by_key(orgnr))


def organisation_with_visible_contacts(user, orgnr: str) -> Organisation:
    return get_permitted(user, Organisation, permissions.can_view_contacts, **by_key(orgnr))


def organisation_with_visible_history(user, orgnr: str) -> Organisation:
    return get_permitted(user, Organisation, permissions.can_view_organisation_history, **by_key(orgnr))


def changeable_contact(user, orgnr: str, pk: int) -> ContactPerson:
    return get_permitted(
        user,
        ContactPerson.objects.select_related("organisation"),
        permissions.can_change_contact,
        pk=pk,
        **by_key(orgnr, "organisation__"),
    )


def resolvable_duplicate(user, pk: int) -> DuplicateCandidate:
    return get_permitted(
        user, DuplicateCandidate.objects.select_related("first", "second"), permissions.can_resolve_duplicate, pk=pk
    )


def downloadable_directory_export(user, pk: int) -> DirectoryExport:
    return get_permitted(user, DirectoryExport, permissions.can_download_directory_export, pk=pk)


def mergeable_organisation(user, orgnr: str) -> Organisation:
    return get_permitted(user, Organisation, permissions.can_merge_actor, **by_key(orgnr))


def viewable_representation_request(user, pk: int) -> RepresentationRequest:
    return get_permitted(
        user,
        RepresentationRequest.objects.select_related("organisation__municipality", "user", "decided_by"),
        permissions.can_view_representation_request,
        pk=pk,
    )


def viewable_invitation(user, pk: int) -> RepresentationInvitation:
    return get_permitted(
        user,
        RepresentationInvitation.objects.select_related("organisation__municipality", "invited_by", "answered_by"),
        permissions.can_view_invitation,
        pk=pk,
    )
