"""What a party's contribution to an agreement is worth in kronor. Pure Python.

Money and premises are stated in kronor (premises at the rent they would cost). Staff hours and
volunteer hours are stated in hours and valued at a stated rate per hour: for staff the party's
own hourly cost, for volunteers a rate whose source is named (the social-value proxy library has
one, "Timvärde för ideellt arbete"). A rate is required for hours and refused for kronor, so that a
sum never mixes hours with kronor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MONEY = "money"
PREMISES = "premises"
STAFF_HOURS = "staff_hours"
VOLUNTEER_HOURS = "volunteer_hours"
IN_KRONOR = frozenset({MONEY, PREMISES})
IN_HOURS = frozenset({STAFF_HOURS, VOLUNTEER_HOURS})
KINDS = IN_KRONOR | IN_HOURS
ORE = Decimal("0.01")


class ContributionError(ValueError):
    """The contribution cannot be valued; `field` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def value_sek(kind: str, quantity: Decimal, rate: Decimal | None) -> Decimal:
    """The contribution's value in kronor, rounded to whole öre."""
    if kind not in KINDS:
        raise ContributionError("kind", "unknown kind")
    if quantity < 0:
        raise ContributionError("quantity", "negative")
    if kind in IN_HOURS:
        if rate is None or rate <= 0:
            raise ContributionError("rate", "hours need a positive rate")
        return (Decimal(quantity) * Decimal(rate)).quantize(ORE, rounding=ROUND_HALF_UP)
    if rate is not None:
        raise ContributionError("rate", "kronor take no rate")
    return Decimal(quantity).quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    party: str
    year: int
    kind: str
    value_sek: Decimal
    hours: Decimal  # 0 for contributions in kronor


@dataclass
class Totals:
    value_sek: Decimal = Decimal(0)
    money_sek: Decimal = Decimal(0)
    in_kind_sek: Decimal = Decimal(0)  # premises, staff and volunteer hours
    hours: Decimal = Decimal(0)


def totals_by_party_and_year(lines: Iterable[Line]) -> dict[tuple[str, int], Totals]:
    """Sum each party's contributions per year, money and in kind apart."""
    result: dict[tuple[str, int], Totals] = defaultdict(Totals)
    for line in lines:
        t = result[(line.party, line.year)]
        t.value_sek += line.value_sek
        t.hours += line.hours
        if line.kind == MONEY:
            t.money_sek += line.value_sek
        else:
            t.in_kind_sek += line.value_sek
    return dict(result)
