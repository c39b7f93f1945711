"""What the market's API modules share: the buyer and choice parameters, CPV codes, the rights
text for buyers' writes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civsam.core.apitools import (
    InvalidParameter,
    invalid_parameters_problem,
    request_body_problem,
)
from civsam.registry import orgnr as orgnr_rules

from .. import selectors
from ..models import Buyer, CpvCode

BUYER_RIGHTS = (
    "Kräver inloggning (sessionscookie; skrivningar med CSRF-token i huvudet X-CSRFToken). Bara den som får agera "
    "för köparen (kommunens handläggare; för Regionen eller ett kommunalt bolag den som företräder det) får skriva."
)


def _choice(name: str, value: str | None, allowed: list[str]) -> str:
    if value and value not in allowed:
        raise invalid_parameters_problem(
            [InvalidParameter(name, _("måste vara ett av: %(values)s") % {"values": ", ".join(allowed)}, value)]
        )
    return value or ""


def _cpv(values: list[str], name: str = "cpvCodes") -> list[CpvCode]:
    codes = [value.strip().split("-")[0] for value in values]
    found = {c.code: c for c in CpvCode.objects.filter(code__in=codes)}
    missing = [value for value, code in zip(values, codes, strict=True) if code not in found]
    if missing:
        raise request_body_problem(
            [InvalidParameter(name, _("okända CPV-koder: %(codes)s") % {"codes": ", ".join(missing)})]
        )
    return [found[code] for code in codes]


def _buyer_param(value: str) -> Buyer | None:
    """A buyer named by kommunkod (4 digits) or organisationsnummer; None if it has no records."""
    value = value.strip()
    if len(value) == 4 and value.isdigit():
        return selectors.buyer_list().filter(municipality__code=value).first()
    try:
        number = orgnr_rules.normalise(value)
    except orgnr_rules.OrgnrError as exc:
        raise invalid_parameters_problem([InvalidParameter("buyer", str(exc).rstrip("."), value)]) from exc
    return selectors.buyer_list().filter(organisation__orgnr=number).first()
