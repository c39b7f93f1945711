"""The registry's part of a person's data export (accounts.personal_data, ADR 0080): the duplicate
pairs they decided, the files they imported and their requests to represent an organisation. The
first two stay when the account is deleted: they are the register's record, and the account is
shown as "borttagen användare". Of the requests, the decided ones stay without their message (a
decision is part of the record, ADR 0090); open and withdrawn ones go. Invitations to represent
an organisation (ADR 0099) hold the invited address: those to the person's addresses are in the
export; when the account goes, the open ones go and the answered ones keep no address.

Contact persons have no account: the staff tool finds them by e-mail address (core.privacy's
e-mail sources), and their retention is the registry's part of the retention job (ADR 0085)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from civsam.accounts.personal_data import register
from civsam.accounts.selectors import verified_emails_of
from civsam.core.privacy import register_email_source, register_personal_model, register_retention

from .models import ContactPerson, DuplicateCandidate, ImportRun, RepresentationInvitation, RepresentationRequest
from .services import contacts_retention_apply


def export(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "duplicateReviews": [
            {
                "organisations": [d.first_id, d.second_id],
                "status": d.status,
                "reviewedAt": d.reviewed_at.isoformat() if d.reviewed_at else None,
            }
            for d in DuplicateCandidate.objects.filter(reviewed_by_id=user.pk).order_by("reviewed_at", "id")
        ],
        "imports": [
            {
                "at": run.at.isoformat(),
                "filename": run.filename,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
            }
            for run in ImportRun.objects.filter(actor_id=user.pk).order_by("at", "id")
        ],
        "representationRequests": [
            {
                "organisation": {"orgnr": r.organisation.orgnr, "name": r.organisation.name},
                "mandate": r.mandate,
                "message": r.message,
                "status": r.status,
                "createdAt": r.created_at.isoformat(),
                "decidedAt": r.decided_at.isoformat() if r.decided_at else None,
                "reason": r.reason,
            }
            for r in RepresentationRequest.objects.filter(user_id=user.pk)
            .select_related("organisation")
            .order_by("created_at", "id")
        ],
        "representationInvitations": [
            _invitation(i) for i in _invitations_to(verified_emails_of(user) | {(user.email or "").lower()})
        ],
        "representationInvitationsSent": [
            _invitation(i) for i in RepresentationInvitation.objects.filter(invited_by_id=user.pk).order_by("pk")
        ],
    }


def _invitations_to(emails: set[str]):
    emails = {e for e in emails if e}
    return (
        RepresentationInvitation.objects.filter(email__in=emails).select_related("organisation").order_by("pk")
        if emails
        else RepresentationInvitation.objects.none()
    )


def _invitation(i: RepresentationInvitation) -> dict[str, Any]:
    return {
        "organisation": {"orgnr": i.organisation.orgnr, "name": i.organisation.name},
        "email": i.email,
        "kind": i.kind,
        "mandate": i.mandate,
        "status": i.status,
        "createdAt": i.created_at.isoformat(),
        "expiresAt": i.expires_at.isoformat(),
        "answeredAt": i.answered_at.isoformat() if i.answered_at else None,
    }


def erase(user: AbstractBaseUser) -> dict[str, int]:
    """Open and withdrawn requests go; decided ones stay for the record, without the message."""
    mine = RepresentationRequest.objects.filter(user_id=user.pk)
    Status = RepresentationRequest.Status
    removed = mine.filter(status__in=[Status.PENDING, Status.WITHDRAWN]).delete()[0]
    emptied = mine.exclude(message="").update(message="")
    invitations = _invitations_to(verified_emails_of(user) | {(user.email or "").lower()})
    open_removed = invitations.filter(status=RepresentationInvitation.Status.PENDING).delete()[0]
    addresses_emptied = invitations.update(email="")
    return {
        "representationRequestsRemoved": removed,
        "representationRequestMessagesEmptied": emptied,
        "representationInvitationsRemoved": open_removed,
        "representationInvitationAddressesEmptied": addresses_emptied,
    }


def export_by_email(email: str) -> dict[str, list[dict[str, Any]]]:
    """The contact persons registered with this address, with their organisation."""
    contacts = ContactPerson.objects.filter(email__iexact=email).select_related("organisation").order_by("pk")
    invitations = _invitations_to({email.strip().lower()})
    return {
        "representationInvitations": [_invitation(i) for i in invitations],
        "contactPersons": [
            {
                "organisation": {"orgnr": c.organisation.orgnr, "name": c.organisation.name},
                "name": c.name,
                "role": c.role,
                "email": c.email,
                "phone": c.phone,
                "createdAt": c.created_at.isoformat(),
                "updatedAt": c.updated_at.isoformat(),
            }
            for c in contacts
        ],
    }


def register_provider() -> None:
    register("registry", export=export, erase=erase)
    register_email_source("registry", export=export_by_email)
    register_personal_model(ContactPerson)
    register_retention("contact_persons", contacts_retention_apply)
