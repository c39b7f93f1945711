"""Writes for the proxy library: proxies created and changed, and the shipped starter set loaded."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from .. import permissions
from ..models import FinancialProxy
from .common import UNCHANGED, _given

PROXY_FIELDS = (
    "name",
    "description",
    "category",
    "unit",
    "value",
    "currency",
    "price_year",
    "source",
    "source_url",
    "is_illustrative",
    "derivation",
    "evidence_grade",
)


# --- Financial proxies ---------------------------------------------------------------------------


@transaction.atomic
def proxy_create(
    *,
    actor=None,
    name: str,
    unit: str,
    value: Decimal,
    price_year: int,
    source: str,
    description: str = "",
    category: str = FinancialProxy.Category.GENERAL,
    currency: str = "SEK",
    source_url: str = "",
    is_illustrative: bool = False,
    derivation: str = "",
    evidence_grade: str = "",
) -> FinancialProxy:
    if actor is not None and not permissions.can_create_proxy(actor):
        raise PermissionDenied(_("Du får inte lägga till finansiella proxyer."))
    proxy = FinancialProxy(
        name=name,
        description=description,
        category=category,
        unit=unit,
        value=value,
        currency=currency,
        price_year=price_year,
        source=source,
        source_url=source_url,
        is_illustrative=is_illustrative,
        derivation=derivation,
        evidence_grade=evidence_grade,
    )
    proxy.full_clean()
    proxy.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=proxy)
    return proxy


@transaction.atomic
def proxy_update(
    *,
    actor=None,
    proxy: FinancialProxy,
    name: str = UNCHANGED,
    description: str = UNCHANGED,
    category: str = UNCHANGED,
    unit: str = UNCHANGED,
    value: Decimal = UNCHANGED,
    currency: str = UNCHANGED,
    price_year: int = UNCHANGED,
    source: str = UNCHANGED,
    source_url: str = UNCHANGED,
    is_illustrative: bool = UNCHANGED,
    derivation: str = UNCHANGED,
    evidence_grade: str = UNCHANGED,
) -> FinancialProxy:
    """Change the given fields of a proxy; those left out keep their values."""
    if actor is not None and not permissions.can_change_proxy(actor, proxy):
        raise PermissionDenied(_("Du får inte ändra den finansiella proxyn."))
    changes = _given(
        name=name,
        description=description,
        category=category,
        unit=unit,
        value=value,
        currency=currency,
        price_year=price_year,
        source=source,
        source_url=source_url,
        is_illustrative=is_illustrative,
        derivation=derivation,
        evidence_grade=evidence_grade,
    )
    proxy = FinancialProxy.objects.select_for_update().get(pk=proxy.pk)
    before = model_to_dict(proxy, fields=PROXY_FIELDS)
    for field, new in changes.items():
        setattr(proxy, field, new)
    proxy.full_clean()
    proxy.save()
    diff = model_diff(before, model_to_dict(proxy, fields=PROXY_FIELDS))
    if diff:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=proxy, changes=diff)
    return proxy


STARTER_PROXIES = Path(__file__).parent.parent / "data" / "financial_proxies.json"


@transaction.atomic
def proxies_load_starter_set(*, path: Path = STARTER_PROXIES) -> tuple[int, int]:
    """Add the shipped starter proxies that are not in the library yet (by name, unit and price year).

    Returns (created, already there). Entries someone has edited since are left as they are.
    """
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    created = 0
    for item in items:
        fields = {**item, "value": Decimal(item["value"])}
        exists = FinancialProxy.objects.filter(
            name=fields["name"], unit=fields["unit"], price_year=fields["price_year"]
        ).exists()
        if not exists:
            proxy_create(actor=None, **fields)
            created += 1
    return created, len(items) - created
