"""Who represents an organisation, after the first (ADR 0099): representatives invite
co-representatives by e-mail, remove representatives and hand the organisation over.

Two rules hold throughout:
- nobody represents an organisation without the approval of someone who acts for it: an invitee
  gets the role only by accepting, signed in with the invited address verified, while the inviter
  still acts for the organisation;
- an organisation is never left without a representative by accident: removing the last one is
  refused unless staff do it; a representative who wants to leave hands over instead.
Every step is in the audit log; `representation_invitation_answer` is the one function that sets
an invitation's status."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts.models import Mandate, Role, RoleAssignment
from civsam.accounts.selectors import representatives_of, verified_emails_of
from civsam.accounts.services import role_assign, role_remove
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import notifications, permissions
from ..models import Organisation, RepresentationInvitation

Invitation = RepresentationInvitation
INVITATION_DAYS = 14


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> RepresentationInvitation | None:
    return Invitation.objects.select_related("organisation", "invited_by").filter(token_hash=token_hash(token)).first()


@transaction.atomic
def representative_invite(
    *, actor, organisation: Organisation, email: str, mandate: str, handover: bool = False
) -> RepresentationInvitation:
    """Invite a co-representative, or (handover=True) the person who takes over from the actor.
    The returned invitation carries the link's secret as `.token` (stored only as a hash)."""
    allowed = (
        permissions.can_hand_over(actor, organisation)
        if handover
        else permissions.can_manage_representatives(actor, organisation)
    )
    if not allowed:
        raise PermissionDenied(_("Du får inte bjuda in företrädare för den här organisationen."))
    email = (email or "").strip().lower()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Skriv en giltig e-postadress, till exempel namn@example.se.")
    if mandate not in Mandate.values:
        errors["mandate"] = _("Välj ett uppdrag.")
    if errors:
        raise ValidationError(errors, code="invalid")
    if email in verified_emails_of(actor):
        raise ValidationError({"email": _("Du kan inte bjuda in dig själv.")}, code="self")
    if any(email == (a.user.email or "").lower() for a in representatives_of(organisation.pk)):
        raise ValidationError({"email": _("Personen med den adressen företräder redan organisationen.")}, code="exists")
    for stale in Invitation.objects.select_for_update().filter(
        organisation=organisation, email=email, status=Invitation.Status.PENDING
    ):
        if stale.is_expired:  # an expired invitation gives way to a new one
            representation_invitation_answer(
                actor=actor, invitation=stale, status=Invitation.Status.REVOKED, by_system=True
            )
        else:
            raise ValidationError(
                {"email": _("Den adressen har redan en inbjudan som väntar på svar.")}, code="duplicate"
            )
    token = secrets.token_urlsafe(32)
    kind = Invitation.Kind.HANDOVER if handover else Invitation.Kind.CO_REPRESENTATIVE
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation,
                email=email,
                mandate=mandate,
                kind=kind,
                invited_by=actor,
                token_hash=token_hash(token),
                expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
            )
    except IntegrityError as exc:  # the same invitation sent twice at the same moment
        raise ValidationError(
            {"email": _("Den adressen har redan en inbjudan som väntar på svar.")}, code="duplicate"
        ) from exc
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=invitation,
        changes={"kind": [None, kind], "mandate": [None, mandate], "status": [None, Invitation.Status.PENDING]},
        note=f"organisation {organisation.pk}",
    )
    invitation.token = token  # type: ignore[attr-defined]
    notifications.send_invitation(invitation, token)
    return invitation


