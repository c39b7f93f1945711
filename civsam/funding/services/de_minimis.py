"""A grant decision's de minimis aid, in the registry's shared ledger (ADR 0132): recorded by those
who may edit the decision, refused over the ceiling (2023/2831 art. 3(2); 2023/2832 art. 3(2))."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.registry.services import de_minimis_aid_record, de_minimis_aid_remove

from .. import permissions
from ..models import GrantDecision


def grant_ledger_source(decision: GrantDecision) -> str:
    return f"grant-decision:{decision.pk}"


@transaction.atomic
def grant_decision_de_minimis_set(
    *,
    actor,
    decision: GrantDecision,
    amount_sek: Decimal | None,
    sek_per_eur: Decimal | None = None,
    rate_source: str = "",
    regime: str = "general",
):
    """Say that (part of) the grant is de minimis aid to its recipient, or (amount None) that it is not."""
    if actor is not None and not permissions.can_edit_grant_decision(actor, decision):
        raise PermissionDenied(_("Du får inte ändra beslutet."))
    source = grant_ledger_source(decision)
    if amount_sek is None:
        de_minimis_aid_remove(actor=actor, source=source)
        return None
    return de_minimis_aid_record(
        actor=actor,
        organisation=decision.recipient,
        source=source,
        granted_on=decision.decision_date,
        amount_sek=amount_sek,
        sek_per_eur=sek_per_eur if sek_per_eur is not None else Decimal(0),
        rate_source=rate_source,
        grantor=str(decision.funder),
        regime=regime,
        case_number=decision.case_number,
        description=(decision.purpose or decision.programme)[:300],
    )
