"""Who may do what in the register: pairs of can_<verb>_<object>(user, obj) and <things>_visible_to(user).

Built on the permission seam (civsam.accounts.permissions). Region administrators may do
everything. Municipal officers act for the organisations whose home municipality is theirs and
register new ones there; representatives act for their own organisations. Everyone, signed in or
not, reads the public directory.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts.permissions import (
    NOTHING,
    acts_for_municipality,
    acts_for_organisation,
    acts_for_region,
    acts_for_some_municipality,
    is_authenticated,
    is_staff,
    municipalities_actable_by,
    municipalities_actable_q,
    municipality_ids_actable_by,
    narrow,
    organisations_actable_q,
    represented_organisation_ids,
    represents_organisation,
)
from civsam.accounts.selectors import verified_emails_of
from civsam.core.models import Municipality

from .models import (
    ContactPerson,
    DirectoryExport,
    DuplicateCandidate,
    Organisation,
    RepresentationInvitation,
    RepresentationRequest,
)

# Organisations ------------------------------------------------------------------------------------


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The public directory, and every organisation the user acts for."""
    actable = organisations_actable_q(user)
    qs = Organisation.objects.all()
    return qs if actable is None else qs.filter(Q(is_public=True) | actable)


# Whose view of the register an export is made with: everyone's, or one user's (who acts for
# organisations that may be hidden from the public directory).
PUBLIC_AUDIENCE = "public"


def directory_audience(user) -> str:
    actable = organisations_actable_q(user)
    if actable is not None and actable == NOTHING:
        return PUBLIC_AUDIENCE
    return f"user:{user.pk}"


def can_download_directory_export(user, export: DirectoryExport) -> bool:
    """A large export made in the background is for whoever sees the register as it was made for."""
    return export.audience == directory_audience(user)


def can_view_organisation(user, organisation: Organisation) -> bool:
    return organisation.is_public or acts_for_organisation(user, organisation)


def organisations_actable_by(user) -> QuerySet[Organisation]:
    """The organisations the user acts for (may change, and bind other records to): for other apps' forms."""
    return narrow(Organisation.objects.all(), organisations_actable_q(user))


def can_create_organisation(user, municipality=None) -> bool:
    """Register an organisation; with a municipality (or its id), register one there."""
    if municipality is None:
        return acts_for_some_municipality(user)
    return acts_for_municipality(user, municipality)


def can_change_organisation(user, organisation: Organisation) -> bool:
    """Edit the organisation and its contact persons."""
    return acts_for_organisation(user, organisation)


def can_move_organisation(user, organisation: Organisation, municipality) -> bool:
    """Give the organisation another home municipality (a Municipality or its id).

    Moving it needs the right to register organisations in the new municipality; keeping the
    current one (a representative saving the form) needs nothing more than the right to edit."""
    target = getattr(municipality, "pk", municipality)
    return target == organisation.municipality_id or can_create_organisation(user, target)


def organisation_municipalities_for(user, organisation: Organisation | None = None) -> QuerySet[Municipality]:
    """The home municipalities the organisation form offers: where the user may register
    organisations, and the organisation's current one (which a representative keeps)."""
    municipalities = Municipality.objects.all()
    ids = municipality_ids_actable_by(user)
    if ids is None:
        return municipalities
    if organisation is not None:
        ids = ids | {organisation.municipality_id}
    return municipalities.filter(pk__in=ids)


def can_change_organisation_flags(user, organisation: Organisation | None) -> bool:
    """The verified flags (social enterprise, ...) are set by staff of the organisation's
    municipality, not by the organisation itself. None: a new organisation, which staff may flag."""
    if organisation is None:
        return is_staff(user)
    return acts_for_municipality(user, organisation.municipality_id)


def can_change_organisation_status(user, organisation: Organisation) -> bool:
    """The official status (active, being wound up, deregistered) is a fact from a register, set
    by staff of the organisation's municipality, never by the organisation itself."""
    return acts_for_municipality(user, organisation.municipality_id)


def can_delete_organisation(user, organisation: Organisation) -> bool:
    return acts_for_region(user)


def can_change_contact(user, contact: ContactPerson) -> bool:
    return acts_for_organisation(user, contact.organisation)


def can_view_contacts(user, organisation: Organisation) -> bool:
    """Contact persons are personal data: only for those who act for the organisation."""
    return acts_for_organisation(user, organisation)


def can_view_organisation_history(user, organisation: Organisation) -> bool:
    return acts_for_organisation(user, organisation)


# Import ---------------------------------------------------------------------------------------


def can_import_organisations(user) -> bool:
    return is_staff(user)


def can_import_official_register(user) -> bool:
    """The official bulk files (Statistics Sweden, Bolagsverket) cover the whole county: the Region's
    staff import them (ADR 0111)."""
    return acts_for_region(user)


def import_municipality_ids(user) -> frozenset[int] | None:
    """The municipalities whose organisations an import by the user may create, change or move
    organisations into, before and after; None means every municipality."""
    return municipality_ids_actable_by(user)


# Duplicates -----------------------------------------------------------------------------------


def can_review_duplicates(user) -> bool:
    """Open the queue of possible duplicates (it lists only the pairs the user may decide)."""
    return is_staff(user)