@transaction.atomic
def representation_invitation_answer(
    *, actor, invitation: RepresentationInvitation, status: str, by_system: bool = False
) -> RepresentationInvitation:
    """The one service that changes an invitation's status: accept or decline (the invitee),
    revoke (those who act for the organisation; `by_system` when Civsam revokes one itself: an
    expired one replaced, or one whose inviter lost the role)."""
    # Locked alone: PostgreSQL cannot lock the nullable side of the join to the inviter.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)

    before = invitation.status
    action = Invitation.WORKFLOW.action(before, status)
    if action == "revoke":
        allowed = by_system or permissions.can_revoke_invitation(actor, invitation)
    else:
        allowed = permissions.can_answer_invitation(actor, invitation)
    if not allowed:
        raise PermissionDenied(_("Du får inte ta det här steget för inbjudan."))
    organisation = invitation.organisation
    if action == "accept":
        if invitation.is_expired:
            raise ValidationError(_("Inbjudan har gått ut. Be den som bjöd in dig att skicka en ny."), code="expired")
        if permissions.represents_organisation(actor, organisation):
            raise ValidationError(_("Du företräder redan organisationen."), code="exists")
        # The inviter's approval counts only while they still act for the organisation (and, for a
        # hand-over, still represent it: they leave as the new representative arrives).
        inviter = invitation.invited_by
        still = inviter is not None and (
            permissions.can_hand_over(inviter, organisation)
            if invitation.kind == Invitation.Kind.HANDOVER
            else permissions.can_manage_representatives(inviter, organisation)
        )
        if not still:
            raise ValidationError(
                _("Den som bjöd in dig kan inte längre företräda organisationen, så inbjudan gäller inte."),
                code="stale",
            )
    invitation.status = status
    invitation.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_by", "answered_at"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=invitation, changes={"status": [before, status]}, note=action
    )
    if action == "accept":
        role_assign(
            actor=actor, user=actor, role=Role.ORGANISATION_REP, organisation=organisation, mandate=invitation.mandate
        )
        if invitation.kind == Invitation.Kind.HANDOVER and invitation.invited_by is not None:
            assignment = RoleAssignment.objects.get(
                user=invitation.invited_by, role=Role.ORGANISATION_REP, organisation=organisation
            )
            _remove(actor=actor, assignment=assignment, note=f"handed over to user {actor.username}")
    if action in ("accept", "decline"):
        notifications.tell_inviter(invitation)
    return invitation


@transaction.atomic
def representative_remove(*, actor, assignment: RoleAssignment) -> None:
    """End a representative's role (one's own included). The last representative goes only by staff."""
    if assignment.role != Role.ORGANISATION_REP or assignment.organisation_id is None:
        raise ValidationError(_("Det är inte en företrädarroll."), code="invalid")
    organisation = Organisation.objects.get(pk=assignment.organisation_id)
    if not permissions.can_manage_representatives(actor, organisation):
        raise PermissionDenied(_("Du får inte ta bort företrädare för den här organisationen."))
    # Lock the organisation's roles so that two removals at once cannot both pass the check below.
    held = list(
        RoleAssignment.objects.select_for_update().filter(role=Role.ORGANISATION_REP, organisation=organisation)
    )
    if assignment.pk not in {a.pk for a in held}:
        raise ValidationError(_("Personen företräder inte längre organisationen."), code="gone")
    if len(held) == 1 and not permissions.can_remove_last_representative(actor, organisation):
        raise ValidationError(
            _(
                "Organisationen har ingen annan företrädare. Lämna över den till någon annan i stället, "
                "eller be kommunens handläggare om hjälp."
            ),
            code="last",
        )
    _remove(actor=actor, assignment=RoleAssignment.objects.select_related("user").get(pk=assignment.pk), note="removed")


def _remove(*, actor, assignment: RoleAssignment, note: str) -> None:
    """End the role and revoke the invitations the person sent for the organisation: without the
    role their approval no longer counts."""
    role_remove(actor=actor, assignment=assignment, note=note)
    for invitation in Invitation.objects.filter(
        organisation_id=assignment.organisation_id, invited_by_id=assignment.user_id, status=Invitation.Status.PENDING
    ):
        representation_invitation_answer(
            actor=actor, invitation=invitation, status=Invitation.Status.REVOKED, by_system=True
        )
