"""A signed-in person registers an organisation that is not in the register (ADR 0098).

The organisation is created hidden and pending, with a representation request (ADR 0090) that
the officers of its home municipality or the Region decide. Approval lists it in the directory
and gives the person the representative role (representation.representation_request_decide);
rejection leaves it hidden and unlisted, and a later registration of the same number reuses it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, LegalForm, Municipality
from civsam.core.services import audit_log, model_diff

from .. import permissions
from ..models import Organisation, RepresentationRequest
from ..orgnr import OrgnrError
from ..orgnr import normalise as normalise_orgnr
from .organisations import organisation_create, organisation_snapshot
from .representation import representation_request_create

Listing = Organisation.Listing


class AlreadyListed(ValidationError):
    """The orgnr belongs to an organisation in the register: ask to represent it instead."""

    def __init__(self, organisation: Organisation):
        super().__init__(
            _("%(name)s finns redan i registret. Be om att få företräda organisationen i stället.")
            % {"name": organisation.name},
            code="listed",
        )
        self.organisation = organisation


@transaction.atomic
def organisation_register(
    *,
    actor,
    name: str,
    kind: str,
    municipality: Municipality,
    mandate: str,
    orgnr: str | None = None,
    legal_form: LegalForm | None = None,
    country: str = "SE",
    foreign_registration_number: str = "",
    description: str = "",
    website: str = "",
    email: str = "",
    message: str = "",
) -> RepresentationRequest:
    """Register a new organisation and ask to represent it; returns the request."""
    if not permissions.can_register_organisation(actor):
        raise PermissionDenied(_("Logga in för att anmäla en organisation."))
    number = None
    if orgnr:
        try:
            number = normalise_orgnr(orgnr)
        except OrgnrError as exc:
            raise ValidationError({"orgnr": str(exc)}) from exc
    existing = Organisation.objects.select_for_update().filter(orgnr=number).first() if number is not None else None
    if existing is not None and existing.listing == Listing.LISTED:
        raise AlreadyListed(existing)
    if existing is not None and existing.listing == Listing.PENDING:
        raise ValidationError(
            {"orgnr": _("Organisationen är redan anmäld och väntar på beslut från kommunen eller regionen.")},
            code="pending",
        )
    details = {
        "name": name,
        "kind": kind,
        "legal_form": legal_form,
        "municipality": municipality,
        "country": country,
        "foreign_registration_number": foreign_registration_number,
        "description": description,
        "website": website,
        "email": email,
    }
    if existing is None:
        organisation = organisation_create(
            actor=None, registered_by=actor, orgnr=number, is_public=False, listing=Listing.PENDING, **details
        )
    else:
        # Registered before and rejected: the same row, with the new details, waits again.
        organisation = _register_again(actor=actor, organisation=existing, details=details)
    return representation_request_create(actor=actor, organisation=organisation, mandate=mandate, message=message)


def _register_again(*, actor, organisation: Organisation, details: dict) -> Organisation:
    from .organisations import _apply, _save_validated

    before = organisation_snapshot(organisation)
    if details["legal_form"] is None:
        details = {**details, "legal_form": organisation.legal_form}
    _apply(organisation, dict(details))
    organisation.listing = Listing.PENDING
    organisation.is_public = False
    _save_validated(organisation)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=organisation,
        changes={**model_diff(before, organisation_snapshot(organisation)), "listing": ["rejected", "pending"]},
        note="anmäld på nytt",
    )
    return organisation


def registration_settle(*, actor, request: RepresentationRequest) -> None:
    """After a decision on a request: a pending organisation is listed when the request is approved,
    and left hidden and unlisted when its last open request is rejected or withdrawn."""
    organisation = Organisation.objects.select_for_update().get(pk=request.organisation_id)
    if organisation.listing != Listing.PENDING:
        return
    Status = RepresentationRequest.Status
    if request.status == Status.APPROVED:
        organisation.listing = Listing.LISTED
        organisation.is_public = True
        change = {"listing": ["pending", "listed"], "is_public": [False, True]}
    elif not organisation.representation_requests.filter(status=Status.PENDING).exists():
        organisation.listing = Listing.REJECTED
        change = {"listing": ["pending", "rejected"]}
    else:
        return
    organisation.save(update_fields=["listing", "is_public", "updated_at"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=organisation, changes=change, note=request.status)