def can_resolve_duplicate(user, candidate: DuplicateCandidate) -> bool:
    """Officers decide on pairs in their own municipalities only; region administrators on all.

    Reviewers and representatives act for no municipality, so they decide on none."""
    return acts_for_municipality(user, candidate.first.municipality_id) and acts_for_municipality(
        user, candidate.second.municipality_id
    )


def can_merge_organisations(user, keep: Organisation, remove: Organisation) -> bool:
    """Merge one organisation into another (ADR 0106): those who act for both home municipalities
    (officers of that municipality, region administrators). Representatives do not: a merge moves
    other people's records."""
    return acts_for_municipality(user, keep.municipality_id) and acts_for_municipality(user, remove.municipality_id)


def duplicates_visible_to(user) -> QuerySet[DuplicateCandidate]:
    qs = DuplicateCandidate.objects.all()
    first = municipalities_actable_q(user, via="first__municipality")
    second = municipalities_actable_q(user, via="second__municipality")
    return qs if first is None or second is None else qs.filter(first & second)


# Representation requests (ADR 0090) -----------------------------------------------------------


def can_request_representation(user, organisation: Organisation) -> bool:
    """Ask to represent an organisation: any signed-in person who does not act for it already.
    (One open request per person and organisation: the service and a constraint hold that.)"""
    return is_authenticated(user) and not acts_for_organisation(user, organisation)


def can_decide_representation_request(user, request: RepresentationRequest) -> bool:
    """Approve or reject: those who act for the organisation (its representatives, the officers of
    its home municipality, region administrators), never the requester."""
    return (
        is_authenticated(user)
        and getattr(user, "pk", None) != request.user_id
        and acts_for_organisation(user, request.organisation)
    )


def can_withdraw_representation_request(user, request: RepresentationRequest) -> bool:
    return is_authenticated(user) and getattr(user, "pk", None) == request.user_id


def can_view_representation_request(user, request: RepresentationRequest) -> bool:
    return can_withdraw_representation_request(user, request) or can_decide_representation_request(user, request)


def can_review_representation_requests(user) -> bool:
    """Open the queue of requests (it lists only the requests the user may decide): staff, and
    representatives, who decide on requests for their own organisations."""
    return is_staff(user) or bool(represented_organisation_ids(user))


def representation_requests_decidable_by(user) -> QuerySet[RepresentationRequest]:
    """The requests the user may decide, in one query (the requester's own excluded)."""
    if not is_authenticated(user):
        return RepresentationRequest.objects.none()
    qs = narrow(RepresentationRequest.objects.all(), organisations_actable_q(user, via="organisation"))
    return qs.exclude(user_id=user.pk)


def representation_queue_municipalities(user) -> QuerySet[Municipality]:
    """The municipalities the staff queue can be narrowed to."""
    return municipalities_actable_by(user)


# Every kind of actor (ADR 0096–0098) ------------------------------------------------------------


def can_register_organisation(user) -> bool:
    """Register a new organisation from the claim flow: any signed-in person. It waits, hidden,
    for the officers of its municipality or the Region; until then the person acts for nothing."""
    return is_authenticated(user)


def can_merge_actor(user, source: Organisation, target: Organisation | None = None) -> bool:
    """Merge an actor without an orgnr into one with an orgnr: staff who act for both (the merge
    binds everything of the one to the other). Without a target: may the user start a merge."""
    if not is_staff(user) or source.orgnr:
        return False
    if not acts_for_organisation(user, source):
        return False
    return target is None or (target.pk != source.pk and bool(target.orgnr) and acts_for_organisation(user, target))


# Co-representatives, removal and hand-over (ADR 0099) ------------------------------------------


def can_manage_representatives(user, organisation: Organisation) -> bool:
    """See who represents the organisation, invite co-representatives, remove representatives and
    revoke invitations: those who act for it (its representatives, the officers of its home
    municipality, region administrators). A pending or removed person has no role, so no right."""
    return acts_for_organisation(user, organisation)


def can_hand_over(user, organisation: Organisation) -> bool:
    """Hand the organisation over to another person: one of its own representatives, who then leaves."""
    return represents_organisation(user, organisation)


def can_remove_last_representative(user, organisation: Organisation) -> bool:
    """Leave the organisation without representatives: only staff who keep its municipality's part
    of the register; a representative hands over instead, so it is never left by accident."""
    return acts_for_municipality(user, organisation.municipality_id)


def can_view_invitation(user, invitation: RepresentationInvitation) -> bool:
    return can_manage_representatives(user, invitation.organisation) or can_answer_invitation(user, invitation)


def can_answer_invitation(user, invitation: RepresentationInvitation) -> bool:
    """Accept or decline: the person signed in with the invited address verified, not the inviter."""
    return (
        is_authenticated(user)
        and getattr(user, "pk", None) != invitation.invited_by_id
        and invitation.email.lower() in verified_emails_of(user)
    )


def can_revoke_invitation(user, invitation: RepresentationInvitation) -> bool:
    return can_manage_representatives(user, invitation.organisation)


def invitations_visible_to(user) -> QuerySet[RepresentationInvitation]:
    """Invitations to the user's verified addresses, and those of the organisations the user acts for."""
    if not is_authenticated(user):
        return RepresentationInvitation.objects.none()
    actable = organisations_actable_q(user, via="organisation")
    if actable is None:
        return RepresentationInvitation.objects.all()
    return RepresentationInvitation.objects.filter(Q(email__in=verified_emails_of(user)) | actable)
