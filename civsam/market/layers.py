"""Which layers of the share of spend a supplier counts in, and the sums per year and layer.
Pure Python, no database (the facts about each supplier are read by the caller).

Each layer is reported on its own, never added to another (ADR 0136):
- nonprofit: the supplier's legal form is a non-profit one (SCB JURFORM 61 ideell förening,
  63 registrerat trossamfund, 72 övrig stiftelse och fond); for a supplier not in the register,
  an organisationsnummer whose first digit is 8 (the group number Skatteverket gives "ideella
  föreningar och stiftelser"; source: Skatteverket, "Organisationsnummer");
- cooperative: legal form 51 ekonomisk förening, never 53 bostadsrättsförening or
  54 kooperativ hyresrättsförening (housing forms excluded); the first digit 7 cannot tell the
  two apart, so a supplier outside the register is not counted here;
- ideburen: registered as an idéburen organisation, as Civsam's register records it (with its
  source and date);
- social_enterprise / work_integrating: the register's flag with a date it was verified;
- reserved: the supplier holds a contract of this buyer from a reserved procurement in that year;
- iop: the supplier is a party of an IOP agreement with this buyer in that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

NONPROFIT_CODES = frozenset({"61", "63", "72"})
COOPERATIVE_CODES = frozenset({"51"})
HOUSING_CODES = frozenset({"53", "54"})  # never counted: bostadsrätts- and kooperativa hyresrättsföreningar
NONPROFIT_GROUP_DIGIT = "8"

TOTAL = "total"
LAYERS = ("nonprofit", "cooperative", "ideburen", "social_enterprise", "work_integrating", "reserved", "iop")


@dataclass(frozen=True)
class SupplierFacts:
    """What the register says about a supplier."""

    legal_form: str = ""
    ideburen: bool = False
    social_enterprise: bool = False
    work_integrating: bool = False


def supplier_layers(
    orgnr: str, facts: SupplierFacts | None, *, reserved: bool = False, iop: bool = False
) -> tuple[str, ...]:
    """The layers (besides the total) a supplier's spend counts in."""
    layers: list[str] = []
    if facts is not None and facts.legal_form:
        if facts.legal_form in NONPROFIT_CODES:
            layers.append("nonprofit")
        elif facts.legal_form in COOPERATIVE_CODES:
            layers.append("cooperative")
    elif orgnr[:1] == NONPROFIT_GROUP_DIGIT:
        layers.append("nonprofit")
    if facts is not None:
        if facts.ideburen:
            layers.append("ideburen")
        if facts.social_enterprise:
            layers.append("social_enterprise")
        if facts.work_integrating:
            layers.append("work_integrating")
    if reserved:
        layers.append("reserved")
    if iop:
        layers.append("iop")
    return tuple(layers)


@dataclass(frozen=True)
class LayerSum:
    year: int
    layer: str
    ore: int
    suppliers: int
    invoices: int


def layer_sums(
    sums: Mapping[tuple[int, str], list[int]],
    facts: Mapping[str, SupplierFacts],
    *,
    reserved: Mapping[int, frozenset[str]] | None = None,
    iop: Mapping[int, frozenset[str]] | None = None,
) -> list[LayerSum]:
    """Per year: the total and every layer (zero when nothing counts in it), in LAYERS order."""
    reserved = reserved or {}
    iop = iop or {}
    totals: dict[tuple[int, str], list[int]] = {}
    years = sorted({year for year, _supplier in sums})
    for year in years:
        for layer in (TOTAL, *LAYERS):
            totals[(year, layer)] = [0, 0, 0]
    for (year, supplier), (ore, invoices) in sums.items():
        layers: tuple[str, ...] = (TOTAL,)
        if supplier:
            layers += supplier_layers(
                supplier,
                facts.get(supplier),
                reserved=supplier in reserved.get(year, frozenset()),
                iop=supplier in iop.get(year, frozenset()),
            )
        for layer in layers:
            entry = totals[(year, layer)]
            entry[0] += ore
            entry[1] += 1
            entry[2] += invoices
    return [LayerSum(year, layer, *totals[(year, layer)]) for year in years for layer in (TOTAL, *LAYERS)]


def share(part: int, total: int) -> float | None:
    """The part as a fraction of the total; None when the total is not positive."""
    return part / total if total > 0 else None
