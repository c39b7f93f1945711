"""Parties: naming a party binds the agreement to it. One who acts for the party names it as a
party at once; anyone else who runs the agreement invites it, and it counts once someone who acts
for it accepts (ADR 0131)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.registry.models import Organisation

from .. import permissions
from ..models import Agreement, Party
from .common import check, editable, locked


@transaction.atomic
def party_add(*, actor, agreement: Agreement, organisation: Organisation, role: str, responsibility: str = "") -> Party:
    agreement = locked(agreement)
    if actor is not None:
        check(permissions.can_manage_agreement(actor, agreement))
    editable(agreement)
    if agreement.parties.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("%(org)s är redan part.") % {"org": organisation.name}})
    joins = actor is None or permissions.party_joins_at_once(actor, organisation)
    party = Party(
        agreement=agreement,
        organisation=organisation,
        role=role,
        responsibility=responsibility.strip(),
        status=Party.Status.ACCEPTED if joins else Party.Status.INVITED,
        answered_on=timezone.localdate() if joins else None,
    )
    party.full_clean()
    party.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=party,
        changes={"organisation": [None, organisation.name], "role": [None, role], "status": [None, party.status]},
        note=f"agreement {agreement.pk}",
    )
    return party


@transaction.atomic
def party_answer(*, actor, party: Party, accept: bool) -> Party:
    """The invited party's answer, by someone who acts for it."""
    party = Party.objects.select_for_update().select_related("agreement", "organisation").get(pk=party.pk)
    if actor is not None:
        check(
            permissions.can_answer_party_invitation(actor, party),
            _("Bara den som företräder %(org)s kan svara på inbjudan.") % {"org": party.organisation.name},
        )
    if party.status != Party.Status.INVITED:
        raise ValidationError(_("Inbjudan är redan besvarad."))
    editable(party.agreement)
    before = party.status
    party.status = Party.Status.ACCEPTED if accept else Party.Status.DECLINED
    party.answered_on = timezone.localdate()
    party.save(update_fields=["status", "answered_on"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=party, changes={"status": [before, party.status]})
    return party


@transaction.atomic
def party_remove(*, actor, party: Party) -> None:
    """Take a party off a draft: act for the party, or run the agreement as its owner. The owner stays."""
    party = Party.objects.select_for_update().select_related("agreement__owner", "organisation").get(pk=party.pk)
    agreement = party.agreement
    if actor is not None:
        check(permissions.can_manage_agreement(actor, agreement) and permissions.can_record_for_party(actor, party))
    editable(agreement)
    if party.organisation_id == agreement.owner_id:
        raise ValidationError(_("Den ansvariga parten kan inte tas bort; byt ansvarig part först."))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=party,
        changes={"organisation": [party.organisation.name, None]},
    )
    party.delete()
