"""Representation requests (ADR 0090): a person asks to represent an organisation, those who act
for it decide, and approval gives the representative role. Every step is in the audit log and the
requester is told by e-mail once the decision is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civsam.accounts.models import Role
from civsam.accounts.services import role_assign
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import notifications, permissions
from ..models import Organisation, RepresentationRequest

Status = RepresentationRequest.Status


@transaction.atomic
def representation_request_create(
    *, actor, organisation: Organisation, mandate: str, message: str = ""
) -> RepresentationRequest:
    if not permissions.can_request_representation(actor, organisation):
        raise PermissionDenied(_("Du kan inte be om att företräda den här organisationen."))
    if mandate not in RepresentationRequest.Mandate.values:
        raise ValidationError({"mandate": _("Välj ett uppdrag.")}, code="invalid")
    open_request = RepresentationRequest.objects.filter(user=actor, organisation=organisation, status=Status.PENDING)
    if open_request.exists():
        raise ValidationError(
            _("Du har redan en begäran om att företräda organisationen som väntar på beslut."), code="duplicate"
        )
    try:
        with transaction.atomic():
            request = RepresentationRequest.objects.create(
                user=actor,
                organisation=organisation,
                mandate=mandate,
                message=message.strip(),
                language=_language(),
            )
    except IntegrityError as exc:  # a second form sent at the same moment
        raise ValidationError(
            _("Du har redan en begäran om att företräda organisationen som väntar på beslut."), code="duplicate"
        ) from exc
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=request,
        changes={"mandate": [None, mandate], "status": [None, Status.PENDING]},
        note=f"organisation {organisation.pk}",
    )
    notifications.tell_deciders(request)
    return request


def _language() -> str:
    """The language of the page the person asked from, if Civsam speaks it."""
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@transaction.atomic
def representation_request_decide(
    *, actor, request: RepresentationRequest, status: str, reason: str = ""
) -> RepresentationRequest:
    """The one service that changes a request's status: approve, reject (with a reason) or withdraw."""
    request = (
        RepresentationRequest.objects.select_for_update().select_related("organisation", "user").get(pk=request.pk)
    )
    before = request.status
    action = RepresentationRequest.WORKFLOW.action(before, status)
    allowed = (
        permissions.can_withdraw_representation_request(actor, request)
        if action == "withdraw"
        else permissions.can_decide_representation_request(actor, request)
    )
    if not allowed:
        raise PermissionDenied(_("Du får inte ta det här steget för begäran."))
    reason = reason.strip()
    if action == "reject" and not reason:
        raise ValidationError({"reason": _("Skriv varför begäran avslås.")}, code="required")
    request.status = status
    request.reason = reason if action == "reject" else ""
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=request,
        changes={"status": [before, status]},
        note=action,
    )
    if action == "approve":
        role_assign(
            actor=actor,
            user=request.user,
            role=Role.ORGANISATION_REP,
            organisation=request.organisation,
            mandate=request.mandate,
        )
    # A new organisation registered by its own people is listed or left out with the decision (ADR 0098).
    from .registration import registration_settle

    registration_settle(actor=actor, request=request)
    if action in ("approve", "reject"):
        notifications.tell_requester(request)
    return request
