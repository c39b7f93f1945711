"""Writes to the de minimis ledger (ADR 0132). The app that grants the aid decides who may record it
(funding for grant decisions, agreements for IOPs) and calls this with its actor; the ledger itself
refuses aid over the ceiling, so that no path records it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ..deminimis_selectors import de_minimis_verdict
from ..models import DeMinimisAid, Organisation


def _number(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


@transaction.atomic
def de_minimis_aid_record(
    *,
    actor,
    organisation: Organisation,
    source: str,
    granted_on: datetime.date,
    amount_sek: Decimal,
    sek_per_eur: Decimal,
    rate_source: str,
    grantor: str,
    regime: str = DeMinimisAid.Regime.GENERAL,
    case_number: str = "",
    description: str = "",
) -> DeMinimisAid:
    """Record (or replace) the de minimis aid that `source` gives `organisation`. Refused with a
    Swedish message when the organisation's rolling three-year total would pass the ceiling."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one writer per ledger
    if Decimal(sek_per_eur) <= 0:
        raise ValidationError({"sek_per_eur": _("Ange en växelkurs större än noll.")})
    if Decimal(amount_sek) < 0:
        raise ValidationError({"amount_sek": _("Beloppet kan inte vara negativt.")})
    verdict = de_minimis_verdict(
        organisation,
        granted_on=granted_on,
        amount_sek=amount_sek,
        sek_per_eur=sek_per_eur,
        regime=regime,
        exclude_source=source,
    )
    if not verdict.within:
        raise ValidationError(
            _(
                "%(org)s skulle få %(after)s euro i stöd av mindre betydelse under tre år, över taket på "
                "%(ceiling)s euro. Utrymme kvar: %(headroom)s euro."
            )
            % {
                "org": organisation.name,
                "after": _number(verdict.after_eur),
                "ceiling": _number(verdict.ceiling_eur),
                "headroom": _number(verdict.headroom_eur),
            },
            code="de_minimis_ceiling",
        )
    entry, created = DeMinimisAid.objects.update_or_create(
        source=source,
        organisation=organisation,
        defaults={
            "regime": regime,
            "granted_on": granted_on,
            "amount_sek": amount_sek,
            "sek_per_eur": sek_per_eur,
            "rate_source": rate_source,
            "grantor": grantor,
            "case_number": case_number,
            "description": description,
            "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    entry.full_clean()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=entry,
        changes={
            "amount_sek": [None, str(amount_sek)],
            "sek_per_eur": [None, str(sek_per_eur)],
            "regime": [None, regime],
            "source": [None, source],
        },
    )
    return entry


@transaction.atomic
def de_minimis_aid_remove(*, actor, source: str) -> int:
    """Take a source's entries out of the ledger (its grant or agreement did not go ahead)."""
    removed = 0
    for entry in DeMinimisAid.objects.filter(source=source):
        audit_log(actor=actor, action=AuditEntry.Action.DELETE, obj=entry, changes={"source": [source, None]})
        entry.delete()
        removed += 1
    return removed
