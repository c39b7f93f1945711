"""Representation requests (ADR 0090): a person asks to represent an organisation, those who act
for it decide, and approval gives the representative role. Every step is in the audit log and the
requester is told by e-mail once the decision is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts.models import Role
from civsam.accounts.services import role_assign
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import permissions
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
                user=actor, organisation=organisation, mandate=mandate, message=message.strip()
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
    return request


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
        role_assign(actor=actor, user=request.user, role=Role.ORGANISATION_REP, organisation=request.organisation)
    # A new organisation registered by its own people is listed or left out with the decision (ADR 0098).
    from .registration import registration_settle

    registration_settle(actor=actor, request=request)
    if action in ("approve", "reject"):
        transaction.on_commit(lambda r=request: _tell_requester(r))
    return request


def _tell_requester(request: RepresentationRequest) -> None:
    if not request.user.email:
        return
    site = getattr(settings, "CIVSAM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    if request.status == Status.APPROVED:
        subject = _("Du företräder nu %(organisation)s") % {"organisation": request.organisation.name}
        body = _(
            "Din begäran om att företräda %(organisation)s är godkänd. Du kan nu arbeta för organisationen i Civsam."
        ) % {"organisation": request.organisation.name}
    else:
        subject = _("Din begäran om att företräda %(organisation)s är avslagen") % {
            "organisation": request.organisation.name
        }
        body = _("Din begäran om att företräda %(organisation)s är avslagen. Motivering: %(reason)s") % {
            "organisation": request.organisation.name,
            "reason": request.reason,
        }
    body += "\n\n" + _("Min sida: %(url)s") % {"url": site + reverse("site:dashboard")}
    EmailMessage(subject=subject, body=body, to=[request.user.email]).send()
